-- After a restore: the events newer than the backup, read from the database being replaced.
insert into audit_log (event_id, logged_at, who, event, outcome, what)
select event_id, logged_at, who, event, outcome, what
from carried
where event_id not in (select event_id from audit_log)
