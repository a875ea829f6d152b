-- Schema 4: the audit log (issue 6). Who did what and when – never the data itself.
-- `what` is a short description (file names, report kind, unit, period) with every personnummer
-- shape already replaced by [dolt] (iof.audit.log_event). A restore leaves this table as it is:
-- restoring data does not undo history (iof.backup.restore).

create table if not exists audit_log (
    event_id  integer primary key,       -- max + 1; all writes of a process are serialised
    logged_at timestamp not null,        -- local time, as import_log.imported_at
    who       varchar not null,          -- e-mail of the signed-in user, or IOF_USER / OS user
    event     varchar not null,          -- inloggning | import | justering | export | återställning | säkerhetskopia
    outcome   varchar not null,          -- lyckad | underkänd | misslyckad | nekad
    what      varchar not null
);
