-- Schema 2: the chef's prognosis adjustments and frozen monthly prognosis snapshots.
-- Model outputs are stored as double (they are estimates, not booked money).

create sequence if not exists forecast_adjustment_id_seq start 1;
create sequence if not exists forecast_snapshot_id_seq start 1;

-- One row per adjustment the chef makes to the prognosis of (year, month). Never edited:
-- a correction is a new, signed row with its own comment.
create table if not exists forecast_adjustment (
    adjustment_id  integer primary key,
    year           integer not null,
    month          integer not null,    -- the prognosis month it belongs to (1–11)
    unit           varchar not null,
    cost_type      varchar not null,
    amount_tkr     decimal(18, 4) not null,  -- in the line's own direction (+ = more cost / more income)
    comment        varchar not null,
    created_by     varchar not null,
    created_at     timestamp not null
);

-- One row per frozen prognosis: the prognosis of (year, month) as it was made.
create table if not exists forecast_snapshot (
    snapshot_id    integer primary key,
    year           integer not null,
    month          integer not null,
    data_version   integer not null,    -- latest import id the inputs came from
    params_json    varchar not null,    -- the ["prognos"] parameters used
    created_by     varchar not null,
    created_at     timestamp not null,
    unique (year, month)
);

-- One row per snapshot × unit × cost_type.
create table if not exists forecast_snapshot_line (
    snapshot_id            integer not null,
    unit                   varchar not null,
    cost_type              varchar not null,
    method                 varchar,
    budget_tkr             double not null,
    actual_tkr             double not null,
    placements_booked_tkr  double not null,
    residual_tkr           double not null,
    commitments_tkr        double not null,
    new_placements_tkr     double not null,
    run_rate_tkr           double not null,
    model_tkr              double not null,
    adjustment_tkr         double not null,
    prognos_tkr            double not null,
    budgeted_fte           double,
    filled_fte             double,
    vacancies              double,
    consultant_fte         double
);

-- One row per snapshot × placement behind the placement-driven lines.
create table if not exists forecast_snapshot_placement (
    snapshot_id       integer not null,
    placement_id      varchar not null,
    child_id          varchar not null,
    unit              varchar not null,
    placement_type    varchar not null,
    cost_type         varchar,
    start_date        date not null,
    end_date          date,
    planned_end_date  date,
    daily_cost_kr     double not null,
    end_reason        varchar,
    booked_days       bigint not null,
    remaining_days    bigint not null,
    booked_tkr        double not null,
    commitment_tkr    double not null,
    full_year_tkr     double not null
);

-- One row per snapshot × unit × placeringsform of expected new placements.
create table if not exists forecast_snapshot_intake (
    snapshot_id         integer not null,
    unit                varchar not null,
    placement_type      varchar not null,
    cost_type           varchar,
    n_started           bigint not null,
    intake_per_month    double not null,
    mean_days           double,
    mean_daily_cost_kr  double,
    expected_n          double not null,
    expected_days       double not null,
    new_placements_tkr  double
);
