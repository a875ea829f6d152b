-- One row per ärende in the register (child_id: the pseudonym of the child, when the extract had it).
-- Store.cases() orders them (unit, received_date, case_id): faster in Polars than here.
select
    case_id,
    unit,
    case_type,
    received_date,
    start_date,
    closed_date,
    child_id
from case_record
