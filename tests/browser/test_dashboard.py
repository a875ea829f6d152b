"""The monthly meeting in real Chromium: overview → unit, change month, adjust, export, every page."""

from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook

from tests.browser.conftest import no_exception, screenshot, wait_idle

pytestmark = pytest.mark.browser

PAGES = ["", "prognossakerhet", "apt", "enhet-familjehemsenheten", "enhet-barn-och-ungdom",
         "placeringar", "handlaggningstider", "personal", "importera", "datastatus"]


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)], ids=["1280x800", "1920x1080"])
def test_every_page_renders_and_is_photographed(page_at, size):
    for path in PAGES:
        page = page_at(path, *size)
        no_exception(page)
        assert page.get_by_text("Demodata.").first.is_visible(), path
        assert not page.get_by_text("Page not found").count(), path
        screenshot(page, f"{path or 'oversikt'}_{size[0]}x{size[1]}")
        page.context.close()


def _metric(page, label: str) -> str:
    box = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return box.locator('[data-testid="stMetricValue"]').inner_text().strip()


def _choose(page, label: str, option: str) -> None:
    """Pick an option of a Streamlit selectbox (retry: a rerun may close the list under us)."""
    for _ in range(3):
        page.get_by_label(label).first.click()
        choice = page.get_by_role("option", name=option, exact=True)
        try:
            choice.wait_for(timeout=5000)
            choice.click()
            break
        except Exception:
            page.keyboard.press("Escape")
            wait_idle(page)
    wait_idle(page)


def test_overview_to_unit_change_month_and_adjust(page_at):
    page = page_at("")
    assert page.get_by_role("heading", name="IoF-översikt").is_visible()
    # To a unit through the UI (the link under the overview table).
    page.get_by_role("link", name="Familjehemsenheten").last.click()
    wait_idle(page)
    assert page.get_by_role("heading", name="Familjehemsenheten").is_visible()
    assert "enhet-familjehemsenheten" in page.url

    # Enter an adjustment of +1 000 tkr on a cost line: the prognosis rises by 1,0 mnkr.
    before = _metric(page, "Helårsprognos")
    page.get_by_label("Belopp (tkr)", exact=True).fill("1 000")
    page.get_by_label("Kommentar (varför?)", exact=True).fill("Två nya HVB-placeringar beslutade i oktober")
    page.get_by_role("button", name="Spara justering").click()
    wait_idle(page)
    no_exception(page)
    after = _metric(page, "Helårsprognos")
    to_num = lambda s: float(s.replace("\u00a0mnkr", "").replace("\u2212", "-").replace(",", "."))  # noqa: E731
    assert to_num(after) == pytest.approx(to_num(before) + 1.0, abs=0.051)
    # The adjustment is shown apart from the model, and the analysis text names it.
    assert page.get_by_text("I prognosen ingår chefens justeringar på +1,0\u00a0mnkr netto").is_visible()
    screenshot(page, "enhet_justering")

    # Change the month in the sidebar: the prognosis is recomputed and the URL carries it.
    _choose(page, "Månad (utfall t.o.m.)", "augusti")
    assert page.get_by_text("efter utfall t.o.m. augusti 2026").is_visible()
    assert _metric(page, "Helårsprognos") != after
    assert re.search(r"m%C3%A5nad=|månad=", page.url)
    assert page.get_by_text("En tidigare månads prognos ändras inte i efterhand").is_visible()
    screenshot(page, "enhet_augusti")


def test_download_the_excel_export_and_open_it(page_at, tmp_path):
    page = page_at("")
    with page.expect_download() as info:
        page.get_by_role("button", name="Prognosen som Excel (T1/T2/VB)").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.name.startswith("prognos_") and path.suffix == ".xlsx"
    wb = load_workbook(path)
    assert wb.sheetnames == ["Sammanfattning", "Per kostnadsslag", "Brygga", "Brygga, alla poster", "Analys",
                             "Justeringar"]
    ws = wb["Sammanfattning"]
    units = [ws.cell(row=r, column=1).value for r in range(5, 5 + 6)]
    assert units[-1] == "IoF totalt" and "Familjehemsenheten" in units
    assert "DEMODATA" in ws.cell(row=2, column=1).value


def test_a_shared_link_opens_the_month_it_names(page_at):
    page = page_at("enhet-familjerätt?år=2026&månad=mars".replace("ä", "%C3%A4"))
    no_exception(page)
    page.get_by_text("efter utfall t.o.m. mars 2026").wait_for(timeout=20_000)
