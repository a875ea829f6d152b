"""Issue 11, finding 1 in real Chromium: units whose names collide (case, spaces, line breaks,
NFD, same page address) each get a page of their own, and no page raises."""

from __future__ import annotations

import shutil
import unicodedata

import pytest

from iof.core import unitnames
from iof.store.db import Store
from tests.browser.conftest import no_exception, run_server, wait_idle

pytestmark = pytest.mark.browser

ODD = ("familjehemsenheten", "Familjehemsenheten ", "Barn\r\noch ungdom",
       unicodedata.normalize("NFD", "Familjerätt"), "Familjeratt", "???", "Importera")


@pytest.fixture(scope="module")
def colliding_server(demo_db, tmp_path_factory):
    db = tmp_path_factory.mktemp("krock") / "krock.duckdb"
    shutil.copyfile(demo_db, db)
    with Store(db) as s, s.transaction() as cur:
        for u in ODD:  # stored as a database from before the rules would hold them
            cur.execute("insert into actual select year, month, ?, cost_type, amount_tkr, import_id "
                        "from actual where unit = 'Familjestöd' limit 3", [u]).fetchall()
        units = None
    with Store(db) as s:
        units = s.units()
    with run_server(db) as url:
        yield url, unitnames.page_paths(units)


def test_colliding_unit_names_each_get_a_page_and_nothing_raises(browser, colliding_server):
    url, paths = colliding_server
    assert len(set(paths.values())) == len(paths)
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, locale="sv-SE")
    try:
        page = ctx.new_page()
        page.goto(url)
        wait_idle(page)
        no_exception(page)
        assert page.get_by_text("Two pages resolve").count() == 0
        for unit in ("Familjerätt", unicodedata.normalize("NFD", "Familjerätt"), "Familjeratt", "???"):
            page.goto(f"{url}/{paths[unit]}")
            wait_idle(page)
            no_exception(page)
            assert page.get_by_text("Two pages resolve").count() == 0
            assert page.get_by_role("heading", level=1).first.inner_text().strip() == unitnames.normalise(unit) \
                or page.get_by_role("heading", level=1).first.inner_text().strip() == unit
    finally:
        ctx.close()
