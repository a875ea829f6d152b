-- The latest "lämnad" mark per unit for the prognosis of ($year, $month).
select submission_id, year, month, unit, comment, created_by, created_at
from prognosis_submission
where year = $year
  and month = $month
qualify row_number() over (partition by unit order by submission_id desc) = 1
order by unit
