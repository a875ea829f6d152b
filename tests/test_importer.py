"""Storing extracts: all-or-nothing batches, idempotent re-import, period replacement, locking."""

from __future__ import annotations

import subprocess
import sys

import polars as pl
import pytest

from iof.pipeline.importer import import_files
from iof.store.db import Store, StoreLocked
from tests.conftest import EXAMPLES

H_UTF = ["år", "månad", "enhet", "kostnadsslag", "belopp_tkr"]
H_PL = ["placerings_id", "barn_id", "enhet", "placeringsform", "startdatum", "slutdatum",
        "dygnskostnad_kr", "avslutsorsak"]


def table_counts(store: Store) -> dict[str, int]:
    cur = store.con.cursor()
    out = {t: cur.execute(f"select count(*) from {t}").fetchall()[0][0]
           for t in ("budget", "actual", "placement", "staffing", "case_record", "import_log")}
    cur.close()
    return out


def test_examples_import_and_log(store):
    r = import_files(store, sorted(EXAMPLES.glob("*.csv")), user="kontroller")
    assert r.ok, r.report()
    assert table_counts(store) == {"budget": 4, "actual": 4, "placement": 5, "staffing": 1,
                                   "case_record": 4, "import_log": 5}
    log = store.query("import_log_all")
    assert set(log["imported_by"]) == {"kontroller"}
    assert log.filter(pl.col("kind") == "utfall")["period"][0] == "2025-03"
    assert all(len(s) == 64 for s in log["sha256"])
    assert not store.is_demo()


def test_one_bad_file_stores_nothing_from_the_batch(store, csv_writer):
    good = csv_writer("utfall_2025-03.csv", [H_UTF, ["2025", "3", "X", "Lokalkostnader", "10"]])
    bad = csv_writer("placeringar_2025-03.csv",
                     [H_PL, ["P-1", "B-1", "X", "HVB", "2025-01-01", "2024-12-31", "5000", "Planerad"]])
    r = import_files(store, [good, bad])
    assert not r.ok
    assert "Ingenting från den här importen har sparats" in r.report()
    assert "placeringar_2025-03.csv, rad 2, kolumn slutdatum" in r.report()
    assert table_counts(store) == dict.fromkeys(
        ("budget", "actual", "placement", "staffing", "case_record", "import_log"), 0)


def test_failure_while_writing_rolls_back_everything(store, csv_writer, monkeypatch):
    good = csv_writer("utfall_2025-03.csv", [H_UTF, ["2025", "3", "X", "Lokalkostnader", "10"]])
    pl_ok = csv_writer("placeringar_2025-03.csv", [H_PL, ["P-1", "B-1", "X", "HVB", "2025-01-01", "", "5000", ""]])
    import iof.store.queries as q
    real = q.sql

    def broken(name):  # the second file's insert fails inside the transaction
        if name == "placement_insert":
            return "insert into no_such_table values (1)"
        return real(name)

    monkeypatch.setattr(q, "sql", broken)
    with pytest.raises(Exception):
        import_files(store, [good, pl_ok])
    monkeypatch.setattr(q, "sql", real)
    assert table_counts(store)["actual"] == 0 and table_counts(store)["import_log"] == 0


def test_identical_file_twice_changes_nothing(store):
    files = sorted(EXAMPLES.glob("*.csv"))
    import_files(store, files)
    before = (table_counts(store), store.actual(), store.placements())
    r = import_files(store, files)
    assert r.ok and len(r.unchanged) == 5 and not r.stored
    assert table_counts(store) == before[0]
    assert store.actual().equals(before[1]) and store.placements().equals(before[2])


def test_reimport_of_a_period_replaces_it(store, csv_writer):
    first = csv_writer("utfall_2025-03.csv", [H_UTF, ["2025", "3", "A", "Lokalkostnader", "10"],
                                              ["2025", "3", "A", "Övriga kostnader", "5"],
                                              ["2025", "3", "B", "Lokalkostnader", "7"]])
    other_month = csv_writer("utfall_2025-02.csv", [H_UTF, ["2025", "2", "A", "Lokalkostnader", "9"]])
    import_files(store, [first, other_month])
    corrected = csv_writer("utfall_2025-03_rättad.csv", [H_UTF, ["2025", "3", "A", "Lokalkostnader", "12"]])
    assert import_files(store, [corrected]).ok
    a = store.actual().sort("month", "unit", "cost_type")
    # March of unit A replaced (Övriga kostnader gone), unit B and February untouched.
    assert a.select("month", "unit", "cost_type", "amount_tkr").rows() == [
        (2, "A", "Lokalkostnader", 9.0), (3, "A", "Lokalkostnader", 12.0), (3, "B", "Lokalkostnader", 7.0)]


