-- The 80 % intervals of every frozen prognosis of $year, by snapshot (each snapshot's rows in the
-- order of forecast_snapshot_intervals.sql).
select snapshot_id, unit, interval_low_tkr, interval_high_tkr, n_errors
from forecast_snapshot_interval
where snapshot_id in (select snapshot_id from forecast_snapshot where year = $year)
order by snapshot_id, unit = 'IoF totalt', unit
