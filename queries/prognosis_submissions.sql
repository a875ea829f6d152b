-- The latest "lämnad" mark per unit for every month of $year's prognoses (one read serves a year:
-- the overview reads it on every change of month).
select submission_id, year, month, unit, comment, created_by, created_at
from prognosis_submission
where year = $year
qualify row_number() over (partition by month, unit order by submission_id desc) = 1
order by month, unit
