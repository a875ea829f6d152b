-- One row per frozen prognosis.
select
    snapshot_id,
    year,
    month,
    data_version,
    created_by,
    created_at
from forecast_snapshot
order by year, month
