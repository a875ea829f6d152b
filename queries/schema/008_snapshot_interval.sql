-- Schema 8: a frozen prognosis keeps its 80 % interval. Before this, a month's interval was lost
-- when it was frozen: the overview, the unit page and the workbook of a frozen month showed none.
-- One row per unit and IoF totalt: offsets to add to the Netto prognosis (compute.forecast.forecast_interval).
-- Snapshots made before schema 8 have no rows here and are shown without an interval.
create table if not exists forecast_snapshot_interval (
    snapshot_id        integer not null,
    unit               varchar not null,
    interval_low_tkr   double,
    interval_high_tkr  double,
    n_errors           integer
);
