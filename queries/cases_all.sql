-- One row per ärende in the register.
select
    case_id,
    unit,
    case_type,
    received_date,
    start_date,
    closed_date
from case_record
order by unit, received_date, case_id
