"""No personnummer anywhere: every output the package can produce, on data seeded with attempts.

A database is built from the district demo files (imported as real data) plus files that try to
smuggle personnummer in: in id columns, in free-text and numeric columns, in enum columns, in
header names and in file names. Every attempt in the content must be rejected; a file whose
only fault is its name is stored under a redacted name, and an extra column named like one is
ignored without its name being shown. Then every command-line output (import
reports, status, every report in CSV and xlsx, the audit log as text, CSV and xlsx, backup and
restore messages, Swedish error messages) and every text column of the database is scanned with
`looks_like_personnummer`. The app's pages are scanned in the lead's AppTest suite.
"""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import duckdb
import pytest

from iof.cli.main import main
from iof.ingest.demo import write_demo_extracts
from iof.core.privacy import looks_like_personnummer
from tests.conftest import write_csv

TODAY = date(2026, 11, 1)
# Real shapes: 10 and 12 digits, with - and +, a samordningsnummer (day + 60), Skatteverket's test number.
PNRS = ["121212-1212", "191212121212", "1212121212", "121212+1212", "701063-2391", "19701063-2391"]
H_PL = ["placerings_id", "barn_id", "enhet", "placeringsform", "startdatum", "slutdatum",
        "planerat_slutdatum", "dygnskostnad_kr", "avslutsorsak", "lagrum", "kön", "födelseår", "ensamkommande"]
OK_PL = ["P-X1", "B-X1", "Familjestöd", "HVB", "2026-01-10", "", "", "5000", "", "SoL", "F", "2012", "nej"]
H_AR = ["ärende_id", "enhet", "ärendetyp", "inkom_datum", "start_datum", "avslut_datum"]
OK_AR = ["Ä-X1", "Familjestöd", "Utredning", "2026-01-10", "2026-01-20", ""]
H_UTF = ["år", "månad", "enhet", "kostnadsslag", "belopp_tkr"]
OK_UTF = ["2026", "9", "Familjestöd", "Lokalkostnader", "10"]


def attempts(d: Path) -> list[Path]:
    """One file per (column, shape) attempt in the content; each must be rejected."""
    d.mkdir()
    files = []
    for i, pnr in enumerate(PNRS):
        for header, ok, kind in ((H_PL, OK_PL, "placeringar"), (H_AR, OK_AR, "arenden"), (H_UTF, OK_UTF, "utfall")):
            for col in header:
                row = list(ok)
                row[header.index(col)] = pnr
                name = f"{kind}_2026-10_{col}_{i}.csv"
                files.append(write_csv(d / name, [header, row]))
    return files


# A value for every required option of every report, by its dest; --enhet where a report has it.
VALUES = {"datum": "2026-10-31", "från_år": "2023", "till_år": "2026", "från": "2025-01", "till": "2026-09",
          "år": "2026", "månad": "9", "antal": "2", "från_datum": "2026-01-01"}


def every_report() -> list[list[str]]:
    """Arguments for every report of `iof report`, read from the parser itself (so new reports
    are scanned too): once for all units and once for one unit where the report takes --enhet."""
    import argparse

    from iof.cli import main as cli

    def subparsers(p):
        return next(a for a in p._actions if isinstance(a, argparse._SubParsersAction))

    reports = subparsers(subparsers(cli._parser()).choices["report"]).choices
    out, seen = [], set()
    for name, sp in reports.items():
        if id(sp) in seen:
            continue
        seen.add(id(sp))
        args = [name]
        for a in sp._actions:
            if a.required:
                args += [a.option_strings[0], VALUES[a.dest]]
        out.append(args)
        if any(a.dest == "enhet" for a in sp._actions):
            out.append(args + ["--enhet", "Familjestöd"])
    assert len(out) >= 15
    return out


def text_of(path: Path) -> str:
    """Everything inside a file: an xlsx's every XML part, or a CSV's text."""
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    return path.read_bytes().decode("utf-8-sig", "replace")


