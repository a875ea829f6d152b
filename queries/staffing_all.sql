-- One row per unit and month of bemanning.
select
    year,
    month,
    unit,
    budgeted_fte,
    filled_fte,
    vacancies,
    consultant_fte,
    sick_leave_pct,
    sick_leave_short_pct,
    leavers,
    caseworker_fte,
    open_cases
from staffing
order by year, month, unit
