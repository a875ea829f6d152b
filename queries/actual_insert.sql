insert into actual (year, month, unit, cost_type, amount_tkr, import_id)
select year, month, unit, cost_type, sum(amount_tkr), $import_id
from incoming
group by year, month, unit, cost_type
