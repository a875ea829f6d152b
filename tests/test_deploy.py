"""Operations (issue 14, part 3): the systemd units are valid, the nightly import script works."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze finns inte här")
def test_systemd_units_verify(tmp_path):
    # The units name /opt/iof; verify them with this checkout and this Python in those places.
    for unit in DEPLOY.glob("*.service"):
        text = unit.read_text(encoding="utf-8")
        text = text.replace("/opt/iof/.venv/bin/python", sys.executable).replace("/opt/iof", str(ROOT))
        name = unit.name.replace("@.service", "@8501.service") if unit.name.startswith("iof-dashboard") else unit.name
        (tmp_path / name).write_text(text, encoding="utf-8")
    shutil.copy(DEPLOY / "iof-import.timer", tmp_path / "iof-import.timer")
    larm = (tmp_path / "iof-larm@.service").read_text(encoding="utf-8")
    (tmp_path / "iof-larm@iof-import.service.service").write_text(larm, encoding="utf-8")
    units = ["iof-dashboard@8501.service", "iof-import.service", "iof-import.timer"]
    out = subprocess.run(["systemd-analyze", "verify", *units], cwd=tmp_path, capture_output=True, text=True)
    assert out.returncode == 0 and not out.stderr.strip(), out.stderr


def test_nightly_script_imports_and_archives(tmp_path):
    inbox = tmp_path / "inkorg"
    inbox.mkdir()
    for f in ("utfall_2025-03_exempel.csv", "budget_2025_exempel.csv"):
        shutil.copy(EXAMPLES / f, inbox / f)
    env = {**os.environ, "IOF_DB": str(tmp_path / "iof.duckdb"), "IOF_BIN": f"{sys.executable} -m iof",
           "IOF_USER": "nattlig-import"}
    run = subprocess.run(["sh", str(DEPLOY / "nattlig-import.sh"), str(inbox)], env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "Importen klar" in run.stdout
    archived = list((inbox / "arkiv").glob("*/*.csv"))
    assert sorted(p.name for p in archived) == ["budget_2025_exempel.csv", "utfall_2025-03_exempel.csv"]
    # Nothing new: exit 0. A bad file: non-zero, the file stays, the report says why.
    again = subprocess.run(["sh", str(DEPLOY / "nattlig-import.sh"), str(inbox)], env=env,
                           capture_output=True, text=True, timeout=60)
    assert again.returncode == 0 and "Inga nya filer" in again.stdout
    (inbox / "utfall_fel.csv").write_text("år;månad;enhet;kostnadsslag;belopp_tkr\n2025;13;X;Lön;1\n",
                                          encoding="utf-8")
    bad = subprocess.run(["sh", str(DEPLOY / "nattlig-import.sh"), str(inbox)], env=env,
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode != 0
    assert (inbox / "utfall_fel.csv").exists()
    assert "Ingenting från den här importen har sparats" in (inbox / "senaste-rapport.txt").read_text("utf-8")
