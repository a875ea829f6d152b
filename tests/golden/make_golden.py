"""Write the golden outputs of every CLI report to tests/golden/expected/ (issue 9).

    python3 -m uv run --frozen python tests/golden/make_golden.py

Builds the fixed demo database (commands.DEMO_ARGS: seed 7, idag 2026-10-15) in a temporary
directory, runs every step of commands.STEPS through `python -m iof` and writes what each gave.
tests/golden/test_golden.py runs the same steps and demands the same bytes.

Regenerate ONLY when a change of behaviour is intended (a new column, a corrected number), never
to make a refactoring pass; review `git diff tests/golden/expected` and say in the commit message
why the output changed. Files of steps no longer in STEPS are removed.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.golden.commands import run_all  # noqa: E402

EXPECTED = Path(__file__).resolve().parent / "expected"


def main() -> int:
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="iof-golden-") as tmp:
        outputs = run_all(tmp)
    EXPECTED.mkdir(exist_ok=True)
    for old in EXPECTED.iterdir():
        if old.name not in outputs and old.name != ".gitattributes":
            old.unlink()
            print(f"removed {old.name}")
    changed = 0
    for name, data in sorted(outputs.items()):
        path = EXPECTED / name
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
            changed += 1
            print(f"wrote {name}")
    print(f"{len(outputs)} outputs, {changed} changed, {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
