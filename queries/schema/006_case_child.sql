-- Schema 5: the ärenden extract may carry barn_id (a pseudonym, never a personnummer: checked
-- by iof.extracts like every id). With it, an Utredning closed and reopened on the same child
-- within [återöppnade_utredningar] inom_dagar counts as one (JO 2565-2016, iof.cases).
-- Null for ärenden delivered without the column (and for every ärende stored before).

alter table case_record add column if not exists child_id varchar;
