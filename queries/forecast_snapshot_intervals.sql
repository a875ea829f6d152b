-- The 80 % interval of the frozen prognosis $snapshot_id, one row per unit (none before schema 8).
select unit, interval_low_tkr, interval_high_tkr, n_errors
from forecast_snapshot_interval
where snapshot_id = $snapshot_id
order by unit = 'IoF totalt', unit
