-- One row per stored file, newest first.
select
    import_id,
    batch_id,
    file_name,
    kind,
    period,
    n_rows,
    imported_at,
    imported_by,
    is_demo,
    sha256
from import_log
order by import_id desc
