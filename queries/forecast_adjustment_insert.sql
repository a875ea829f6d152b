-- Stores one adjustment; returns its id.
insert into forecast_adjustment
select
    nextval('forecast_adjustment_id_seq'),
    $year,
    $month,
    $unit,
    $cost_type,
    $amount_tkr,
    $comment,
    $created_by,
    $created_at
returning adjustment_id
