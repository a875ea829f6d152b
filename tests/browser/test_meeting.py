"""The monthly meeting in real Chromium, measured (issue 12): the bridge's plot area and that no text
overlaps, the overview's Status column on screen at 1280, the unit name opening the unit page."""

from __future__ import annotations

import pytest

from tests.browser.conftest import SHOTS, no_exception, screenshot, wait_idle

pytestmark = pytest.mark.browser
SIZES = [(1280, 800), (1920, 1080)]
IDS = ["1280x800", "1920x1080"]

# every text a Plotly chart draws: ticks, titles, subtitle, annotations, bar texts, legend entries
_TEXTS_JS = """(root) => {
  const sel = '.xtick text, .ytick text, .g-gtitle text, .g-xtitle text, .g-ytitle text, .annotation-text, '
            + '.bartext, .textpoint text, .legendtext';
  return [...root.querySelectorAll(sel)].map(e => {
    const r = e.getBoundingClientRect();
    return {text: e.textContent, cls: e.getAttribute('class') || e.parentNode.getAttribute('class'),
            x0: r.left, y0: r.top, x1: r.right, y1: r.bottom};
  }).filter(b => b.text.trim() && b.x1 > b.x0 && b.y1 > b.y0);
}"""


def chart(page, title: str):
    """The Plotly chart whose title starts with `title`, scrolled into view and drawn."""
    loc = page.locator(".js-plotly-plot").filter(has=page.locator(".gtitle", has_text=title)).first
    loc.scroll_into_view_if_needed()
    loc.locator(".nsewdrag").first.wait_for(state="attached", timeout=15_000)
    page.wait_for_timeout(500)
    return loc


def overlaps(boxes: list[dict], tolerance: float = 1.0) -> list[tuple[str, str]]:
    bad = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if (min(a["x1"], b["x1"]) - max(a["x0"], b["x0"]) > tolerance
                    and min(a["y1"], b["y1"]) - max(a["y0"], b["y0"]) > tolerance):
                bad.append((a["text"], b["text"]))
    return bad


def plot_area(loc) -> dict:
    return loc.locator(".nsewdrag").first.bounding_box()


def warm(page_at, path: str, *size):
    """Open `path` as the server's first request or not: since iof.web.serve, a unit address as the
    first request no longer shows Streamlit's "page not found" dialog (test_deep_links checks it)."""
    return page_at(path, *size)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_the_bridge_is_tall_enough_and_no_text_overlaps(page_at, size):
    for unit in ("barn-och-ungdom", "familjeratt"):
        page = warm(page_at, f"enhet-{unit}?år=2026&månad=10", *size)
        no_exception(page)
        bridge = chart(page, "Varför prognosen ändrats")
        area = plot_area(bridge)
        assert area["height"] >= 250, area
        assert area["width"] >= 300, area
        boxes = bridge.evaluate(_TEXTS_JS)
        assert any(b["text"] == "Förändring totalt" for b in boxes)
        assert not overlaps(boxes), overlaps(boxes)
        # a small unit's bridge is in tkr, never "0,0"
        if unit == "familjeratt":
            assert all("0,0" not in b["text"] for b in boxes)
        # hovering a driver's bar shows that driver's own change (the bar's label), not a running total
        bar = bridge.locator(".point path").nth(1)
        label = bridge.locator(".point .bartext, text.bartext").nth(1).text_content()
        b = bar.bounding_box()
        page.mouse.move(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2)
        hover = bridge.locator(".hoverlayer .hovertext").first
        hover.wait_for(timeout=5_000)
        assert hover.text_content().endswith(label), (hover.text_content(), label)
        SHOTS.mkdir(parents=True, exist_ok=True)
        bridge.screenshot(path=str(SHOTS / f"meeting_bridge_{unit}_{size[0]}x{size[1]}.png"))
        page.context.close()


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_overview_charts_have_legends_clear_of_the_axes(page_at, size):
    page = page_at("?år=2026&månad=10", *size)
    for title in ("Så har prognosen rört sig", "Prognostiserad avvikelse per enhet"):
        loc = chart(page, title)
        assert plot_area(loc)["height"] >= 200
        boxes = loc.evaluate(_TEXTS_JS)
        assert not overlaps(boxes), (title, overlaps(boxes))
        SHOTS.mkdir(parents=True, exist_ok=True)
        loc.screenshot(path=str(SHOTS / f"meeting_chart_{title.split()[0].lower()}_{size[0]}x{size[1]}.png"))
    year = chart(page, "Så har prognosen rört sig")
    legend = year.locator(".legend").first.bounding_box()
    area = plot_area(year)
    assert legend["x"] >= area["x"] + area["width"] - 1  # beside the plot, not over it
    assert year.locator(".legendtext", has_text="IoF totalt").count() == 1
    screenshot(page, f"meeting_oversikt_{size[0]}x{size[1]}")


