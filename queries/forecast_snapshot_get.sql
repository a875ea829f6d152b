-- The frozen prognosis of ($year, $month), if any.
select
    snapshot_id,
    year,
    month,
    data_version,
    params_json,
    created_by,
    created_at
from forecast_snapshot
where year = $year
  and month = $month
