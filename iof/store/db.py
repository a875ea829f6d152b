"""The DuckDB store behind a gate: short connections, a cursor per query, one transaction per import."""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import polars as pl

from iof.store import queries
from iof.store.gate import Gate, GateTimeout
from iof.core.config import ROOT

DEFAULT_DB = ROOT / "data" / "iof.duckdb"


def run(cur: duckdb.DuckDBPyConnection, name: str, **params) -> list[tuple]:
    """Execute queries/<name>.sql on a cursor and read it to the end (DuckDB 2.0 streams)."""
    return cur.execute(queries.sql(name), params or None).fetchall()


class StoreError(Exception):
    """A problem a user can cause or fix (locked file, missing database); message is Swedish."""


class StoreLocked(StoreError):
    pass


_MISSING = object()


def db_path(path: str | os.PathLike | None = None) -> Path:
    """--db wins, then $IOF_DB, then data/iof.duckdb."""
    if path:
        return Path(path)
    env = os.environ.get("IOF_DB")
    return Path(env) if env else DEFAULT_DB


class StaleData(Exception):
    """The database changed since this thread pinned its generation (see `Store.pin`): the page
    run must start again (the frame reruns it) instead of mixing the old and the new month.
    A signal, not a user error: no handler of StoreError may turn it into a message."""

    def __init__(self) -> None:
        super().__init__("Uppgifterna har just uppdaterats; sidan laddas om.")


_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


def is_corruption(exc: BaseException) -> bool:
    text = str(exc).lower()
    return any(w in text for w in ("corrupt", "checksum", "invalid database", "not a valid duckdb",
                                   "could not read enough bytes", "serialization", "failed to deserialize"))


def _corrupt(path: Path) -> str:
    return (
        f"Databasfilen {path} kunde inte läsas: den är skadad eller ofullständig (t.ex. avbruten "
        "kopiering) eller inte en databas för dashboarden. Återställ den senaste säkerhetskopian med "
        f"`iof återställ` (kopior finns i {path.name}.backups/), eller ange en annan fil med --db."
    )


