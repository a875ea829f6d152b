"""Backups before imports, and restores that give back exactly the previous tables."""

from __future__ import annotations

import os
import stat

import pytest

from iof.store import backup
from iof.core.access import Principal
from iof.store.audit import audit_frame
from iof.pipeline.importer import import_files
from iof.store.db import StoreError
from tests.conftest import EXAMPLES

H_UTF = ["år", "månad", "enhet", "kostnadsslag", "belopp_tkr"]
CONTROLLER = Principal("anna@x.se", "controller")


def data_checksums(store):
    """Every table but the audit log (which a restore keeps and extends)."""
    return backup.table_checksums(store).filter(backup.pl.col("table") != "audit_log")


def test_first_import_takes_no_backup_a_later_one_does(store, csv_writer):
    import_files(store, sorted(EXAMPLES.glob("*.csv")))
    assert backup.list_backups(store) == []
    f = csv_writer("utfall_2025-04.csv", [H_UTF, ["2025", "4", "Barn och ungdom", "Lokalkostnader", "10"]])
    assert import_files(store, [f]).ok
    (b,) = backup.list_backups(store)
    assert b.parent == store.path.with_name("test.duckdb.backups")
    assert stat.S_IMODE(os.stat(b).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(b.parent).st_mode) == 0o700
    import_files(store, [f])  # identical file: nothing stored, no backup
    assert len(backup.list_backups(store)) == 1


def test_restore_gives_back_exactly_the_previous_tables(store, csv_writer):
    import_files(store, sorted(EXAMPLES.glob("*.csv")))
    before = data_checksums(store)
    version_before = store.data_version()
    f = csv_writer("utfall_2025-03.csv", [H_UTF, ["2025", "3", "Barn och ungdom", "Lokalkostnader", "99"]])
    r = import_files(store, [f])
    assert r.ok and r.stored
    assert not data_checksums(store).equals(before)
    used = backup.restore(store, who="anna@x.se")
    assert used == backup.list_backups(store)[0]
    assert data_checksums(store).equals(before)
    assert store.data_version() == version_before
    # ids keep growing after a restore, so a cache key of the discarded state never comes back
    import_files(store, [f])
    assert store.data_version() > version_before + 1


def test_restore_keeps_the_audit_log_and_logs_itself(store, csv_writer):
    import_files(store, sorted(EXAMPLES.glob("*.csv")), user="anna@x.se")
    f = csv_writer("utfall_2025-03.csv", [H_UTF, ["2025", "3", "Barn och ungdom", "Lokalkostnader", "99"]])
    import_files(store, [f], user="anna@x.se")
    events_before = audit_frame(store, CONTROLLER)
    backup.restore(store, who="anna@x.se")
    log = audit_frame(store, CONTROLLER)
    assert log.height == events_before.height + 1
    assert log.row(0, named=True)["händelse"] == "återställning"
    assert log.slice(1).equals(events_before)


def test_keeps_only_the_configured_number(store, csv_writer):
    import_files(store, sorted(EXAMPLES.glob("*.csv")))
    for _ in range(4):
        backup.take(store, keep=3)
    assert len(backup.list_backups(store)) == 3


def test_restore_of_a_named_backup_and_clear_errors(store, tmp_path):
    import_files(store, sorted(EXAMPLES.glob("*.csv")))
    with pytest.raises(StoreError, match="ingen säkerhetskopia"):
        backup.restore(store, who="x")
    with pytest.raises(StoreError, match="finns inte"):
        backup.restore(store, who="x", backup=tmp_path / "nej.duckdb")
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"inte en databas")
    with pytest.raises(StoreError, match="kunde inte öppnas"):
        backup.restore(store, who="x", backup=junk)
    b = backup.take(store)
    before = data_checksums(store)
    backup.restore(store, who="x", backup=b)
    assert data_checksums(store).equals(before)


def test_cli_backup_and_restore_in_one_command_each(tmp_path, csv_writer, capsys):
    from iof.cli.main import main
    from iof.store.db import Store

    db = tmp_path / "c.duckdb"
    assert main(["--db", str(db), "import", *map(str, sorted(EXAMPLES.glob("*.csv")))]) == 0
    assert main(["--db", str(db), "backup"]) == 0
    with Store(db) as s:
        before = data_checksums(s)
    f = csv_writer("utfall_2025-03.csv", [H_UTF, ["2025", "3", "Barn och ungdom", "Lokalkostnader", "99"]])
    assert main(["--db", str(db), "import", str(f)]) == 0
    capsys.readouterr()
    assert main(["--db", str(db), "återställ"]) == 0
    assert "är återställd från" in capsys.readouterr().out
    with Store(db) as s:
        assert data_checksums(s).equals(before)


def test_cli_restore_refuses_while_the_database_is_in_use(tmp_path):
    import os
    import subprocess
    import sys

    from iof.store.db import Store

    db = tmp_path / "held.duckdb"
    with Store(db) as s:
        import_files(s, sorted(EXAMPLES.glob("*.csv")))
        backup.take(s)
        before = data_checksums(s)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from iof.store.db import Store; s = Store(sys.argv[1]); print('ok', flush=True); time.sleep(30)",
         str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ok"
        # The holder keeps the gate shut: the restore waits IOF_DB_TIMEOUT_S, then says so.
        res = subprocess.run([sys.executable, "-m", "iof", "--db", str(db), "återställ"],
                             capture_output=True, text=True, env={**os.environ, "IOF_DB_TIMEOUT_S": "1"})
        assert res.returncode == 2 and "är upptagen" in res.stderr
        assert "Traceback" not in res.stderr
    finally:
        holder.kill()
        holder.wait()
    with Store(db) as s:
        assert data_checksums(s).equals(before)


def test_no_backup_name_looks_like_a_personnummer():
    """Brute force over every second of a day and the microsecond prefixes that make a day of the
    month (the old dotted stamp read as YY MM DD NNNN about one second in fifty), then any time."""
    from datetime import datetime, timedelta

    from hypothesis import given, settings, strategies as st_

    from iof.core.personnummer import contains
    from iof.store.backup import stamp

    start = datetime(2026, 12, 2)
    for s in range(0, 24 * 3600):
        for micro in (0, 57333, 123456, 310000, 999999):
            when = start + timedelta(seconds=s, microseconds=micro)
            assert not contains(f"iof-{stamp(when)}.duckdb"), stamp(when)
    # the old format did: the test would have caught it
    assert contains("iof-" + datetime(2026, 12, 2, 3, 21, 3, 57333).strftime("%Y-%m-%d_%H.%M.%S.%f"))

    @settings(max_examples=500, deadline=None)
    @given(st_.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2099, 12, 31)))
    def any_time(when):
        assert not contains(f"iof-{stamp(when)}.duckdb")

    any_time()


def test_backups_are_listed_newest_first_across_name_formats(tmp_path):
    import os

    from iof.store.backup import list_backups

    class _S:  # list_backups needs only the database path
        path = tmp_path / "iof.duckdb"

    d = tmp_path / "iof.duckdb.backups"
    d.mkdir()
    old = d / "iof-2026-12-02_03.21.03.057333.duckdb"  # the earlier name format
    new = d / "iof-2026-12-02T04h00m00s000000.duckdb"
    for i, p in enumerate((old, new)):
        p.write_bytes(b"x")
        os.utime(p, ns=(10**18 + i * 10**9, 10**18 + i * 10**9))
    assert list_backups(_S()) == [new, old]
