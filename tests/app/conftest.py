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


def _lazy_tab_bars() -> dict[str, tuple[str, ...]]:
    """The app's lazy tab bars (widgets.lazy_tabs calls in pages/ and iof/web/), key -> labels,
    read from the source so a new bar or a renamed tab needs no list here."""
    import ast

    found = {}
    for f in [*(ROOT / "pages").glob("*.py"), *(ROOT / "iof" / "web").glob("*.py")]:
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "lazy_tabs" and node.args:
                key = next(k.value.value for k in node.keywords if k.arg == "key")
                found[key] = tuple(ast.literal_eval(node.args[0]))
    return found


LAZY_TABS = _lazy_tab_bars()


def open_tab(at: AppTest, label: str) -> AppTest:
    """Open one of a page's lazy tabs and rerun: AppTest cannot click a tab, but a tab bar with a
    key is a widget whose value is the open tab's label."""
    shown = [t.label for t in at.tabs]
    assert label in shown, f"no tab {label!r}: {shown}"
    key = next(k for k, labels in LAZY_TABS.items() if label in labels)
    at.session_state[key] = label
    return at.run()


def each_tab(at: AppTest):
    """Open each lazy tab of the page in turn and yield its label; a page without lazy tabs yields
    None once (its content is all drawn)."""
    shown = [t.label for t in at.tabs]
    lazy = [labels for labels in LAZY_TABS.values() if set(labels) <= set(shown)]
    if not lazy:
        yield None
        return
    for labels in lazy:
        for label in labels:
            open_tab(at, label)
            yield label
