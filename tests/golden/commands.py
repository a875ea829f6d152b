"""The one list of CLI commands whose output is pinned (issue 9, "Behaviour stays the same").

Shared by `make_golden.py` (writes tests/golden/expected/) and `test_golden.py` (compares).
The steps run in this order against one demo database, because some change it (a justering,
a freeze, and every report logs an export in the audit log that `audit` then lists).

Kinds of step:
  csv     the command writes `--out {out}`; the file is compared byte for byte
  xlsx    the command writes `--out {out}`; compared as sheet names, freeze panes and every
          cell's value and number format (openpyxl), never as bytes (xlsx zips hold timestamps)
  stdout  what the command prints on standard output is compared byte for byte
  error   the command must fail: its exit code and standard error are compared

`times=True`: wall-clock times in the output (the audit log's `tid`, a justering's `tidpunkt`,
the import log in `status`) are replaced by <TID> before comparing, and the database path by
<DB>; see `normalise`. Nothing else is normalised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SEED = 7
IDAG = "2026-10-15"  # the demo holds data through 2026-09: closed years 2023–2025, 2026 to month 9

# The demo database is built with: python -m iof --db DB demo --seed SEED --idag IDAG
DEMO_ARGS = ["demo", "--seed", str(SEED), "--idag", IDAG]

# The environment the CLI runs in: a fixed user (the audit log and justeringar name it); the
# variables that would point it at another database, config or roles file are removed.
ENV_SET = {"IOF_USER": "golden", "TZ": "Europe/Stockholm", "LC_ALL": "C.UTF-8"}
ENV_REMOVE = ("IOF_DB", "IOF_CONFIG", "IOF_ROLLER")


@dataclass(frozen=True)
class Step:
    name: str  # file stem under expected/, unique
    args: tuple[str, ...]  # after `python -m iof --db DB`; "{out}" is replaced by the output file
    kind: str = "csv"  # csv | xlsx | stdout | error
    times: bool = False  # normalise wall-clock times and the database path

    @property
    def file_name(self) -> str:
        return self.name + {"csv": ".csv", "xlsx": ".xlsx.txt", "stdout": ".txt", "error": ".err.txt"}[self.kind]


def _r(name: str, *args: str, kind: str = "csv", times: bool = False) -> Step:
    """A report step: `report <args> [--format xlsx] --out {out}`."""
    fmt = ("--format", "xlsx") if kind == "xlsx" else ()
    return Step(name, ("report", *args, *fmt, "--out", "{out}"), kind, times)


T1, T2, LAST = "4", "8", "9"  # 2026: tertial 1 (April), tertial 2 (August), the latest month
UNIT = "Familjehemsenheten"

STEPS: tuple[Step, ...] = (
    # -- the database is changed first: two chefsjusteringar of the latest month ---------------------
    Step("00-justering-2026-09-a", ("justering", "--år", "2026", "--månad", LAST, "--enhet", UNIT,
                                  "--kostnadsslag", "Entreprenader och köp av verksamhet",
                                  "--belopp-tkr", "-340.25", "--kommentar", "Två HVB-placeringar avslutas i oktober",
                                  "--av", "golden"), "stdout"),
    Step("00-justering-2026-09-b", ("justering", "--år", "2026", "--månad", LAST, "--enhet", "Familjestöd",
                                  "--kostnadsslag", "Övriga kostnader", "--belopp-tkr", "125.5",
                                  "--kommentar", "Golden; test", "--av", "golden"), "stdout"),
    # -- the prognosis round (issue 12): replace justering 2 by the same amount (a withdrawal line and a
    #    new line; the numbers stay), mark one unit lämnad, keep a meeting comment ---------------------
    Step("01-justering-ersätt", ("justering", "--återkalla", "2", "--belopp-tkr", "125.5",
                                 "--kommentar", "Ersatt med rätt kommentar", "--av", "golden"), "stdout"),
    Step("02-lämna-2026-09", ("lämna", "--år", "2026", "--månad", LAST, "--enhet", UNIT,
                              "--kommentar", "Klar efter genomgång", "--av", "golden"), "stdout"),
    Step("03-kommentar-2026-09", ("kommentar", "--år", "2026", "--månad", LAST, "--enhet", UNIT,
                                  "--kommentar", "Beslut: följ upp HVB i oktober", "--av", "golden"), "stdout"),
    # -- placeringar: T1 month end, a day inside T2, a day inside the latest month, one unit ----------
    _r("placeringar-2026-04-30", "placeringar", "--datum", "2026-04-30"),
    _r("placeringar-2026-08-12", "placeringar", "--datum", "2026-08-12"),
    _r("placeringar-2026-09-15", "placeringar", "--datum", "2026-09-15"),
    _r("placeringar-2026-09-15-enhet", "placeringar", "--datum", "2026-09-15", "--enhet", UNIT),
    Step("placeringar-2026-09-15-stdout", ("report", "placeringar", "--datum", "2026-09-15", "--enhet", UNIT), "stdout"),
    _r("placeringar-per-år", "placeringar-per-år", "--från-år", "2023", "--till-år", "2026"),
    _r("placeringar-per-år-enhet", "placeringar-per-ar", "--fran-ar", "2024", "--till-ar", "2026", "--enhet", UNIT),
    # -- trends ------------------------------------------------------------------------------------
    _r("trender-2025-10..2026-09", "trender", "--från", "2025-10", "--till", "2026-09"),
    _r("trender-2026-04-enhet", "trender", "--från", "2026-04", "--till", "2026-04", "--enhet", "Barn och ungdom"),
    _r("handläggningstider-2025-10..2026-09", "handläggningstider", "--från", "2025-10", "--till", "2026-09"),
    _r("handläggningstider-2026-08-enhet", "handlaggningstider", "--fran", "2026-08", "--till", "2026-08",
       "--enhet", "Familjerätt"),
    _r("ärenden-över-gräns-2026-09-15", "ärenden-över-gräns", "--datum", "2026-09-15"),
    _r("ärenden-över-gräns-2026-04-30-30d", "arenden-over-grans", "--datum", "2026-04-30", "--dagar", "30",
       "--enhet", "Barn och ungdom"),
    _r("jourhem-2026-09-15", "jourhem", "--datum", "2026-09-15"),
    _r("jourhem-2026-08-12-30d", "jourhem", "--datum", "2026-08-12", "--gräns-dagar", "30"),
    _r("vårdnadsöverflyttning-2026-09-15", "vårdnadsöverflyttning", "--datum", "2026-09-15"),
    _r("vårdnadsöverflyttning-2026-04-30-enhet", "vardnadsoverflyttning", "--datum", "2026-04-30", "--enhet", UNIT),
    _r("sammanbrott-2023..2026", "sammanbrott", "--från-år", "2023", "--till-år", "2026"),
    _r("målstatus-2026-04", "målstatus", "--år", "2026", "--månad", T1),
    _r("målstatus-2026-08", "malstatus", "--år", "2026", "--månad", T2),
    _r("målstatus-2025-12-enhet", "målstatus", "--år", "2025", "--månad", "12", "--enhet", UNIT),
    # -- the prognosis -------------------------------------------------------------------------------
    _r("prognos-2026-04", "prognos", "--år", "2026", "--månad", T1),
    _r("prognos-2026-08", "prognos", "--år", "2026", "--månad", T2),
    _r("prognos-2026-09", "prognos", "--år", "2026", "--månad", LAST),
    _r("prognos-2026-08-enhet", "prognos", "--år", "2026", "--månad", T2, "--enhet", UNIT),
    _r("prognos-brygga-2026-04", "prognos-brygga", "--år", "2026", "--månad", T1),
    _r("prognos-brygga-2026-08", "brygga", "--år", "2026", "--månad", T2),
    _r("prognos-brygga-2026-09", "prognos-brygga", "--år", "2026", "--månad", LAST),
    _r("prognossäkerhet", "prognossäkerhet"),
    _r("prognossäkerhet-2025-enhet", "prognossakerhet", "--år", "2025", "--enhet", UNIT),
    _r("prognos-backtest", "prognos-backtest"),
    _r("prognos-backtest-detalj", "prognos-backtest", "--detalj"),
    _r("prognos-justeringar-2026-09", "prognos-justeringar", "--år", "2026", "--månad", LAST, times=True),
    _r("prognos-justeringar-2026-09-enhet", "prognos-justeringar", "--år", "2026", "--månad", LAST,
       "--enhet", "Familjestöd", times=True),
    _r("prognos-flytt-2026-08", "prognos-flytt", "--år", "2026", "--månad", T2, "--antal", "3",
       "--från-datum", "2026-09-01"),
    _r("prognos-flytt-2026-09-detalj", "prognos-flytt", "--år", "2026", "--månad", LAST, "--antal", "2",
       "--från-datum", "2026-10-01", "--från-form", "Familjehem konsulentstött", "--detalj"),
    # -- xlsx: the one writer (reports.to_xlsx_bytes) with dates, counts, tkr/kr, mixed values -----
    _r("placeringar-2026-09-15", "placeringar", "--datum", "2026-09-15", kind="xlsx"),
    _r("trender-2026-04-enhet", "trender", "--från", "2026-04", "--till", "2026-04", "--enhet", "Barn och ungdom",
       kind="xlsx"),
    _r("prognos-2026-08", "prognos", "--år", "2026", "--månad", T2, kind="xlsx"),
    _r("prognos-backtest", "prognos-backtest", kind="xlsx"),
    # -- freeze the latest month: the prognosis and bridge now read the snapshot -------------------
    Step("50-prognos-frys-2026-09", ("prognos-frys", "--år", "2026", "--månad", LAST, "--av", "golden"), "stdout"),
    _r("prognos-2026-09-fryst", "prognos", "--år", "2026", "--månad", LAST),
    _r("prognos-brygga-2026-09-fryst", "prognos-brygga", "--år", "2026", "--månad", LAST),
    # -- Swedish errors (exit code and message) --------------------------------------------------------
    Step("fel-justering-tidigare-månad", ("justering", "--år", "2026", "--månad", T2, "--enhet", UNIT,
                                          "--kostnadsslag", "Övriga kostnader", "--belopp-tkr", "10",
                                          "--kommentar", "för sent", "--av", "golden"), "error"),
    Step("fel-återkalla-återkallad", ("justering", "--återkalla", "2", "--kommentar", "igen", "--av", "golden"),
         "error"),
    Step("fel-lämna-tidigare-månad", ("lämna", "--år", "2026", "--månad", T2, "--enhet", "Familjestöd",
                                      "--av", "golden"), "error"),
    Step("fel-okänd-enhet", ("report", "placeringar", "--datum", "2026-09-15", "--enhet", "Okänd enhet"), "error"),
    Step("fel-brygga-januari", ("report", "prognos-brygga", "--år", "2026", "--månad", "1"), "error"),
    Step("fel-prognos-utan-utfall", ("report", "prognos", "--år", "2026", "--månad", "11"), "error"),
    Step("fel-frys-tidigare-månad", ("prognos-frys", "--år", "2026", "--månad", T2), "error"),
    Step("fel-xlsx-utan-out", ("report", "prognos", "--år", "2026", "--månad", T2, "--format", "xlsx"), "error"),
    # -- last: the audit log (every export above is in it) and status ---------------------------------
    Step("90-audit", ("audit", "--format", "csv", "--out", "{out}"), "csv", times=True),
    Step("90-audit-text", ("audit",), "stdout", times=True),
    Step("90-status", ("status",), "stdout", times=True),
)

_TIME = re.compile(rb"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?")


def normalise(data: bytes, step: Step, db: str) -> bytes:
    """Wall-clock times → <TID>, the database path → <DB> (only for steps with `times`)."""
    if not step.times:
        return data
    return _TIME.sub(b"<TID>", data.replace(db.encode(), b"<DB>"))


def dump_xlsx(path) -> bytes:
    """A workbook as text: each sheet's name and freeze panes, then one line per row with every
    cell's value (repr) and number format. What a person sees, without the zip's timestamps."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    lines = []
    for ws in wb.worksheets:
        lines.append(f"sheet {ws.title!r} freeze {ws.freeze_panes} dims {ws.dimensions}")
        for row in ws.iter_rows():
            lines.append(" | ".join(f"{c.value!r} [{c.number_format}]" for c in row))
    return ("\n".join(lines) + "\n").encode()


