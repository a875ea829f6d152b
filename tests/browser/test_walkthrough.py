"""Issue 12's "done when", as a user would do it, in real Chromium on its own copy of the demo:

* the monthly meeting at 1280×800 — overview → the worst unit → why (bridge, text) → the placements
  behind the worst line and back → a comment and an adjustment → lämnad → freeze with the units
  that have not submitted listed → the page says who froze;
* the APT walkthrough at 1920×1080 in projector mode — five parts, one screen each, no sidebar,
  every chart at least as tall as a third of the screen.

Each step saves a screenshot in artifacts/screenshots/walkthrough_*.png (looked at by a person;
the assertions measure what can be measured).
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import DEMO_TODAY, no_exception, run_server, screenshot, wait_idle

pytestmark = pytest.mark.browser
PERIOD = "år=2026&månad=10"  # the demo's latest month with utfall


@pytest.fixture(scope="module")
def own_server(tmp_path_factory):
    """A server on a demo database of its own, made fresh (not a copy of the shared one, which other
    browser tests write adjustments into): the meeting writes (comment, adjustment, lämnad, freeze),
    and the APT walkthrough that follows it shows what the meeting decided."""
    from iof.pipeline.importer import load_demo
    from iof.store.db import Store

    db = tmp_path_factory.mktemp("walkthrough") / "walkthrough.duckdb"
    with Store(db) as s:
        assert load_demo(s, today=DEMO_TODAY).ok
    with run_server(db) as url:
        yield url


def _open(browser, url: str, path: str, width: int, height: int):
    ctx = browser.new_context(viewport={"width": width, "height": height}, locale="sv-SE")
    page = ctx.new_page()
    page.goto(f"{url}/{path}")
    wait_idle(page)
    return ctx, page


def see(page, text: str) -> None:
    """Wait until `text` is on the page (a save reruns the page once more after the click)."""
    page.get_by_text(text).first.wait_for(timeout=20_000)


def _grid_rows(grid) -> list[str]:
    return grid.evaluate("g => [...g.querySelectorAll('tbody tr')].map(r => r.textContent)")


def _click_row_name(page, grid, i: int, x: float = 90) -> None:
    """Click the name (a button cell) in row i of a data grid (the grid draws rows 35 px high)."""
    box = grid.bounding_box()
    y = box["y"] + 35 + 35 * i + 17
    page.mouse.move(box["x"] + x, y)
    page.wait_for_timeout(300)
    page.mouse.click(box["x"] + x, y)


def test_a_whole_meeting_at_1280(browser, own_server):
    ctx, page = _open(browser, own_server, f"?{PERIOD}", 1280, 800)
    try:
        # 1. the overview: the worst unit first
        no_exception(page)
        grid = page.locator('[data-testid="stDataFrame"]').first
        grid.scroll_into_view_if_needed()
        page.wait_for_function("() => document.querySelector('[data-testid=stDataFrame] tbody tr')", timeout=15_000)
        rows = _grid_rows(grid)
        worst = rows[0]
        assert worst.startswith("Familjehemsenheten"), rows[:3]
        page.evaluate("window.scrollTo(0, 0)")
        screenshot(page, "walkthrough_1_oversikt_1280x800")

        # 2. the worst unit: its name opens its page, same month
        _click_row_name(page, grid, 0)
        page.wait_for_function("() => location.pathname.endsWith('enhet-familjehemsenheten')", timeout=20_000)
        wait_idle(page)
        no_exception(page)
        assert page.get_by_text("efter utfall t.o.m. oktober 2026").first.is_visible()
        analysis = page.locator('[data-testid="stAlert"]').filter(has_text="prognos").first.inner_text()
        assert "mnkr" in analysis or "tkr" in analysis
        screenshot(page, "walkthrough_2_enhet_1280x800")

        # 3. why: the bridge, tall enough to read
        bridge = page.locator(".js-plotly-plot").filter(has=page.locator(".gtitle", has_text="Varför")).first
        if bridge.count():
            bridge.scroll_into_view_if_needed()
            area = bridge.locator(".nsewdrag").first.bounding_box()
            assert area["height"] >= 200, area
            bridge.screenshot(path=str(screenshot.__globals__["SHOTS"] / "walkthrough_3_brygga_1280x800.png"))

        # 4. the placements behind the worst line, and back
        lines = page.locator('[data-testid="stDataFrame"]').first
        lines.scroll_into_view_if_needed()
        page.wait_for_function("() => document.querySelector('[data-testid=stDataFrame] tbody tr')", timeout=15_000)
        i = next(k for k, t in enumerate(_grid_rows(lines)) if "Entreprenader och köp av verksamhet" in t)
        _click_row_name(page, lines, i, x=80)
        page.wait_for_function("() => location.pathname.endsWith('/avvikelse')", timeout=20_000)
        wait_idle(page)
        no_exception(page)
        assert page.get_by_role("heading", name="Entreprenader och köp av verksamhet – Familjehemsenheten").is_visible()
        screenshot(page, "walkthrough_4_avvikelse_1280x800")
        page.get_by_role("link", name="Tillbaka till Familjehemsenheten").click()
        page.wait_for_function("() => location.pathname.endsWith('enhet-familjehemsenheten')", timeout=20_000)
        wait_idle(page)

        # 5. a comment from the meeting and an adjustment
        page.get_by_label("Ny kommentar (vad sades och beslutades?)").fill(
            "Två placeringar på HVB ses över före nästa möte.")
        page.get_by_role("button", name="Spara kommentaren").click()
        wait_idle(page)
        no_exception(page)
        screenshot(page, "walkthrough_5a_kommentar_1280x800")
        see(page, "Två placeringar på HVB ses över före nästa möte.")
        page.get_by_label("Belopp (tkr)", exact=True).fill("−250")
        page.get_by_label("Kommentar (varför?)", exact=True).fill("Känd hemflytt i november")
        page.get_by_role("button", name="Spara justering").click()
        wait_idle(page)
        no_exception(page)
        screenshot(page, "walkthrough_5b_justering_1280x800")
        see(page, "Justeringen på −250,0 tkr")
        page.get_by_text("Känd hemflytt i november").first.wait_for(state="attached")  # a cell of the grid

        # 6. the chef marks the month's prognosis as lämnad
        page.get_by_role("button", name="Markera prognosen som lämnad").click()
        wait_idle(page)
        no_exception(page)
        see(page, "Prognosen för oktober 2026 är lämnad för Familjehemsenheten.")
        screenshot(page, "walkthrough_5_justering_lamnad_1280x800")

        # 7. the controller freezes the month: the confirmation lists who has not submitted
        page.goto(f"{own_server}/?{PERIOD}")
        wait_idle(page)
        page.get_by_role("button", name="Frys prognosen för oktober 2026 …").click()
        wait_idle(page)
        dialog = page.get_by_role("dialog")
        dialog.wait_for(timeout=15_000)
        text = dialog.inner_text()
        assert "inte lämnat prognosen" in text and "Familjehemsenheten" not in text, text
        screenshot(page, "walkthrough_6_frys_fraga_1280x800")
        dialog.get_by_role("button", name="Ja, frys prognosen").click()
        wait_idle(page)
        no_exception(page)
        frozen = page.locator('[data-testid="stAlert"]').filter(has_text="frystes").first
        frozen.scroll_into_view_if_needed()
        assert " av lokal användare (demo)." in frozen.inner_text()  # who froze, on the page
        screenshot(page, "walkthrough_7_fryst_1280x800")

        # 8. afterwards the unit page says so, and offers no adjustment form for the frozen month
        page.goto(f"{own_server}/enhet-familjehemsenheten?{PERIOD}")
        wait_idle(page)
        no_exception(page)
        assert page.get_by_role("button", name="Spara justering").count() == 0
        assert page.get_by_text("fryst", exact=False).first.is_visible()
    finally:
        ctx.close()


def test_the_apt_walkthrough_at_1920_in_projector_mode(browser, own_server):
    ctx, page = _open(browser, own_server, f"apt?{PERIOD}&apt_enhet=Familjehemsenheten&projektor=1", 1920, 1080)
    try:
        no_exception(page)
        assert page.locator('[data-testid="stSidebar"]').count() == 0 or not page.locator(
            '[data-testid="stSidebar"]').first.is_visible()
        parts = ["1. Så går det", "2. Varför", "3. Sedan förra månaden", "4. Vad vi gör", "5. Våra mål"]
        for n, part in enumerate(parts, 1):
            if n > 1:
                page.get_by_role("button", name=f"{part} →").click()
                wait_idle(page)
            no_exception(page)
            screenshot(page, f"walkthrough_apt_{n}_1920x1080")
            if part == "4. Vad vi gör":  # what the meeting decided (test above), in plain lines
                see(page, "Familjehemsenheten: Två placeringar på HVB ses över före nästa möte.")
                see(page, "Känd hemflytt i november")
            for chart in page.locator(".js-plotly-plot").all():
                area = chart.locator(".nsewdrag").first.bounding_box()
                assert area is not None and area["height"] >= 300, (part, area)  # readable from the back
    finally:
        ctx.close()
