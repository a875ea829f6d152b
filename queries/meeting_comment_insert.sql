-- Stores one comment from the prognosis meeting of ($year, $month) about $unit; returns its id.
insert into meeting_comment
select nextval('meeting_comment_id_seq'), $year, $month, $unit, $comment, $created_by, $created_at
returning comment_id
