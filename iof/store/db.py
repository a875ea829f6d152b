"""The DuckDB store: one connection per process, a cursor per query, one transaction per import."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import polars as pl

from iof.store import queries
from iof.core.config import ROOT

DEFAULT_DB = ROOT / "data" / "iof.duckdb"


def run(cur: duckdb.DuckDBPyConnection, name: str, **params) -> list[tuple]:
    """Execute queries/<name>.sql on a cursor and read it to the end (DuckDB 2.0 streams)."""
    return cur.execute(queries.sql(name), params or None).fetchall()


class StoreError(Exception):
    """A problem a user can cause or fix (locked file, missing database); message is Swedish."""


class StoreLocked(StoreError):
    pass


def db_path(path: str | os.PathLike | None = None) -> Path:
    """--db wins, then $IOF_DB, then data/iof.duckdb."""
    if path:
        return Path(path)
    env = os.environ.get("IOF_DB")
    return Path(env) if env else DEFAULT_DB


def private_files() -> None:
    """Every file this process creates from now on is readable by its owner only (umask 077):
    the database, its write-ahead log (DuckDB creates it later, on the first write), backups
    and reports all hold personal data."""
    current = os.umask(0o077)
    os.umask(current | 0o077)


def owner_only(*paths: Path) -> None:
    """chmod 600 on the files that exist (a database created before the umask rule)."""
    for p in paths:
        try:
            if p.exists() and p.stat().st_mode & 0o077:
                p.chmod(0o600)
        except OSError:
            pass


class Store:
    def __init__(self, path: str | os.PathLike | None = None, read_only: bool = False):
        self.path = db_path(path)
        self.read_only = read_only
        if not read_only:
            private_files()
            self.path.parent.mkdir(parents=True, exist_ok=True)
        elif not self.path.exists():
            raise StoreError(f"Databasen {self.path} finns inte. Kör `iof demo` eller `iof import` först.")
        try:
            self.con = duckdb.connect(
                str(self.path),
                read_only=read_only,
                config={"autoinstall_known_extensions": False, "autoload_known_extensions": False},
            )
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise StoreLocked(
                    f"Databasen {self.path} används av ett annat program (troligen dashboarden). "
                    "Stäng det eller importera via sidan Import i dashboarden."
                ) from None
            raise StoreError(f"Databasen {self.path} kunde inte öppnas: {exc}") from None
        self._write_lock = threading.Lock()
        if not read_only:
            owner_only(self.path, self.path.with_name(self.path.name + ".wal"))
            self.migrate()

    # -- schema ---------------------------------------------------------------------------
    def migrate(self) -> None:
        cur = self.con.cursor()
        cur.execute("create table if not exists schema_version (version integer not null)")
        done = {r[0] for r in cur.execute("select version from schema_version").fetchall()}
        cur.execute("select 1").fetchall()
        for version, text in queries.migrations():
            if version in done:
                continue
            cur.execute("begin transaction")
            try:
                cur.execute(text).fetchall()
                cur.execute("insert into schema_version values (?)", [version]).fetchall()
                cur.execute("commit").fetchall()
            except Exception:
                cur.execute("rollback")
                raise

    # -- reading --------------------------------------------------------------------------
    def query(self, name: str, **params) -> pl.DataFrame:
        """Run queries/<name>.sql with named parameters ($name) and return a Polars frame."""
        cur = self.con.cursor()
        try:
            return cur.sql(queries.sql(name), params=params or None).pl()
        finally:
            cur.close()

    def scalar(self, name: str, **params):
        cur = self.con.cursor()
        try:
            rows = run(cur, name, **params)
            return rows[0][0] if rows else None
        finally:
            cur.close()

    # -- writing --------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor inside one write transaction: all or nothing. Serialised within the process."""
        if self.read_only:
            raise StoreError("Databasen är öppnad skrivskyddad.")
        with self._write_lock:
            cur = self.con.cursor()
            cur.execute("begin transaction").fetchall()
            try:
                yield cur
                cur.execute("commit").fetchall()
            except BaseException:
                cur.execute("rollback").fetchall()
                raise
            finally:
                cur.close()

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- facts about the database ----------------------------------------------------------
    def data_version(self) -> int:
        """Latest import id; changes with every import, so caches key on it."""
        return int(self.scalar("data_version") or 0)

    def is_demo(self) -> bool:
        return (self.scalar("meta_get", key="is_demo") or "false") == "true"

    def is_empty(self) -> bool:
        return self.data_version() == 0

    # -- the five extracts as frames (English code names) ---------------------------------
    def budget(self) -> pl.DataFrame:
        return self.query("budget_all")

    def actual(self) -> pl.DataFrame:
        return self.query("actual_all")

    def placements(self) -> pl.DataFrame:
        return self.query("placements_all")

    def staffing(self) -> pl.DataFrame:
        return self.query("staffing_all")

    def cases(self) -> pl.DataFrame:
        return self.query("cases_all")

    def units(self) -> list[str]:
        return self.query("units")["unit"].to_list()
