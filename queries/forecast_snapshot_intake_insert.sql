-- Stores the intakes of a frozen prognosis from the registered frame `incoming`.
insert into forecast_snapshot_intake by name
select
    $snapshot_id as snapshot_id,
    *
from incoming
