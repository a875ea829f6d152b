-- A corrected register extract of the same period replaces what that period delivered for its
-- units (rows it no longer carries were errors); rows it carries replace older versions.
delete from placement p
where (p.source_period = $period and p.unit in (select distinct unit from incoming))
   or (p.source_period <= $period and p.placement_id in (select placement_id from incoming))
