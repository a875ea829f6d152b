"""Backups of the database before each import, and restoring one in a single transaction.

A backup is a file copy of the database taken after `CHECKPOINT`, while this process holds its
write lock (and DuckDB's file lock keeps every other process out), so the copy is one consistent
state. At city scale (14 MB) it takes about 30 ms; `COPY FROM DATABASE` into an attached file
took 0.8 s, so the copy it is. Backups live next to the database, in `<db>.backups/`, readable
by the owner only: they hold the same personal data as the database.

Restoring replaces the contents of every data table by the backup's inside one transaction of
the running store, so a failed or killed restore changes nothing, and the app can restore
through its own connection. Sequences and the schema stay as they are (ids keep growing, so a
cache key is never reused), and the audit log is left as it is (it records what happened here,
including the restore itself).
"""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path

import polars as pl

from iof.core import config
from iof.store.db import Store, StoreError

KEEP_DEFAULT = 5
# The schema stays current; the audit log stays as it is: restoring data does not undo history.
NOT_RESTORED = ("schema_version", "audit_log")


def backup_dir(store: Store) -> Path:
    return store.path.with_name(store.path.name + ".backups")


def keep_count() -> int:
    return int(config.load().section("säkerhetskopior").get("antal", KEEP_DEFAULT))


def stamp(when: datetime) -> str:
    """The time in a backup's file name, e.g. 2026-12-02T03h21m03s057333.

    Letters between the time fields, not dots: the personnummer detector reads any separator as a
    separator, and "…03.21.03.057333" holds "21 03 05 7333" (YY MM DD NNNN) for about one
    second in fifty; a backup listing must never look like it echoes a personnummer."""
    return when.strftime("%Y-%m-%dT%Hh%Mm%Ss%f")


def list_backups(store: Store) -> list[Path]:
    """Newest first (by the time the copy was written; names of older versions sort differently)."""
    d = backup_dir(store)
    if not d.exists():
        return []
    return sorted(d.glob("*.duckdb"), key=lambda p: (p.stat().st_mtime_ns, p.name), reverse=True)


def take(store: Store, keep: int | None = None) -> Path:
    """Copy the database now; keep the newest `keep` copies. Returns the new file."""
    target_dir = backup_dir(store)
    target_dir.mkdir(mode=0o700, exist_ok=True)
    target = target_dir / f"{store.path.stem}-{stamp(datetime.now())}.duckdb"
    tmp = target.with_suffix(".tmp")
    # A write window (no process reads or writes) and the store's write lock: one consistent state.
    with store.session(write=True), store._write_lock:
        cur = store.con.cursor()
        try:
            cur.execute("checkpoint").fetchall()
            _copy(store.path, tmp)
            wal = Path(str(store.path) + ".wal")
            if wal.exists() and wal.stat().st_size:  # checkpoint could not fold it in: keep the pair
                _copy(wal, Path(str(target) + ".wal"))
        finally:
            cur.close()
    os.replace(tmp, target)
    for old in list_backups(store)[keep if keep is not None else keep_count():]:
        old.unlink()
        Path(str(old) + ".wal").unlink(missing_ok=True)
    return target


def _copy(src: Path, dst: Path) -> None:
    fd = os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with open(src, "rb") as fin, os.fdopen(fd, "wb") as fout:
        shutil.copyfileobj(fin, fout, length=1 << 20)
        fout.flush()
        os.fsync(fout.fileno())


def before_import(store: Store, result) -> Path | None:
    """A backup before an import that will store something (not before the first, nor a no-op)."""
    with store.session():  # the checks in one connection (each open of the file costs 12 ms or more)
        if store.is_empty():
            return None
        pending = [
            e for e in result.extracts
            if store.scalar("import_latest_sha", kind=e.kind, period=e.period) != e.sha256
        ]
    return take(store) if pending else None


def _quote_path(path: Path) -> str:
    # ATTACH takes no bound parameters; the path is ours (a backup file), quoted as a literal.
    return "'" + str(path).replace("'", "''") + "'"


def restore(store: Store, who: str, backup: Path | None = None) -> Path:
    """Replace the data by a backup's (the newest if none is named), in one transaction."""
    from iof.store import audit

    if backup is None:
        found = list_backups(store)
        if not found:
            raise StoreError(f"Det finns ingen säkerhetskopia i {backup_dir(store)}.")
        backup = found[0]
    backup = Path(backup)
    if not backup.is_file():
        raise StoreError(f"Säkerhetskopian {backup} finns inte.")
    if backup.resolve() == store.path.resolve():
        raise StoreError("Databasen kan inte återställas från sig själv.")
    alias = "iof_backup"
    with store.session(write=True):  # one write window: no reader sees a half-restored database
        return _restore(store, who, backup, alias)


def _restore(store: Store, who: str, backup: Path, alias: str) -> Path:
    from iof.store import audit

    setup = store.con.cursor()
    try:
        try:
            setup.execute(f"attach {_quote_path(backup)} as {alias} (read_only)").fetchall()
        except Exception as exc:
            raise StoreError(f"{backup.name} kunde inte öppnas som en databas ({type(exc).__name__}).") from None
        try:
            with store.transaction() as cur:
                theirs = set(_tables(cur, alias))
                for table in _tables(cur, _catalog(cur)):
                    if table in NOT_RESTORED:
                        continue
                    cur.execute(f'delete from "{table}"').fetchall()
                    if table in theirs:
                        cur.execute(f'insert into "{table}" by name select * from {alias}."{table}"').fetchall()
                audit.log_event(store, who, "återställning", f"från {backup.name}", cur=cur)
        finally:
            setup.execute(f"detach {alias}").fetchall()
    finally:
        setup.close()
    return backup


def _catalog(cur) -> str:
    return cur.execute("select current_database()").fetchall()[0][0]


def _tables(cur, catalog: str) -> list[str]:
    rows = cur.execute(
        "select table_name from information_schema.tables "
        "where table_catalog = ? and table_schema = 'main' and table_type = 'BASE TABLE' order by table_name",
        [catalog],
    ).fetchall()
    return [r[0] for r in rows]


def table_checksums(store: Store) -> pl.DataFrame:
    """One row per data table: rows and an order-independent hash of its contents (for tests and
    for `iof backup --kontroll`)."""
    with store.session():
        return _checksums(store)


def _checksums(store: Store) -> pl.DataFrame:
    cur = store.con.cursor()
    try:
        out = []
        for t in _tables(cur, _catalog(cur)):
            n, h = cur.execute(f'select count(*), coalesce(sum(hash(t)), 0) from "{t}" t').fetchall()[0]
            out.append({"table": t, "rows": n, "hash": str(h)})
        return pl.DataFrame(out, schema={"table": pl.String, "rows": pl.Int64, "hash": pl.String})
    finally:
        cur.close()
