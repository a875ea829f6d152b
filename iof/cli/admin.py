"""Command-line commands of issue 6: `iof audit`, `iof backup`, `iof återställ` / `iof restore`.

Contributed to iof.cli through `_extra_commands()`. The command line needs the database file
itself, so whoever runs it acts as the controller; who it is comes from $IOF_USER or the OS.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from iof.store import audit, backup
from iof.present import files
from iof.core.access import Principal, cli_principal
from iof.store.db import Store


def _controller() -> Principal:
    return Principal(cli_principal(), "controller")


def _existing(db) -> Store:
    """The database read-write, but never created by a command that only reads or restores."""
    Store(db, read_only=True).close()  # Swedish error if missing, StoreLocked if in use
    return Store(db)


def log_export(args, kind: str) -> None:
    """An export of `kind` by the CLI user (report parameters, never values)."""
    params = {k: v for k, v in vars(args).items()
              if k not in ("command", "report", "format", "out", "db") and not callable(v)}
    if args.out is not None:
        params["fil"] = Path(args.out).name
    with _existing(args.db) as store:
        audit.log_export(store, cli_principal(), kind, args.format, **params)


# -- iof audit -------------------------------------------------------------------------------------
def _args_audit(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=["csv", "xlsx"], default=None,
                   help="skriv loggen som CSV eller xlsx (annars en läsbar lista)")
    p.add_argument("--out", type=Path, default=None, help="fil att skriva")
    p.add_argument("--antal", type=int, default=None, help="bara de senaste N händelserna")


def cmd_audit(args) -> int:
    if args.format == "xlsx" and args.out is None:
        print("Fel: xlsx kräver --out FIL.", file=sys.stderr)
        return 2
    with _existing(args.db) as store:
        frame = audit.audit_frame(store, _controller())
        if args.antal:
            frame = frame.head(args.antal)
        if args.format is None:
            for r in frame.iter_rows(named=True):
                print(f"#{r['nr']} {r['tid']} {r['vem']}: {r['händelse']} ({r['utfall']}) {r['vad']}")
            if frame.is_empty():
                print("Granskningsloggen är tom.")
            return 0
    log_export(args, "granskningslogg")
    data = files.write(frame, args.format, args.out, sheet="granskningslogg")
    if args.out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        print(f"Skrev {frame.height} händelser till {args.out}", file=sys.stderr)
    return 0


# -- iof backup ------------------------------------------------------------------------------------
def _args_backup(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lista", action="store_true", help="visa befintliga säkerhetskopior, ta ingen ny")


def cmd_backup(args) -> int:
    with _existing(args.db) as store:
        if args.lista:
            found = backup.list_backups(store)
            for b in found:
                print(f"{b}  {b.stat().st_size / 1e6:.1f} MB")
            if not found:
                print(f"Inga säkerhetskopior i {backup.backup_dir(store)}.")
            return 0
        path = backup.take(store)
        audit.log_event(store, cli_principal(), "säkerhetskopia", f"{path.name} (på begäran)")
    print(f"Säkerhetskopia: {path}")
    return 0


# -- iof återställ / restore -----------------------------------------------------------------------
def _args_restore(p: argparse.ArgumentParser) -> None:
    p.add_argument("--backup", "--kopia", dest="backup", type=Path, default=None,
                   help="säkerhetskopian att återställa (annars den senaste)")


def cmd_restore(args) -> int:
    with _existing(args.db) as store:
        used = backup.restore(store, who=cli_principal(), backup=args.backup)
    print(f"Databasen {store.path} är återställd från {used}.")
    return 0


_RESTORE = ("återställ databasen från en säkerhetskopia (den senaste om inget anges)", _args_restore, cmd_restore)
COMMANDS = {
    "audit": ("granskningsloggen: inloggningar, importer, justeringar, exporter, återställningar",
              _args_audit, cmd_audit),
    "backup": ("ta en säkerhetskopia av databasen nu (görs också före varje import)", _args_backup, cmd_backup),
    "återställ": _RESTORE,
    "restore": _RESTORE,
}
