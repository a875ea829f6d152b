-- An utfall file replaces each (year, month, unit) it carries.
delete from actual a
where exists (
    select 1 from incoming i where i.year = a.year and i.month = a.month and i.unit = a.unit
)
