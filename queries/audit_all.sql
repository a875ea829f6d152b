-- One row per audit event, newest first.
select
    event_id,
    logged_at,
    who,
    event,
    outcome,
    what
from audit_log
order by event_id desc
