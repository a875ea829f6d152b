-- Everything a cached view depends on: imports, adjustments, frozen snapshots, lämnad marks and
-- meeting comments — each as (highest id, latest time), so a state restored from a backup and then
-- changed again never reuses the version of a different state. Deliberately not the audit log: a
-- sign-in or an export is a write, but it changes nothing a page shows.
select
    (select coalesce(max(import_id), 0) from import_log) as imports,
    (select cast(max(imported_at) as varchar) from import_log) as imported_at,
    (select coalesce(max(adjustment_id), 0) from forecast_adjustment) as adjustments,
    (select cast(max(created_at) as varchar) from forecast_adjustment) as adjusted_at,
    (select count(*) from forecast_snapshot) as snapshots,
    (select cast(max(created_at) as varchar) from forecast_snapshot) as frozen_at,
    (select coalesce(max(submission_id), 0) from prognosis_submission) as submissions,
    (select cast(max(created_at) as varchar) from prognosis_submission) as submitted_at,
    (select coalesce(max(comment_id), 0) from meeting_comment) as comments,
    (select cast(max(created_at) as varchar) from meeting_comment) as commented_at