def test_overview_status_is_on_screen_at_1280_and_a_name_opens_the_unit(page_at):
    page = page_at("?år=2026&månad=10", 1280, 800)
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1280
    # the data grid renders only the columns inside its own viewport (the rest scroll): Status and
    # Avvikelse are rendered, so they are on screen
    page.wait_for_function("() => document.querySelector('[data-testid=stDataFrame] th, "
                           "[data-testid=stDataFrame] [role=columnheader]')", timeout=15_000)
    headers = grid.evaluate("g => [...g.querySelectorAll('th, [role=columnheader]')].map(e => e.textContent)")
    assert headers[:3] == ["Enhet", "Status", "Avvikelse"], headers
    first = grid.evaluate("g => [...g.querySelectorAll('tbody tr')][0].textContent")
    assert first.startswith("Familjehemsenheten")  # the worst deviation first (−6,1 mnkr)
    # the name is a button: clicking it opens the unit page for the same year and month
    page.mouse.move(box["x"] + 90, box["y"] + 35 + 17)
    page.wait_for_timeout(300)
    page.mouse.click(box["x"] + 90, box["y"] + 35 + 17)
    wait_idle(page)
    page.wait_for_function("() => location.pathname.endsWith('enhet-familjehemsenheten')", timeout=20_000)
    wait_idle(page)
    assert page.get_by_role("heading", name="Familjehemsenheten").is_visible()
    # (the period goes with the session; the URL carries it when it is not the default, issue 12 item 6)
    assert page.get_by_text("efter utfall t.o.m. oktober 2026").is_visible()
    no_exception(page)


def _grid_row_index(grid, startswith: str) -> int:
    rows = grid.evaluate("g => [...g.querySelectorAll('tbody tr')].map(r => r.textContent)")
    return next(i for i, t in enumerate(rows) if startswith in t)


def test_drill_from_a_line_to_the_placements_and_back(page_at):
    page = warm(page_at, "enhet-familjehemsenheten?år=2026&månad=10", 1280, 800)
    assert not page.get_by_text("Page not found").count()
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('[data-testid=stDataFrame] tbody tr')", timeout=15_000)
    i = _grid_row_index(grid, "Entreprenader och köp av verksamhet")
    box = grid.bounding_box()
    y = box["y"] + 35 + 35 * i + 17
    page.mouse.move(box["x"] + 80, y)
    page.wait_for_timeout(300)
    page.mouse.click(box["x"] + 80, y)  # the line's name is a button
    page.wait_for_function("() => location.pathname.endsWith('/avvikelse')", timeout=20_000)
    wait_idle(page)
    no_exception(page)
    assert "kostnadsslag=Entreprenader" in page.url
    assert "enhet=Familjehemsenheten" in page.url and "fr%C3%A5n=enhet-familjehemsenheten" in page.url
    assert page.get_by_role("heading", name="Entreprenader och köp av verksamhet – Familjehemsenheten").is_visible()
    assert page.get_by_text("efter utfall t.o.m. oktober 2026").first.is_visible()
    assert page.get_by_text("följer på ett sammanbrott").first.is_visible()
    screenshot(page, "meeting_avvikelse_1280x800")
    page.get_by_role("link", name="Tillbaka till Familjehemsenheten").click()
    page.wait_for_function("() => location.pathname.endsWith('enhet-familjehemsenheten')", timeout=20_000)
    wait_idle(page)
    assert page.get_by_role("heading", name="Familjehemsenheten").is_visible()
    assert page.get_by_text("efter utfall t.o.m. oktober 2026").first.is_visible()


def test_download_the_month_report_pdf_from_the_unit_page(page_at, tmp_path):
    import io

    from pypdf import PdfReader

    page = warm(page_at, "enhet-familjehemsenheten?år=2026&månad=10", 1280, 800)
    prognos = page.locator('[data-testid="stMetric"]').filter(has_text="Helårsprognos").first.locator(
        '[data-testid="stMetricValue"]').inner_text().strip()
    with page.expect_download() as info:
        page.get_by_role("button", name="Månadsrapport som PDF").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.suffix == ".pdf" and path.stat().st_size < 1_000_000
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages).replace("\u00a0", " ")
    assert "Familjehemsenheten" in text and prognos.replace("\u00a0", " ") in text
    # logged as an export (Granskningslogg)
    page.goto(page.url.split("/enhet-")[0] + "/granskningslogg")
    wait_idle(page)
    page.wait_for_function("() => document.querySelector('[data-testid=stDataFrame] tbody tr')", timeout=15_000)
    rows = page.locator('[data-testid="stDataFrame"]').first.evaluate(
        "g => [...g.querySelectorAll('tbody tr')].map(r => r.textContent).join('\\n')")
    assert "månadsrapport Familjehemsenheten 2026-10 (pdf)" in rows