def assert_clean(label: str, text: str) -> None:
    for line in text.splitlines():
        assert not looks_like_personnummer(line), f"{label}: a personnummer shape in {line[:200]!r}"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """(label, text) of every output; the database path."""
    root = tmp_path_factory.mktemp("pnr")
    db = root / "iof.duckdb"
    out: list[tuple[str, str]] = []
    mp = pytest.MonkeyPatch()
    mp.setenv("IOF_USER", "anna@x.se")
    cap = _Capture(mp)

    def run(*argv: str, expect: int | None = 0) -> None:
        cap.reset()
        code = main(["--db", str(db), *argv])
        label = " ".join(argv)[:120]
        out.append((f"{label} (stdout)", cap.out()))
        out.append((f"{label} (stderr)", cap.err()))
        if expect is not None:
            assert code == expect, (argv, cap.err()[-2000:])

    demo = write_demo_extracts(root / "demo", scale="district", seed=3, today=TODAY)
    run("import", *map(str, demo))
    bad = attempts(root / "bad")
    for f in bad:
        run("import", str(f), expect=1)
    # only the name is wrong: stored, under a redacted name
    named = write_csv(root / f"utfall_2026-09_{PNRS[1]}.csv", [H_UTF, OK_UTF])
    run("import", str(named))
    # a personnummer as an extra column's name: the column is ignored, its name never shown
    header = write_csv(root / "utfall_2026-10_rubrik.csv", [H_UTF + [PNRS[0]], OK_UTF + [PNRS[0]]])
    run("import", str(header))
    # all attempts in one batch too (the report lists every file)
    run("import", *map(str, bad[:40]), expect=1)

    run("status")
    run("justering", "--år", "2026", "--månad", "10", "--enhet", "Familjestöd", "--kostnadsslag",
        "Lokalkostnader", "--belopp-tkr", "12", "--kommentar", "Ny hyra", "--av", "anna@x.se")
    run("justering", "--år", "2026", "--månad", "10", "--enhet", "Familjestöd", "--kostnadsslag",
        "Lokalkostnader", "--belopp-tkr", "12", "--kommentar", f"gäller {PNRS[0]}", expect=2)
    run("prognos-frys", "--år", "2026", "--månad", "10")
    for i, args in enumerate(every_report()):
        run("report", *args)
        f = root / f"rapport-{i}.xlsx"
        run("report", *args, "--format", "xlsx", "--out", str(f))
        out.append((f.name, text_of(f)))
    csvfile = root / "rapport.csv"
    run("report", "placeringar", "--datum", "2026-10-31", "--out", str(csvfile))
    out.append(("rapport.csv", text_of(csvfile)))
    # user input with a personnummer in it is not echoed either
    run("report", "placeringar", "--datum", "2026-10-31", "--enhet", PNRS[0], expect=2)
    with pytest.raises(SystemExit):
        run("report", "placeringar", "--datum", PNRS[0], expect=None)
    out.append(("argparse error", cap.err()))
    run("backup")
    run("backup", "--lista")
    run("återställ")
    run("audit")
    run("audit", "--format", "csv")
    log = root / "granskning.xlsx"
    run("audit", "--format", "xlsx", "--out", str(log))
    out.append((log.name, text_of(log)))
    mp.undo()
    return out, db


class _Capture:
    """sys.stdout/stderr (text and the buffer the CSV writer uses) captured into strings."""

    def __init__(self, mp: pytest.MonkeyPatch):
        import io
        import sys

        self._io, self._sys, self._mp = io, sys, mp
        self.reset()

    def reset(self) -> None:
        self._o = self._io.TextIOWrapper(self._io.BytesIO(), encoding="utf-8")
        self._e = self._io.TextIOWrapper(self._io.BytesIO(), encoding="utf-8")
        self._mp.setattr(self._sys, "stdout", self._o)
        self._mp.setattr(self._sys, "stderr", self._e)

    def _read(self, f) -> str:
        f.flush()
        return f.buffer.getvalue().decode("utf-8-sig", "replace")

    def out(self) -> str:
        return self._read(self._o)

    def err(self) -> str:
        return self._read(self._e)


def test_every_attempt_in_the_content_was_rejected(outputs):
    out, _db = outputs
    rejected = [t for label, t in out if label.startswith("import ") and "(stderr)" in label
                and "Importen avbröts" in t]
    assert len(rejected) >= len(PNRS) * (len(H_PL) + len(H_AR) + len(H_UTF))
    assert all("personnummer" in t or "finns inte" in t or "[dolt" in t or "okänt värde" in t
               or "inte ett" in t or "utanför" in t for t in rejected)


def test_no_output_carries_a_personnummer(outputs):
    out, _db = outputs
    assert len(out) > 40
    for label, text in out:
        assert_clean(label, text)


def test_the_database_holds_no_personnummer(outputs):
    _out, db = outputs
    con = duckdb.connect(str(db), read_only=True)
    try:
        cols = con.execute(
            "select table_name, column_name from information_schema.columns "
            "where table_schema = 'main' and data_type = 'VARCHAR'").fetchall()
        assert cols
        for table, column in cols:
            values = con.execute(f'select distinct "{column}" from "{table}"').fetchall()
            for (v,) in values:
                assert v is None or not looks_like_personnummer(v), f"{table}.{column}"
        names = [r[0] for r in con.execute("select file_name from import_log").fetchall()]
        assert "utfall_2026-09_[dolt].csv" in names
    finally:
        con.close()
