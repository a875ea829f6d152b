-- One row per adjustment of the prognosis of ($year, $month), or the one with $adjustment_id
-- (the other parameters null), with the line that withdrew it (if any).
select
    a.adjustment_id,
    a.year,
    a.month,
    a.unit,
    a.cost_type,
    cast(a.amount_tkr as double) as amount_tkr,
    a.comment,
    a.created_by,
    a.created_at,
    a.reverses_id,
    (select min(r.adjustment_id) from forecast_adjustment r where r.reverses_id = a.adjustment_id) as reversed_by
from forecast_adjustment a
where (a.year = $year and a.month = $month)
   or a.adjustment_id = $adjustment_id
order by a.adjustment_id
