-- Stores the lines of a frozen prognosis from the registered frame `incoming`.
insert into forecast_snapshot_line by name
select
    $snapshot_id as snapshot_id,
    *
from incoming
