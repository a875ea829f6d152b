-- Which months each extract kind covers: one row per kind × year × month with rows.
select 'budget' as kind, year, coalesce(month, 0) as month, count(*) as n_rows from budget group by all
union all
select 'utfall', year, month, count(*) from actual group by all
union all
select 'bemanning', year, month, count(*) from staffing group by all
order by kind, year, month
