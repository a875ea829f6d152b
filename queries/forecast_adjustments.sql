-- One row per adjustment of the prognosis of ($year, $month).
select
    adjustment_id,
    year,
    month,
    unit,
    cost_type,
    cast(amount_tkr as double) as amount_tkr,
    comment,
    created_by,
    created_at
from forecast_adjustment
where year = $year
  and month = $month
order by adjustment_id
