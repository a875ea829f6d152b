-- A bemanning file replaces each (year, month, unit) it carries.
delete from staffing s
where exists (
    select 1 from incoming i where i.year = s.year and i.month = s.month and i.unit = s.unit
)
