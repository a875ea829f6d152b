-- Rows already delivered by a later period's extract are newer and are kept.
insert into placement (
    placement_id, child_id, unit, placement_type, start_date, end_date, planned_end_date,
    daily_cost_kr, end_reason, legal_basis, sex, birth_year, unaccompanied, source_period, import_id
)
select
    placement_id, child_id, unit, placement_type, start_date, end_date, planned_end_date,
    daily_cost_kr, end_reason, legal_basis, sex, birth_year, unaccompanied, $period, $import_id
from incoming
where placement_id not in (select placement_id from placement)
