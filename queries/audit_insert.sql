-- One audit event; the id is the next after the highest (writes are serialised per process).
insert into audit_log (event_id, logged_at, who, event, outcome, what)
select coalesce(max(event_id), 0) + 1, current_localtimestamp(), $who, $event, $outcome, $what
from audit_log
