-- Every meeting comment of ($year, $month), oldest first.
select comment_id, year, month, unit, comment, created_by, created_at
from meeting_comment
where year = $year
  and month = $month
order by comment_id
