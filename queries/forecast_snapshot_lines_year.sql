-- One row per line of every frozen prognosis of $year, by snapshot (each snapshot's rows in the
-- order of forecast_snapshot_lines.sql: one read for the year instead of one per month).
select *
from forecast_snapshot_line
where snapshot_id in (select snapshot_id from forecast_snapshot where year = $year)
order by all
