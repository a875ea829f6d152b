"""Golden outputs: every CLI report kind, for a fixed demo, gives exactly the committed bytes.

Issue 9 ("Behaviour stays the same"): the package may be reorganised freely, but
`python -m iof …` must print and write what it did before. The commands are listed once, in
tests/golden/commands.py; this test runs them through the CLI as subprocesses (so it does not
depend on where modules live) and compares with tests/golden/expected/:
  csv, standard output and errors byte for byte; xlsx as cell values and number formats.
Only wall-clock times and the database path are normalised (audit log, justeringar, status).

When a change of behaviour is intended, regenerate with
    python3 -m uv run --frozen python tests/golden/make_golden.py
review `git diff tests/golden/expected`, and say in the commit message why the output changed.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from tests.golden.commands import STEPS, run_all

pytestmark = pytest.mark.slow

EXPECTED = Path(__file__).resolve().parent / "expected"


def _diff(name: str, want: bytes, got: bytes, limit: int = 40) -> str:
    a = want.decode("utf-8", errors="replace").splitlines()
    b = got.decode("utf-8", errors="replace").splitlines()
    lines = list(difflib.unified_diff(a, b, f"expected/{name}", f"now/{name}", n=1, lineterm=""))
    if not lines:  # same text, different bytes: line endings, BOM or trailing newline
        lines = [f"same lines, different bytes: expected {want[:12]!r}…{want[-12:]!r}, now {got[:12]!r}…{got[-12:]!r}"]
    more = f"\n… {len(lines) - limit} more diff lines" if len(lines) > limit else ""
    return "\n".join(lines[:limit]) + more


def test_every_report_gives_the_golden_output(tmp_path):
    outputs = run_all(tmp_path)
    expected = {p.name for p in EXPECTED.iterdir() if p.name != ".gitattributes"}
    missing = sorted(set(outputs) - expected)
    assert not missing, f"no golden file for {missing}: run tests/golden/make_golden.py and commit the new files"
    stale = sorted(expected - set(outputs))
    assert not stale, f"golden files without a step in commands.STEPS: {stale}"
    failures = []
    for step in STEPS:
        name = step.file_name
        want = (EXPECTED / name).read_bytes()
        if outputs[name] != want:
            failures.append(f"--- {step.name} ({step.kind}): python -m iof {' '.join(step.args)}\n"
                            + _diff(name, want, outputs[name]))
    assert not failures, (
        f"{len(failures)} of {len(STEPS)} CLI outputs differ from tests/golden/expected:\n\n"
        + "\n\n".join(failures)
    )
