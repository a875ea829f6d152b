-- Every unit that appears in any extract, alphabetically.
with all_units as (
    select unit from budget
    union select unit from actual
    union select unit from placement
    union select unit from staffing
    union select unit from case_record
)
select unit
from all_units
order by unit
