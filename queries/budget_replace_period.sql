-- A budget file replaces the budget of each (year, unit) it carries.
delete from budget b
where exists (
    select 1 from incoming i where i.year = b.year and i.unit = b.unit
)