def test_corrected_register_extract_replaces_its_period(store, csv_writer):
    v1 = csv_writer("placeringar_2025-03.csv", [H_PL, ["P-1", "B-1", "X", "HVB", "2025-01-01", "", "5000", ""],
                                                 ["P-2", "B-2", "X", "SiS", "2025-01-05", "", "9000", ""]])
    import_files(store, [v1])
    v2 = csv_writer("placeringar_2025-03.csv", [H_PL, ["P-1", "B-1", "X", "HVB", "2025-01-01", "2025-03-10", "5200", "Planerad"]])
    assert import_files(store, [v2]).ok
    p = store.placements()
    assert p["placement_id"].to_list() == ["P-1"]  # P-2 was an error in the first delivery
    assert p["daily_cost_kr"][0] == 5200.0
    # The next month's extract adds and updates by id; it does not drop what March delivered.
    april = csv_writer("placeringar_2025-04.csv", [H_PL, ["P-3", "B-3", "X", "HVB", "2025-04-02", "", "4000", ""]])
    assert import_files(store, [april]).ok
    assert sorted(store.placements()["placement_id"]) == ["P-1", "P-3"]


def test_same_period_in_two_files_of_one_batch_is_rejected(store, csv_writer):
    a = csv_writer("utfall_a.csv", [H_UTF, ["2025", "3", "A", "Lokalkostnader", "10"]])
    b = csv_writer("utfall_b.csv", [H_UTF, ["2025", "3", "A", "Övriga kostnader", "10"]])
    r = import_files(store, [a, b])
    assert not r.ok and "finns också i utfall_a.csv" in r.report()
    assert table_counts(store)["actual"] == 0


def test_real_data_is_refused_into_a_demo_database(store, csv_writer):
    a = csv_writer("utfall_1.csv", [H_UTF, ["2025", "3", "A", "Lokalkostnader", "10"]])
    assert import_files(store, [a], is_demo=True).ok and store.is_demo()
    b = csv_writer("utfall_2.csv", [H_UTF, ["2025", "4", "A", "Lokalkostnader", "10"]])
    r = import_files(store, [b])
    assert not r.ok and "demodata" in r.report()
    assert table_counts(store)["actual"] == 1


def test_cli_import_of_broken_file_prints_swedish_error_and_changes_nothing(tmp_path, csv_writer):
    db = tmp_path / "cli.duckdb"
    ok = csv_writer("utfall_2025-02.csv", [H_UTF, ["2025", "2", "A", "Lokalkostnader", "10"]])
    run = lambda *files: subprocess.run([sys.executable, "-m", "iof", "import", "--db", str(db), *files],
                                        capture_output=True, text=True)
    assert run(str(ok)).returncode == 0
    bad = csv_writer("utfall_2025-03.csv", [H_UTF, ["2025", "3", "A", "Lokalkostnader", "tio"]])
    res = run(str(bad))
    assert res.returncode == 1
    assert "utfall_2025-03.csv, rad 2, kolumn belopp_tkr: 'tio' är inte ett tal" in res.stderr
    assert "Traceback" not in res.stderr
    with Store(db) as s:
        assert s.actual()["amount_tkr"].to_list() == [10.0]


def test_locked_database_gives_a_clear_message(tmp_path, csv_writer):
    db = tmp_path / "locked.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from iof.store.db import Store; s = Store(sys.argv[1]); print('ok', flush=True); time.sleep(30)",
         str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ok"
        with pytest.raises(StoreLocked, match="används av ett annat program"):
            Store(db)
        f = csv_writer("utfall_2025-02.csv", [H_UTF, ["2025", "2", "A", "Lokalkostnader", "10"]])
        res = subprocess.run([sys.executable, "-m", "iof", "import", "--db", str(db), str(f)],
                             capture_output=True, text=True)
        assert res.returncode == 2 and "används av ett annat program" in res.stderr
        assert "Traceback" not in res.stderr
    finally:
        holder.kill()
        holder.wait()
