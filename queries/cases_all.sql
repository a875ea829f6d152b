-- One row per ärende in the register (child_id: the pseudonym of the child, when the extract had it).
select
    case_id,
    unit,
    case_type,
    received_date,
    start_date,
    closed_date,
    child_id
from case_record
order by unit, received_date, case_id
