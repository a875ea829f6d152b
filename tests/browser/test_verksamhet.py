"""The Verksamhet pages (Placeringar, Handläggningstider, Personal) in real headless Chromium:
no exception, Swedish headings and numbers, the unit drill-down via ?enhet=, screenshots."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from tests.browser.conftest import no_exception, screenshot, wait_idle

pytestmark = pytest.mark.browser

SIZES = [(1280, 800), (1920, 1080)]
# (path, title, a heading of the page, the lazy tab that holds it, if any)
PAGES = [
    ("placeringar", "Placeringar", "Aktiva placeringar den 2026-10-31", "Aktiva placeringar"),
    ("handlaggningstider", "Handläggningstider", "Avslutade i oktober 2026", None),
    ("personal", "Personal", "Enheterna i oktober 2026", None),
]
ENGLISH = re.compile(r"\b(Select|Choose an option|No data|Loading|Error|Traceback)\b")


def _unit_shown(page) -> str:
    return page.get_by_role("combobox", name="Enhet").input_value()


def _check_page(page, title: str, section: str, tab: str | None) -> None:
    no_exception(page)
    assert page.get_by_role("heading", name=title, exact=True).is_visible()
    page.locator('[data-testid="stPlotlyChart"]').first.wait_for(timeout=30_000)  # drawn after the run
    if tab:  # a lazy tab (widgets.lazy_tabs): its content is drawn once it is clicked open
        assert page.get_by_role("heading", name=section).count() == 0
        page.get_by_role("tab", name=tab, exact=True).click()
        wait_idle(page)
        page.get_by_role("heading", name=section).wait_for(timeout=30_000)
        no_exception(page)
    assert page.get_by_role("heading", name=section).count() == 1
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert not ENGLISH.search(text), ENGLISH.search(text)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("path,title,section,tab", PAGES, ids=[p[0] for p in PAGES])
def test_verksamhet_page_in_chromium(page_at, size, path, title, section, tab):
    page = page_at(path, *size)
    _check_page(page, title, section, tab)
    screenshot(page, f"{path}_{size[0]}x{size[1]}")


@pytest.mark.parametrize("path,title,section,tab", PAGES, ids=[p[0] for p in PAGES])
def test_verksamhet_page_for_one_unit_via_the_url(page_at, path, title, section, tab):
    unit = "Barn och ungdom"
    page = page_at(f"{path}?enhet={quote(unit)}", 1280, 800)
    _check_page(page, title, section, tab)
    assert _unit_shown(page) == unit
    screenshot(page, f"{path}_barn_och_ungdom")


def test_placeringar_unit_without_placements_gets_a_swedish_message(page_at):
    page = page_at(f"placeringar?enhet={quote('Familjerätt')}", 1280, 800)
    no_exception(page)
    assert page.get_by_text("Familjerätt har inga placeringar").is_visible()
