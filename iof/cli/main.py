"""The command line: `iof import`, `iof demo`, `iof report`, `iof status` (python -m iof)."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

from iof.cli import reports
from iof.pipeline.reports import ReportError
from iof.present import files
from iof.store.db import Store, StoreError


_SV = {
    "usage: ": "användning: ",
    "positional arguments": "argument",
    "options": "val",
    "show this help message and exit": "visa den här hjälpen och avsluta",
    "the following arguments are required: %s": "dessa argument krävs: %s",
    "unrecognized arguments: %s": "okända argument: %s",
    "expected one argument": "ett värde krävs",
    "invalid choice: %(value)r (choose from %(choices)s)": "ogiltigt val: %(value)r (välj bland %(choices)s)",
    "invalid %(type)s value: %(value)r": "ogiltigt värde: %(value)r",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s: %(message)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fel: %(message)s\n",
}
argparse._ = lambda text: _SV.get(text, text)  # argparse looks `_` up at call time: Swedish help


class SwedishParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own messages are English
        from iof.core.privacy import redact

        message = (
            redact(message).replace("the following arguments are required", "dessa argument krävs")
            .replace("unrecognized arguments", "okända argument")
            .replace("invalid choice", "ogiltigt val")
            .replace("argument ", "argument ")
            .replace("expected one argument", "ett värde krävs")
        )
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fel: {message}\n")


def _parser() -> argparse.ArgumentParser:
    p = SwedishParser(prog="iof", description="IoF ledningsdashboard: import, demodata och rapporter.")
    p.add_argument("--db", default=None, help="databasfil (annars $IOF_DB eller data/iof.duckdb)")
    sub = p.add_subparsers(dest="command", required=True, parser_class=SwedishParser)

    imp = sub.add_parser("import", help="kontrollera och spara extraktfiler (allt eller inget)")
    imp.add_argument("files", nargs="+", metavar="FIL")
    imp.add_argument("--kind", "--typ", dest="kind", default=None,
                     help="tvinga typ: budget, utfall, placeringar, bemanning, arenden, huvudbok")
    imp.add_argument("--kontoplan", type=Path, default=None,
                     help="kontoplan för huvudboksfiler (annars $IOF_KONTOPLAN eller data/config/kontoplan.toml)")
    imp.add_argument("--ny-enhet", dest="new_units", action="append", default=[], metavar="NAMN",
                     help="godkänn en ny enhet som inte finns i databasen (kan anges flera gånger)")
    imp.add_argument("--db", default=argparse.SUPPRESS)

    demo = sub.add_parser("demo", help="skriv realistiska demodata (tydligt märkta) till databasen")
    demo.add_argument("--scale", choices=["district", "city"], default="district")
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--idag", type=date.fromisoformat, default=None,
                      help="dagens datum för demodata (ÅÅÅÅ-MM-DD); data t.o.m. månaden före")
    demo.add_argument("--out-dir", type=Path, default=None, help="spara även extraktfilerna här")
    demo.add_argument("--ledger", "--huvudbok", dest="ledger", action="store_true",
                      help="budget och utfall som ekonomisystemets huvudboksexport (kr, ansvar, konto) "
                           "med kontoplan.toml, i stället för kontraktets filer")
    demo.add_argument("--db", default=argparse.SUPPRESS)

    st = sub.add_parser("status", help="vilka perioder som finns i databasen och importloggen")
    st.add_argument("--db", default=argparse.SUPPRESS)

    rep = sub.add_parser("report", help="skriv en rapport (CSV eller xlsx)")
    rsub = rep.add_subparsers(dest="report", required=True, parser_class=SwedishParser)
    for name, spec in reports.REPORTS.items():
        aliases = [a for a, target in reports.REPORT_ALIASES.items() if target == name]
        rp = rsub.add_parser(name, help=spec.help, aliases=aliases)
        spec.add_arguments(rp)
        rp.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        rp.add_argument("--out", type=Path, default=None, help="fil att skriva (annars standard ut, bara CSV)")
        rp.add_argument("--db", default=argparse.SUPPRESS)
    for name, spec in _extra_commands().items():
        cp = sub.add_parser(name, help=spec[0])
        spec[1](cp)
        cp.add_argument("--db", default=argparse.SUPPRESS)
    return p


def _extra_commands() -> dict:
    """Commands other modules contribute: name -> (help, add_arguments, run(args) -> exit code)."""
    from iof.cli import admin as cli_access
    from iof.pipeline import forecast_reports

    return {**forecast_reports.commands(), **cli_access.COMMANDS}


def cmd_import(args) -> int:
    from iof.pipeline.importer import import_files

    # No connection is held while the files are read: the app (and other app processes) go on
    # serving, and wait only for the short write window (docs/drift.md).
    with Store(args.db, hold=False) as store:
        result = import_files(store, args.files, kind=args.kind, mapping=args.kontoplan, new_units=args.new_units)
    out = sys.stdout if result.ok else sys.stderr
    print(result.report(), file=out)
    if result.window_s:
        wait, inside = result.window_s
        w, i = (f"{x:.2f}".replace(".", ",") for x in (wait, inside))
        print(f"Skrivfönster: väntade {w} s på läsare, skrev {i} s.", file=out)
    return 0 if result.ok else 1


def cmd_demo(args) -> int:
    from iof.pipeline.importer import load_demo

    t0 = time.perf_counter()
    with Store(args.db) as store:
        result = load_demo(store, scale=args.scale, seed=args.seed, today=args.idag, out_dir=args.out_dir,
                           ledger=args.ledger)
        elapsed = time.perf_counter() - t0
        if not result.ok:
            print(result.report(), file=sys.stderr)
            return 1
        rows = sum(e.n_rows for e in result.stored)
        for e in result.stored:
            for line in e.details:
                print(f"{e.file_name}: {line}")
        size = store.path.stat().st_size / 1e6 if store.path.exists() else 0
        print(
            f"Demodata ({args.scale}, seed {args.seed}) i {store.path}: {len(result.stored)} filer, "
            f"{rows} rader, {elapsed:.1f} s, databasen {size:.1f} MB."
        )
    return 0


def cmd_status(args) -> int:
    with Store(args.db) as store:
        print(f"Databas: {store.path}{' (DEMODATA)' if store.is_demo() else ''}")
        periods = store.query("loaded_periods")
        if periods.is_empty():
            print("Databasen är tom.")
        for kind, g in periods.group_by("kind", maintain_order=True):
            months = g.filter(g["month"] > 0)
            years = sorted(set(g["year"].to_list()))
            span = f"{years[0]}–{years[-1]}" if years else "–"
            print(f"{kind[0]}: år {span}, {months.height} månader")
        log = store.query("import_log_all").head(10)
        for r in log.iter_rows(named=True):
            print(f"  #{r['import_id']} {r['imported_at']:%Y-%m-%d %H:%M} {r['imported_by']}: "
                  f"{r['file_name']} ({r['kind']}, {r['period']}, {r['n_rows']} rader)")
    return 0


def cmd_report(args) -> int:
    name = reports.REPORT_ALIASES.get(args.report, args.report)
    spec = reports.REPORTS[name]
    if args.format == "xlsx" and args.out is None:
        print("Fel: xlsx kräver --out FIL.", file=sys.stderr)
        return 2
    with Store(args.db, read_only=True) as store:
        frame = spec.build(store, args)
    from iof.cli import admin as cli_access

    cli_access.log_export(args, f"rapport {name}")  # logged before anything leaves
    data = files.write(frame, args.format, args.out, sheet=name)
    if args.out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        print(f"Skrev {frame.height} rader till {args.out}", file=sys.stderr)
    return 0


def _argument_with_personnummer(args: argparse.Namespace) -> str | None:
    """The option name of the first argument that looks like a personnummer (the files of
    `iof import` excepted: their names are stored and shown redacted), else None."""
    from iof.core.personnummer import contains

    for dest, value in vars(args).items():
        if dest == "files" and args.command == "import":
            continue
        for v in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(v, (str, Path)) and contains(str(v)):
                return dest
    return None


def main(argv: list[str] | None = None) -> int:
    from iof.store.db import private_files

    private_files()  # reports, backups and the database hold personal data: owner-only files
    args = _parser().parse_args(argv)
    bad = _argument_with_personnummer(args)
    if bad is not None:
        print(
            f"Fel: argumentet {bad} liknar ett personnummer eller samordningsnummer och används "
            "inte (värdet visas inte).",
            file=sys.stderr,
        )
        return 2
    commands = {"import": cmd_import, "demo": cmd_demo, "status": cmd_status, "report": cmd_report}
    try:
        if args.command in commands:
            return commands[args.command](args)
        return _extra_commands()[args.command][2](args)
    except (StoreError, ReportError) as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        return 2
    except PermissionError as exc:
        print(f"Fel: {exc.filename or 'filen'} får inte läsas eller skrivas (saknar behörighet eller "
              "skrivskyddad mapp).", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
