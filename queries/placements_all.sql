-- One row per placement in the register.
select
    placement_id,
    child_id,
    unit,
    placement_type,
    start_date,
    end_date,
    planned_end_date,
    cast(daily_cost_kr as double) as daily_cost_kr,
    end_reason,
    legal_basis,
    sex,
    birth_year,
    unaccompanied
from placement
order by unit, start_date, placement_id
