insert into import_log (
    import_id, batch_id, file_name, sha256, kind, period, n_rows, imported_at, imported_by, is_demo
)
values (
    $import_id, $batch_id, $file_name, $sha256, $kind, $period, $n_rows,
    current_localtimestamp(), $imported_by, $is_demo
)
