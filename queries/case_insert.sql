insert into case_record (
    case_id, unit, case_type, received_date, start_date, closed_date, source_period, import_id, child_id
)
select
    case_id, unit, case_type, received_date, start_date, closed_date, $period, $import_id, child_id
from incoming
where case_id not in (select case_id from case_record)
