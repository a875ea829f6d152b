-- One row per year × month × unit × cost_type of booked utfall.
select
    year,
    month,
    unit,
    cost_type,
    cast(sum(amount_tkr) as double) as amount_tkr
from actual
group by all
order by year, month, unit, cost_type
