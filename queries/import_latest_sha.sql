-- The sha256 of the latest stored import of this kind and period (null if none).
select sha256
from import_log
where kind = $kind
  and period = $period
order by import_id desc
limit 1
