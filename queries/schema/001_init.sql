-- Schema 1: the five extract kinds, the import log and database facts.
-- Column names are English code names (see shared/domain/GLOSSARY.md); reports map them to the
-- contract's Swedish names. Money is DECIMAL so that sums are exact; Polars gets Float64.

create table if not exists meta (
    key   varchar primary key,
    value varchar not null
);

create sequence if not exists import_id_seq start 1;
create sequence if not exists batch_id_seq start 1;

-- One row per stored file. A batch (one `iof import` or one upload) is one transaction.
create table if not exists import_log (
    import_id    integer primary key,
    batch_id     integer not null,
    file_name    varchar not null,
    sha256       varchar not null,
    kind         varchar not null,      -- budget | utfall | placeringar | bemanning | arenden
    period       varchar not null,      -- e.g. 2025, 2025-03, 2025-01..2025-12
    n_rows       integer not null,
    imported_at  timestamp not null,
    imported_by  varchar not null,
    is_demo      boolean not null
);

create table if not exists budget (
    year        integer not null,
    month       integer,               -- null = annual budget, spread by 1/12
    unit        varchar not null,
    cost_type   varchar not null,
    amount_tkr  decimal(18, 4) not null,
    import_id   integer not null
);

create table if not exists actual (
    year        integer not null,
    month       integer not null,
    unit        varchar not null,
    cost_type   varchar not null,
    amount_tkr  decimal(18, 4) not null,
    import_id   integer not null
);

-- Register: one row per placement; a later extract replaces the rows it carries.
create table if not exists placement (
    placement_id      varchar not null,  -- unique: enforced by import (an index makes replacement slow)
    child_id          varchar not null,
    unit              varchar not null,
    placement_type    varchar not null,
    start_date        date not null,
    end_date          date,
    planned_end_date  date,
    daily_cost_kr     decimal(18, 2) not null,
    end_reason        varchar,
    legal_basis       varchar,
    sex               varchar,
    birth_year        integer,
    unaccompanied     varchar,
    source_period     varchar not null,  -- period of the extract that last delivered the row
    import_id         integer not null
);

create table if not exists staffing (
    year                  integer not null,
    month                 integer not null,
    unit                  varchar not null,
    budgeted_fte          double not null,
    filled_fte            double not null,
    vacancies             double not null,
    consultant_fte        double not null,
    sick_leave_pct        double not null,
    sick_leave_short_pct  double not null,
    leavers               integer not null,
    caseworker_fte        double not null,
    open_cases            integer not null,
    import_id             integer not null
);

-- Register: one row per ärende (case).
create table if not exists case_record (
    case_id        varchar not null,     -- unique: enforced by import
    unit           varchar not null,
    case_type      varchar not null,
    received_date  date not null,
    start_date     date,
    closed_date    date,
    source_period  varchar not null,
    import_id      integer not null
);
