-- Schema 6: the prognosis round (issue 12). An adjustment is withdrawn by a new signed line that
-- reverses it (reverses_id = the withdrawn line; the history stays). Each unit's chef marks the
-- month's prognosis as lämnad with a comment; comments from the meeting are kept per unit and month.
-- Every table here is append-only: nothing is edited or deleted.

alter table forecast_adjustment add column if not exists reverses_id integer;

create sequence if not exists prognosis_submission_id_seq start 1;
create sequence if not exists meeting_comment_id_seq start 1;

-- One row per "lämnad" mark; the latest row per (year, month, unit) is the unit's status.
create table if not exists prognosis_submission (
    submission_id  integer primary key,
    year           integer not null,
    month          integer not null,
    unit           varchar not null,
    comment        varchar not null,
    created_by     varchar not null,
    created_at     timestamp not null
);

-- What was said and decided at the month's prognosis meeting, per unit.
create table if not exists meeting_comment (
    comment_id     integer primary key,
    year           integer not null,
    month          integer not null,
    unit           varchar not null,
    comment        varchar not null,
    created_by     varchar not null,
    created_at     timestamp not null
);
