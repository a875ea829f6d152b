-- Everything a cached view depends on: imports, adjustments, frozen snapshots, lämnad marks and
-- meeting comments — each as (highest id, latest time), so a state restored from a backup and then
-- changed again never reuses the version of a different state. Deliberately not the audit log: a
-- sign-in or an export is a write, but it changes nothing a page shows.
-- One subquery per table, two aggregates each: ten scalar subqueries took DuckDB 45 ms to plan
-- (the same row in 7 ms).
select *
from (select coalesce(max(import_id), 0) as imports, cast(max(imported_at) as varchar) as imported_at
      from import_log),
     (select coalesce(max(adjustment_id), 0) as adjustments, cast(max(created_at) as varchar) as adjusted_at
      from forecast_adjustment),
     (select count(*) as snapshots, cast(max(created_at) as varchar) as frozen_at
      from forecast_snapshot),
     (select coalesce(max(submission_id), 0) as submissions, cast(max(created_at) as varchar) as submitted_at
      from prognosis_submission),
     (select coalesce(max(comment_id), 0) as comments, cast(max(created_at) as varchar) as commented_at
      from meeting_comment)
