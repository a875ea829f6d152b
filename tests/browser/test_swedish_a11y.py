"""Swedish all the way down and accessible (issue 12, items 6 and 8), measured in real Chromium:

- no English word from a list in the visible text or in the tooltips/labels (title, aria-label,
  data-title, placeholder) of any page, at 1280×800 and 1920×1080; `<html lang="sv">`;
- axe-core (the npm package, fetched by npm into .cache/axe like Chromium from Debian) on every
  page: no serious or critical WCAG 2.1 A/AA violation, except the Streamlit-owned ones in the
  explicit allow-list below (each with the reason; see README "Tillgänglighet").
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.browser.conftest import ROOT, each_other_tab, no_exception, screenshot, settle, wait_idle

pytestmark = pytest.mark.browser

PAGES = ["", "prognossakerhet", "apt", "enhet-familjehemsenheten", "enhet-barn-och-ungdom", "placeringar",
         "handlaggningstider", "personal", "importera", "datastatus", "granskningslogg"]
SIZES = [(1280, 800), (1920, 1080)]

# English words Streamlit and Plotly put on a page by themselves (case-sensitive, whole words)
ENGLISH = ["Download", "Search", "Upload", "Page not found", "Zoom", "Pan", "Autoscale", "Reset axes",
           "Download plot as a png", "Download plot as a PNG", "Fullscreen", "Browse files", "Drag and drop",
           "per file", "Limit", "Choose an option", "Show/hide columns", "Help for", "Sidebar", "Collapse",
           "Clear value", "Open", "Close", "Link to heading", "App pages", "file upload", "Press Enter"]
_ENGLISH = re.compile(r"(?<![\w/])(" + "|".join(re.escape(w) for w in ENGLISH) + r")(?![\w])")

# What a person sees or hears: visible text (not icon ligatures, which are aria-hidden) and the
# attributes read as tooltips or labels.
_WORDS_JS = """() => {
  const out = [];
  const skip = '[aria-hidden="true"], script, style, [data-testid="stIconMaterial"]';
  const tw = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let n;
  while ((n = tw.nextNode())) {
    const p = n.parentElement;
    if (!p || p.closest(skip) || !p.checkVisibility()) continue;
    const t = n.nodeValue.trim();
    if (t) out.push("text: " + t);
  }
  for (const e of document.querySelectorAll("[title], [aria-label], [data-title], [placeholder], [alt]")) {
    for (const a of ["title", "aria-label", "data-title", "placeholder", "alt"]) {
      const v = e.getAttribute(a);
      if (v) out.push(a + ": " + v);
    }
  }
  return out;
}"""


def english_on(page) -> list[str]:
    return [w for w in page.evaluate(_WORDS_JS) if _ENGLISH.search(w.split(": ", 1)[1])]


@pytest.mark.parametrize("size", SIZES, ids=["1280x800", "1920x1080"])
def test_every_page_is_swedish_with_lang_sv(page_at, size):
    found = {}
    for path in PAGES:
        page = page_at(path, *size)
        no_exception(page)
        try:  # the translation script runs after the first paint (later on a slow, busy machine)
            page.wait_for_function("document.documentElement.lang === 'sv'", timeout=20_000, polling=100)
        except Exception:
            pytest.fail(f"{path or 'oversikt'}: <html lang> is {page.evaluate('document.documentElement.lang')!r}")
        page.wait_for_timeout(300)  # and has walked the page
        words = english_on(page)
        for _ in each_other_tab(page):
            words += english_on(page)
        if words:
            found[path or "oversikt"] = sorted(set(words))
        page.context.close()
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)


def test_tooltips_of_the_chart_and_table_toolbars_are_swedish(page_at):
    page = page_at("")
    chart = page.locator(".js-plotly-plot").first
    chart.hover()
    button = chart.locator(".modebar-btn").first
    button.wait_for(timeout=10_000)
    titles = chart.locator(".modebar-btn").evaluate_all("bs => bs.map(b => b.getAttribute('data-title'))")
    assert "Ladda ner diagrammet som PNG" in titles and "Helskärm" in titles, titles
    assert not [t for t in titles if _ENGLISH.search(t or "")], titles
    table = page.locator('[data-testid="stDataFrame"]').first
    table.hover()
    page.wait_for_timeout(800)
    # No download in a table's toolbar at all (issue 10: every export goes through a logged button).
    assert table.locator('[aria-label="Ladda ner som CSV"], [aria-label="Download as CSV"]').count() == 0
    buttons = page.locator('[data-testid="stElementToolbar"] button')
    if buttons.count():
        buttons.first.hover()
        page.wait_for_timeout(800)
    tips = page.locator('[data-testid="stTooltipContent"], [role="tooltip"]').all_inner_texts()
    assert not [t for t in tips if _ENGLISH.search(t)], tips


def test_the_uploader_speaks_swedish(page_at):
    page = page_at("importera")
    zone = page.locator('[data-testid="stFileUploaderDropzone"]')
    zone.wait_for(timeout=10_000)
    page.wait_for_timeout(500)
    text = zone.evaluate("""z => { const skip = '[aria-hidden="true"], [data-testid="stIconMaterial"]';
        const tw = document.createTreeWalker(z, NodeFilter.SHOW_TEXT); let n, out = [];
        while ((n = tw.nextNode())) { if (!n.parentElement.closest(skip) && n.parentElement.checkVisibility())
          out.push(n.nodeValue.trim()); } return out.filter(Boolean).join(' | '); }""")
    assert "Välj filer" in text and "Högst 200 MB per fil" in text, text
    assert "Upload" not in text and "Browse" not in text and "UploadVälj" not in text, text
    screenshot(page, "importera_uppladdning_1280x800")


# -- axe-core ------------------------------------------------------------------------------------------
AXE_VERSION = "4.14.1"
AXE_DIR = ROOT / ".cache" / "axe"

# Streamlit-owned violations we cannot fix from the app: (rule id, a substring of the node's
# selector or HTML, why). Each is described in README "Tillgänglighet". Empty today: the sidebar
# navigation's list structure ("list"/"listitem", streamlit 1.67 puts <div> sections in a <ul>) is
# repaired by iof/web/chrome.py, and caption contrast by its CSS.
STREAMLIT_OWNED: list[tuple[str, str, str]] = []


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe.min.js from the npm package (installed once into .cache/axe by npm, the package's own client)."""
    path = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
    if not path.exists():
        npm = shutil.which("npm")
        if npm is None:
            if os.environ.get("CI"):
                pytest.fail("npm saknas: axe-core hämtas med npm (apt-get install npm).")
            pytest.skip("npm saknas; axe-core kan inte hämtas")
        AXE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run([npm, "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(AXE_DIR),
                        f"axe-core@{AXE_VERSION}"], check=True, timeout=300)
    return path.read_text(encoding="utf-8")