def _os_reason(path: Path, exc: OSError) -> str:
    import errno

    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{path} är skrivskyddad eller saknar behörighet; välj en annan plats med --db eller IOF_DB."
    if exc.errno == errno.ENOSPC:
        return f"Diskutrymmet är slut där {path} ligger."
    if exc.errno in (errno.ENOTDIR, errno.ENOENT, errno.EEXIST):
        return f"{path} kunde inte skapas: en del av sökvägen finns inte eller är en fil, inte en mapp."
    return f"{path} kunde inte användas (systemfel {exc.errno}); välj en annan plats med --db eller IOF_DB."


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
    """The DuckDB file behind a gate (iof.store.gate): many readers or one writer at a time.

    Two ways to use it:

    - `hold=True` (the command line, scripts, tests): the connection is opened at once and kept
      until `close()` — under the gate's exclusive lock (read-write) or shared lock (read-only),
      so the app's processes wait for it instead of failing.
    - `hold=False` (the app, `iof import`): nothing is kept open. Every read opens a short
      read-only connection (shared by the threads of the process that read at the same moment)
      and every write a short read-write one, each under the gate, so an import in another
      process, or another app process, can take its turn. `session()` groups several reads into
      one consistent view, or several writes into one window (the import: backup, freeze, store).

    Small facts (units, demo marker, emptiness) are remembered per generation of the database,
    so a click that changes nothing does not open the file at all.
    """

    def __init__(self, path: str | os.PathLike | None = None, read_only: bool = False, hold: bool = True,
                 timeout: float | None = None):
        self.path = db_path(path)
        self.read_only = read_only
        self.hold = hold
        if not read_only:
            private_files()
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(_os_reason(self.path.parent, exc)) from None
        elif not self.path.exists():
            raise StoreError(f"Databasen {self.path} finns inte. Kör `iof demo` eller `iof import` först.")
        if not read_only and not os.access(self.path.parent, os.W_OK):
            raise StoreError(
                f"Mappen {self.path.parent} är skrivskyddad: databasen kan inte skrivas där. Välj en annan "
                "fil med --db eller IOF_DB, eller be om skrivrättighet till mappen."
            )
        self.gate = Gate(self.path, timeout)
        self._write_lock = threading.RLock()  # one transaction at a time within the process
        self._mu = threading.Lock()  # guards the shared read-only connection and its users
        self._ro: duckdb.DuckDBPyConnection | None = None
        self._ro_users = 0
        self._local = threading.local()  # this thread's session: connection, write?, pinned generation
        self._held: duckdb.DuckDBPyConnection | None = None
        self._held_cm = None
        self._facts: dict[tuple, object] = {}
        self.opened = 0  # connections opened (measurements)
        if hold:
            self._held_cm = self.session(write=not read_only)
            self._held = self._held_cm.__enter__()
            if not read_only:
                self.migrate()
        elif not read_only and not self._schema_current():
            with self.session(write=True):
                self.migrate()
        if not read_only:
            owner_only(self.path, self.path.with_name(self.path.name + ".wal"))

    # -- connections ----------------------------------------------------------------------
    def _connect(self, read_only: bool) -> duckdb.DuckDBPyConnection:
        """Open the file (the gate is already held). A process outside the gate holding DuckDB's own
        lock (an old version of the app) is waited for briefly, then named."""
        deadline = time.monotonic() + min(self.gate.timeout, 10.0)
        while True:
            try:
                con = duckdb.connect(str(self.path), read_only=read_only, config=_CONFIG)
                self.opened += 1
                return con
            except OSError as exc:
                raise StoreError(_os_reason(self.path, exc)) from None
            except duckdb.Error as exc:
                text = str(exc).lower()
                if not (isinstance(exc, duckdb.IOException) and re.search(r"\block\b", text)):
                    if "permission" in text:
                        raise StoreError(
                            f"Databasen {self.path} får inte öppnas (saknar behörighet till filen eller mappen)."
                        ) from None
                    raise StoreError(_corrupt(self.path)) from None
                if time.monotonic() >= deadline:
                    raise StoreLocked(
                        f"Databasen {self.path} hålls öppen av ett program som inte turas om "
                        "(en äldre version av dashboarden?). Stäng det och försök igen."
                    ) from None
                time.sleep(0.05)

    @contextmanager
    def session(self, write: bool = False, bump: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
        """This thread's connection for a consistent read (shared) or a write window (exclusive).

        Nested calls reuse the open session; a write inside a read of the same thread is a
        programming error (it would wait for itself). `bump=False`: see Gate.exclusive."""
        mine = getattr(self._local, "con", None)
        if mine is not None:
            if write and not self._local.write:
                raise StoreError("Programfel: skrivning inuti en läsning i samma tråd.")
            yield mine
            return
        if self._held is not None:
            if write and self.read_only:
                raise StoreError("Databasen är öppnad skrivskyddad.")
            yield self._held
            return
        if write and self.read_only:
            raise StoreError("Databasen är öppnad skrivskyddad.")
        try:
            if write:
                with self.gate.exclusive(bump=bump):
                    con = self._connect(read_only=False)
                    self._local.con, self._local.write = con, True
                    try:
                        yield con
                    finally:
                        self._local.con = None
                        con.close()  # checkpoints: the next reader opens a clean file
                if getattr(self._local, "pin", None) is not None:
                    self._local.pin = self.gate.generation()  # this thread's own write: still consistent
            else:
                with self.gate.shared():
                    pinned = getattr(self._local, "pin", None)
                    if pinned is not None and self.gate.generation() != pinned:
                        raise StaleData()
                    con = self._ro_acquire()
                    self._local.con, self._local.write = con, False
                    try:
                        yield con
                    finally:
                        self._local.con = None
                        self._ro_release()
        except GateTimeout as exc:
            raise StoreLocked(str(exc)) from None

    def _ro_acquire(self) -> duckdb.DuckDBPyConnection:
        with self._mu:
            if self._ro is None:
                self._ro = self._connect(read_only=True)
            self._ro_users += 1
            return self._ro

    def _ro_release(self) -> None:
        with self._mu:
            self._ro_users -= 1
            if self._ro_users == 0 and self._ro is not None:
                self._ro.close()  # before this thread leaves the gate: a writer may open it next
                self._ro = None

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """The connection of this thread's session (or the held one)."""
        con = getattr(self._local, "con", None) or self._held
        if con is None:
            raise StoreError("Programfel: ingen öppen session mot databasen (använd store.session()).")
        return con

    # -- generations and pinning ------------------------------------------------------------
    def generation(self) -> str:
        """Changes with every write window in any process; reading it does not open the database."""
        return self.gate.generation()

    def pin(self, generation: str | None = None) -> str:
        """Pin this thread's reads to `generation` (default: the current one): a read that finds
        the database changed raises StaleData instead of mixing two states in one page run."""
        self._local.pin = generation if generation is not None else self.generation()
        return self._local.pin

    def unpin(self) -> None:
        self._local.pin = None

    def pinned(self) -> str | None:
        return getattr(self._local, "pin", None)

    def _fact(self, key: tuple, compute):
        """A small fact remembered per generation (only where nothing is held open or written)."""
        if self.hold or getattr(self._local, "con", None) is not None:
            return compute()
        gen = self.pinned() or self.generation()
        hit = self._facts.get((gen, key), _MISSING)
        if hit is not _MISSING:
            return hit
        with self.session():
            gen = self.generation()  # under the shared lock: the generation of what is read
            value = compute()
            # The other facts a page run asks for, in the same connection (one open per change).
            more = {k: f() for k, f in self._standard_facts().items() if k != key and (gen, k) not in self._facts
                    } if value or key != ("schema_current",) else {}  # (an old schema: its tables may lack)
        with self._mu:
            if len(self._facts) > 256 or any(k[0] != gen for k in self._facts):
                self._facts = {k: v for k, v in self._facts.items() if k[0] == gen}
            self._facts[(gen, key)] = value
            self._facts.update({(gen, k): v for k, v in more.items()})
        return value

    def _standard_facts(self) -> dict:
        return {
            ("is_demo",): lambda: (self.scalar("meta_get", key="is_demo") or "false") == "true",
            ("is_empty",): lambda: self.data_version() == 0,
            ("units",): lambda: tuple(self.query("units")["unit"].to_list()),
            ("cache_version",): lambda: tuple(self.query("cache_version").row(0)),
        }

    # -- schema ---------------------------------------------------------------------------
    def _schema_current(self) -> bool:
        """Every migration applied (and no write-ahead log left to fold in)? Then a process start
        only reads, in the connection that also reads the first page's facts, instead of opening
        a write window (which waits for every reader and costs an open of its own)."""
        wal = self.path.with_name(self.path.name + ".wal")
        if not self.path.exists() or not self.path.stat().st_size or (wal.exists() and wal.stat().st_size):
            return False

        def check() -> bool:
            try:
                have = {r[0] for r in self.con.execute("select version from schema_version").fetchall()}
            except duckdb.Error:
                return False
            return all(version in have for version, _ in queries.migrations())

        return self._fact(("schema_current",), check)

    def migrate(self) -> None:
        try:
            self._migrate()
        except duckdb.Error:
            raise StoreError(_corrupt(self.path)) from None

    def _migrate(self) -> None:
        with self.session(write=True) as con:
            cur = con.cursor()
            try:
                cur.execute("create table if not exists schema_version (version integer not null)")
                done = {r[0] for r in cur.execute("select version from schema_version").fetchall()}
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
            finally:
                cur.close()

    # -- reading --------------------------------------------------------------------------
    def query(self, name: str, **params) -> pl.DataFrame:
        """Run queries/<name>.sql with named parameters ($name) and return a Polars frame."""
        with self.session() as con:
            cur = con.cursor()
            try:
                return cur.sql(queries.sql(name), params=params or None).pl()
            except duckdb.Error as exc:
                raise self._translated(exc) from None
            finally:
                cur.close()

    def scalar(self, name: str, **params):
        with self.session() as con:
            cur = con.cursor()
            try:
                rows = run(cur, name, **params)
                return rows[0][0] if rows else None
            except duckdb.Error as exc:
                raise self._translated(exc) from None
            finally:
                cur.close()

    def _translated(self, exc: duckdb.Error) -> Exception:
        """A damaged file found while reading becomes a Swedish StoreError; other errors stay."""
        return StoreError(_corrupt(self.path)) if is_corruption(exc) else exc

    # -- writing --------------------------------------------------------------------------
    @contextmanager
    def transaction(self, log_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor inside one write transaction: all or nothing. Serialised across processes.

        `log_only=True`: the transaction appends to the audit log and nothing else, so the
        generation stays (Gate.exclusive); inside another write window the outer one decides."""
        if self.read_only:
            raise StoreError("Databasen är öppnad skrivskyddad.")
        with self.session(write=True, bump=not log_only) as con, self._write_lock:
            cur = con.cursor()
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
        if self._held_cm is not None:
            cm, self._held_cm, self._held = self._held_cm, None, None
            cm.__exit__(None, None, None)
        with self._mu:
            if self._ro is not None:
                self._ro.close()
                self._ro = None

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- facts about the database ----------------------------------------------------------
    def data_version(self) -> int:
        """Latest import id; changes with every import, so caches key on it."""
        return int(self.scalar("data_version") or 0)

    def is_demo(self) -> bool:
        return self._fact(("is_demo",), self._standard_facts()[("is_demo",)])

    def is_empty(self) -> bool:
        return self._fact(("is_empty",), self._standard_facts()[("is_empty",)])

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
        # Ordered by unit, received_date, case_id. Why in Polars: DuckDB's three-key sort of a
        # city's 190 000 ärenden took 190 ms; sorting by the id and then stably by the other two
        # gives the same order in 90 ms.
        return self.query("cases_all").sort("case_id").sort("unit", "received_date", maintain_order=True)

    def units(self) -> list[str]:
        return list(self._fact(("units",), self._standard_facts()[("units",)]))

    def cache_version(self) -> tuple:
        """What cached views depend on (queries/cache_version.sql): imports, adjustments, snapshots,
        lämnad marks and comments, each as its highest id and latest time."""
        return self._fact(("cache_version",), self._standard_facts()[("cache_version",)])
