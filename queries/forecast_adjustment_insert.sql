-- Stores one adjustment (or, with $reverses_id, the line that withdraws adjustment $reverses_id); returns its id.
insert into forecast_adjustment
    (adjustment_id, year, month, unit, cost_type, amount_tkr, comment, created_by, created_at, reverses_id)
select
    nextval('forecast_adjustment_id_seq'),
    $year,
    $month,
    $unit,
    $cost_type,
    $amount_tkr,
    $comment,
    $created_by,
    $created_at,
    $reverses_id
returning adjustment_id