_AXE_RUN = """async () => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
  return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').flatMap(v =>
    v.nodes.map(n => ({rule: v.id, impact: v.impact, target: n.target.join(' '), html: n.html.slice(0, 200),
                       why: (n.failureSummary || '').slice(0, 300)})));
}"""


def axe_violations(page, axe_source: str) -> list[dict]:
    settle(page)  # a page caught between two runs has faded (stale) text: a false contrast failure
    page.add_script_tag(content=axe_source)
    found = page.evaluate(_AXE_RUN)
    return [v for v in found
            if not any(v["rule"] == rule and (part in v["target"] or part in v["html"]) for rule, part, _ in STREAMLIT_OWNED)]


@pytest.mark.parametrize("size", SIZES, ids=["1280x800", "1920x1080"])
def test_axe_finds_no_serious_violation_on_any_page(page_at, axe_source, size):
    found = {}
    for path in PAGES:
        page = page_at(path, *size)
        no_exception(page)
        page.wait_for_timeout(800)
        bad = axe_violations(page, axe_source)
        for tab in each_other_tab(page):
            page.wait_for_timeout(500)
            bad += [{**v, "flik": tab} for v in axe_violations(page, axe_source)]
        if bad:
            found[path or "oversikt"] = bad
        page.context.close()
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)


def test_axe_in_the_freeze_confirmation_and_the_apt_projector_mode(page_at, axe_source):
    page = page_at("")
    page.get_by_role("button", name=re.compile("Frys prognosen")).click()
    page.get_by_role("dialog").wait_for(timeout=20_000)
    wait_idle(page)
    assert axe_violations(page, axe_source) == []
    assert not english_on(page)
    page = page_at("apt?projektor=1", 1920, 1080)
    assert axe_violations(page, axe_source) == []
