-- The latest year and month with booked utfall (the month the current prognosis is made as of).
select year, month
from actual
order by year desc, month desc
limit 1
