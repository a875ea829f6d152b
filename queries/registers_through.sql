-- The latest period ('YYYY-MM') each register was delivered for: after it nothing is known.
select 'placeringar' as kind, max(source_period) as period from placement
union all
select 'arenden' as kind, max(source_period) as period from case_record
