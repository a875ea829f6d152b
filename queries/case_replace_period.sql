-- Same rule as placement_replace_period, for the ärenden register.
delete from case_record c
where (c.source_period = $period and c.unit in (select distinct unit from incoming))
   or (c.source_period <= $period and c.case_id in (select case_id from incoming))
