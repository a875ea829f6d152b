-- Schema 5: money to the öre. A ledger export (iof.ingest.ledger) has amounts in kr with öre;
-- stored in tkr they need six decimals so that Σ file kr = Σ stored tkr × 1 000 holds exactly.
alter table actual alter amount_tkr set data type decimal(18, 6);
alter table budget alter amount_tkr set data type decimal(18, 6);
