insert into budget (year, month, unit, cost_type, amount_tkr, import_id)
select year, month, unit, cost_type, amount_tkr, $import_id
from incoming
