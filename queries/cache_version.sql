-- Everything a cached view depends on: imports, adjustments and frozen snapshots.
select
    (select coalesce(max(import_id), 0) from import_log) as imports,
    (select coalesce(max(adjustment_id), 0) from forecast_adjustment) as adjustments,
    (select count(*) from forecast_snapshot) as snapshots
