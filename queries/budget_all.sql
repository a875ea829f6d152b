-- One row per budget line as imported; month is null for an annual budget.
select
    year,
    month,
    unit,
    cost_type,
    cast(amount_tkr as double) as amount_tkr
from budget
order by year, unit, cost_type, month
