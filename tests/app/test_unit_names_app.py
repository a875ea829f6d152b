"""Issue 11, finding 1 through the app: colliding unit names never break the navigation."""

from __future__ import annotations

import unicodedata

from iof.store.db import Store


def _colliding_demo_db(src, target):
    """A demo database with units stored before the rules existed: case, spaces, line breaks, NFD."""
    import shutil

    shutil.copyfile(src, target)
    with Store(target) as s, s.transaction() as cur:
        for u in ("familjehemsenheten", "Familjehemsenheten ", "Barn\r\noch ungdom",
                  unicodedata.normalize("NFD", "Familjerätt"), "Familjeratt", "???", "Importera"):
            cur.execute("insert into actual select year, month, ?, cost_type, amount_tkr, import_id "
                        "from actual where unit = 'Familjestöd' limit 3", [u]).fetchall()


def test_app_navigation_survives_colliding_unit_names(demo_db_path, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.app.conftest import ROOT

    db = tmp_path / "krock.duckdb"
    _colliding_demo_db(demo_db_path, db)
    monkeypatch.setenv("IOF_DB", str(db))
    monkeypatch.setenv("IOF_USER", "apptest")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception, [e.value for e in at.exception]
    at.switch_page("pages/importera.py").run()
    assert not at.exception, [e.value for e in at.exception]
