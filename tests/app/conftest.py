"""AppTest fixtures: the real app.py on a real demo database."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
DEMO_TODAY = date(2026, 11, 23)


@pytest.fixture(scope="session")
def demo_db_path(tmp_path_factory) -> Path:
    from iof.pipeline.importer import load_demo
    from iof.store.db import Store

    path = tmp_path_factory.mktemp("apptest") / "demo.duckdb"
    with Store(path) as s:
        assert load_demo(s, today=DEMO_TODAY).ok
    return path


@pytest.fixture
def app(demo_db_path, monkeypatch):
    monkeypatch.setenv("IOF_DB", str(demo_db_path))
    monkeypatch.setenv("IOF_USER", "apptest")

    def _make() -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        return at

    return _make