def check_unique() -> None:
    names = [s.file_name for s in STEPS]
    dup = {n for n in names if names.count(n) > 1}
    assert not dup, f"golden step names must be unique: {sorted(dup)}"


def cli_env() -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if k not in ENV_REMOVE}
    env.update(ENV_SET)
    return env


def run_all(work, python: str | None = None) -> dict[str, bytes]:
    """Build the demo database in `work` and run every step through the CLI as a subprocess.

    Returns expected-file name → normalised output. Raises AssertionError naming the step when
    a command's exit code is not what its kind says.
    """
    import subprocess
    import sys
    from pathlib import Path

    check_unique()
    work = Path(work).resolve()
    work.mkdir(parents=True, exist_ok=True)
    db = work / "golden.duckdb"
    root = Path(__file__).resolve().parents[2]
    base = [python or sys.executable, "-m", "iof", "--db", str(db)]
    env = cli_env()

    def run(args):
        return subprocess.run([*base, *args], cwd=root, env=env, capture_output=True, timeout=300)

    demo = run(DEMO_ARGS)
    assert demo.returncode == 0, f"demo failed ({demo.returncode}): {demo.stderr.decode(errors='replace')}"
    outputs: dict[str, bytes] = {}
    for step in STEPS:
        out = work / "out" / (step.name + (".xlsx" if step.kind == "xlsx" else ".csv"))
        out.parent.mkdir(exist_ok=True)
        res = run([a.replace("{out}", str(out)) for a in step.args])
        stderr = res.stderr.decode(errors="replace")
        if step.kind == "error":
            assert res.returncode != 0, f"{step.name}: expected a failure, got exit 0"
            data = f"exit {res.returncode}\n".encode() + res.stderr
        else:
            assert res.returncode == 0, f"{step.name}: exit {res.returncode}\n{stderr}"
            if step.kind == "csv":
                data = out.read_bytes()
            elif step.kind == "xlsx":
                data = dump_xlsx(out)
            else:
                data = res.stdout
        outputs[step.file_name] = normalise(data, step, str(db))
    return outputs
