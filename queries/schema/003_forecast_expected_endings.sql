-- Schema 3: the prognosis got a part "förväntade avslut" (expected endings) beside the
-- commitments; snapshots frozen before this have 0 there (they were made without it).

alter table forecast_snapshot_line add column if not exists expected_endings_tkr double default 0;
alter table forecast_snapshot_placement add column if not exists expected_days double;
alter table forecast_snapshot_placement add column if not exists expected_endings_tkr double default 0;
