-- Stores the 80 % interval of a frozen prognosis from the registered frame `incoming`.
insert into forecast_snapshot_interval by name
select
    $snapshot_id as snapshot_id,
    *
from incoming
