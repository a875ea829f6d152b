-- Marks the prognosis of ($year, $month) as lämnad for $unit; returns the row's id.
insert into prognosis_submission
select nextval('prognosis_submission_id_seq'), $year, $month, $unit, $comment, $created_by, $created_at
returning submission_id
