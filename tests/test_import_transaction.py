"""Issue 11, finding 2: one transaction for everything an import does, the freeze included.

The real-mode database holds utfall through 2026-10; an utfall file for 2026-11 is a new month,
so a successful import freezes the 2026-10 prognosis in the same transaction. A failure – in the
extract or inside DuckDB – stores nothing and freezes nothing, says so in Swedish naming the
file, and the audit log tells the truth.
"""

from __future__ import annotations

import polars as pl

from iof.pipeline import prognosis as forecast_store
from iof.store import audit
from iof.core.access import Principal
from iof.pipeline.importer import import_files
from iof.store.db import Store
from tests.conftest import write_csv
from tests.integrity_fixtures import hashes, real_db, real_template, utfall_rows  # noqa: F401

SNAPSHOT_TABLES = ("forecast_snapshot", "forecast_snapshot_line", "forecast_snapshot_placement",
                   "forecast_snapshot_intake", "forecast_snapshot_interval")


def _audit(s: Store) -> pl.DataFrame:
    return audit.audit_frame(s, Principal.local_controller()) if hasattr(Principal, "local_controller") \
        else s.query("audit_all")


def _data(sums: pl.DataFrame) -> pl.DataFrame:
    return sums.filter(pl.col("table") != "audit_log")


def test_overflowing_amount_names_row_and_column_and_freezes_nothing(real_db, tmp_path):
    before = hashes(real_db)
    f = write_csv(tmp_path / "utfall_2026-11.csv", utfall_rows("Familjerätt", "123456789012345", month=11))
    with Store(real_db) as s:
        r = import_files(s, [f], user="kontroller")
        assert not r.ok and r.frozen is None
        text = r.report()
        assert "utfall_2026-11.csv, rad 2, kolumn belopp_tkr" in text and "för stort" in text
        assert "Ingenting från den här importen har sparats" in text
        assert forecast_store.snapshot_id(s, 2026, 10) is None
        # adjustments of the current month are still possible: nothing was frozen
        forecast_store.add_adjustment(s, 2026, 10, "Familjerätt", "Lokalkostnader", 5, "test", "chef")
    after = hashes(real_db)
    for t in SNAPSHOT_TABLES:
        assert after.filter(pl.col("table") == t).equals(before.filter(pl.col("table") == t))


def test_an_error_inside_duckdb_rolls_back_the_freeze_too(real_db, tmp_path):
    """Two rows of one (month, unit, kostnadsslag) are summed on insert: each fits, the sum does
    not fit DECIMAL(18,4), so DuckDB fails inside the transaction – after the freeze was written."""
    before = hashes(real_db)
    rows = utfall_rows("Familjerätt", "90000000000000", month=11)
    rows.append(rows[1])
    f = write_csv(tmp_path / "utfall_2026-11.csv", rows)
    with Store(real_db) as s:
        r = import_files(s, [f], user="kontroller")
        assert not r.ok and r.frozen is None and not r.stored
        text = r.report()
        assert "utfall_2026-11.csv, rad 2, kolumn belopp_tkr" in text and "ryms inte i databasen" in text, text
        assert "Ingenting från den här importen har sparats" in text
        assert "Traceback" not in text and "Exception" not in text
        assert forecast_store.snapshot_id(s, 2026, 10) is None
        log = s.query("audit_all")
        last = log.sort("event_id").row(-1, named=True)
        assert (last["event"], last["outcome"]) == ("import", "misslyckad")
        assert "ingenting sparat" in last["what"] and "sparad" not in last["what"].replace("ingenting sparat", "")
    assert _data(hashes(real_db)).equals(_data(before))


def test_a_successful_new_month_freezes_in_the_same_import(real_db, tmp_path):
    f = write_csv(tmp_path / "utfall_2026-11.csv", utfall_rows("Familjerätt", "10", month=11))
    with Store(real_db) as s:
        r = import_files(s, [f], user="kontroller")
        assert r.ok and r.frozen == (2026, 10)
        assert forecast_store.snapshot_id(s, 2026, 10) is not None
