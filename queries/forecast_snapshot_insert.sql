-- Stores the head of one frozen prognosis; returns its id.
insert into forecast_snapshot
select
    nextval('forecast_snapshot_id_seq'),
    $year,
    $month,
    $data_version,
    $params_json,
    $created_by,
    $created_at
returning snapshot_id
