"""The gate in front of the DuckDB file: many readers or one writer, across processes and threads.

DuckDB lets one process open a database file read-write, or many processes read-only, never
both; a second process cannot even open it read-only while another has it open read-write. So
no process keeps the file open for long. Every read opens a short read-only connection, every
write a short read-write one, and the gate decides who may: an OS file lock (flock) beside the
database, taken shared by readers and exclusive by writers, with a bounded wait.

Writers go first: a writer first takes the *turnstile* lock exclusively, which new readers must
pass (shared) before they take the data lock, then waits for the readers already inside to
finish. So a nightly import is never starved by a busy dashboard, and readers wait at most as
long as one write window.

flock locks belong to an open file description, so each acquisition opens its own descriptor:
threads of one process then exclude each other exactly as processes do. Locks held by a process
that dies are released by the kernel: a killed import never leaves the gate shut.

Every write window moves the *generation* (a small file beside the database, written atomically
before the window opens to readers again). Readers compare it to decide whether anything changed
without opening the database at all. A window that only appends to the audit log (a sign-in, an
export) leaves it: nothing a page shows depends on the log, which is always read fresh.
"""

from __future__ import annotations

import fcntl
import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DEFAULT_TIMEOUT_S = 120.0


class GateTimeout(Exception):
    """The lock was not granted within the timeout (message in Swedish)."""


class Gate:
    def __init__(self, db_path: str | os.PathLike, timeout: float | None = None):
        db = Path(db_path)
        self.db = db
        self.data_lock = db.with_name(db.name + ".lock")
        self.turnstile = db.with_name(db.name + ".lock.turnstile")
        self.generation_file = db.with_name(db.name + ".generation")
        env = os.environ.get("IOF_DB_TIMEOUT_S")
        self.timeout = timeout if timeout is not None else (float(env) if env else DEFAULT_TIMEOUT_S)
        self._local = threading.local()
        self.waited_s = 0.0  # total time this process waited at the gate (for measurements)
        self._stats_lock = threading.Lock()

    # -- locking ------------------------------------------------------------------------------
    def _open(self, path: Path) -> int:
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o600)

    def _acquire(self, fd: int, mode: int, deadline: float, what: str) -> None:
        delay = 0.001
        while True:
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise GateTimeout(
                        f"Databasen {self.db} är upptagen ({what}); försök igen om en stund."
                    ) from None
                time.sleep(delay)
                delay = min(delay * 2, 0.05)

    @contextmanager
    def shared(self) -> Iterator[None]:
        """A reader's pass: waits while a writer is inside or waiting."""
        if getattr(self._local, "depth", 0):
            with self._nested():
                yield
            return
        t0 = time.monotonic()
        deadline = t0 + self.timeout
        turn = self._open(self.turnstile)
        data = self._open(self.data_lock)
        try:
            try:
                self._acquire(turn, fcntl.LOCK_SH, deadline, "en import eller annan skrivning pågår")
                self._acquire(data, fcntl.LOCK_SH, deadline, "en import eller annan skrivning pågår")
            finally:
                os.close(turn)  # passed the turnstile (or gave up): let a waiting writer in
            self._waited(t0)
            with self._holding("shared"):
                yield
        finally:
            os.close(data)  # closing the descriptor releases its lock

    @contextmanager
    def exclusive(self, bump: bool = True) -> Iterator[None]:
        """A writer's window: no reader or other writer, in any process, until it ends.

        `bump=False` for a window that writes only what no page run depends on (the audit log):
        the generation stays, so no run elsewhere starts over and no cached fact is read again."""
        depth = getattr(self._local, "depth", 0)
        if depth:
            if self._local.mode != "exclusive":
                raise RuntimeError("skrivning inuti en läsning i samma tråd (programfel)")
            with self._nested():
                yield
            return
        t0 = time.monotonic()
        deadline = t0 + self.timeout
        turn = self._open(self.turnstile)
        data = -1
        try:
            self._acquire(turn, fcntl.LOCK_EX, deadline, "en annan skrivning pågår")
            data = self._open(self.data_lock)
            self._acquire(data, fcntl.LOCK_EX, deadline, "läsningar pågår")
            self._waited(t0)
            try:
                with self._holding("exclusive"):
                    yield
            finally:
                try:
                    if bump:
                        self.bump()  # before readers may enter again
                except Exception:
                    if not sys.is_finalizing():  # a store never closed, collected at exit: nothing to tell
                        raise
        finally:
            if data >= 0:
                os.close(data)
            os.close(turn)

    @contextmanager
    def _nested(self) -> Iterator[None]:
        """A pass inside one this thread already holds: only counted."""
        self._local.depth += 1
        try:
            yield
        finally:
            self._local.depth -= 1

    @contextmanager
    def _holding(self, mode: str) -> Iterator[None]:
        """This thread's outermost pass, in `mode`, while the body runs."""
        self._local.depth, self._local.mode = 1, mode
        try:
            yield
        finally:
            self._local.depth, self._local.mode = 0, None

    def held(self) -> str | None:
        """"shared", "exclusive" or None: what this thread holds."""
        return getattr(self._local, "mode", None) if getattr(self._local, "depth", 0) else None

    def _waited(self, t0: float) -> None:
        with self._stats_lock:
            self.waited_s += time.monotonic() - t0

    # -- generation ---------------------------------------------------------------------------
    def generation(self) -> str:
        """Changes with every write window; "0" before the first. Cheap: no database access."""
        try:
            return self.generation_file.read_text(encoding="ascii").strip() or "0"
        except FileNotFoundError:
            return "0"

    def bump(self) -> str:
        value = f"{time.time_ns()}-{os.getpid()}"
        tmp = self.generation_file.with_name(self.generation_file.name + f".{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(value)
        os.replace(tmp, self.generation_file)
        return value
