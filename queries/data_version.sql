select coalesce(max(import_id), 0) as data_version
from import_log
