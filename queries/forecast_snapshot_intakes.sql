-- One row per intake of the frozen prognosis $snapshot_id.
select * exclude (snapshot_id)
from forecast_snapshot_intake
where snapshot_id = $snapshot_id
order by all
