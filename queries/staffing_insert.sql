insert into staffing (
    year, month, unit, budgeted_fte, filled_fte, vacancies, consultant_fte, sick_leave_pct,
    sick_leave_short_pct, leavers, caseworker_fte, open_cases, import_id
)
select
    year, month, unit, budgeted_fte, filled_fte, vacancies, consultant_fte, sick_leave_pct,
    sick_leave_short_pct, leavers, caseworker_fte, open_cases, $import_id
from incoming
