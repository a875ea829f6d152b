"""The app as a person sees it, in real headless Chromium: start page, import page."""

from __future__ import annotations


import pytest

from tests.browser.conftest import no_exception, screenshot, wait_idle

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
def test_data_status_page_in_chromium(page_at, size):
    page = page_at("datastatus", *size)
    no_exception(page)
    assert page.get_by_text("Demodata.").first.is_visible()
    assert page.get_by_role("heading", name="Datastatus och importlogg").is_visible()
    screenshot(page, f"datastatus_{size[0]}x{size[1]}")


def test_upload_of_a_broken_extract_shows_the_swedish_report(page_at, tmp_path):
    bad = tmp_path / "utfall_2026-10.csv"
    bad.write_bytes("år;månad;enhet;kostnadsslag;belopp_tkr\r\n2026;10;Familjerätt;Lokalkostnader;tio\r\n"
                    .encode("cp1252"))
    page = page_at("importera")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(bad))
    wait_idle(page)
    no_exception(page)
    page.get_by_text("utfall_2026-10.csv, rad 2, kolumn belopp_tkr: 'tio' är inte ett tal").wait_for(timeout=20_000)
    assert page.get_by_text("Filerna har fel och kan inte importeras").is_visible()
    screenshot(page, "import_fel")


def test_upload_of_a_valid_extract_in_local_mode_is_checked_but_never_stored(page_at, tmp_path):
    good = tmp_path / "utfall_2026-10.csv"
    good.write_bytes("år;månad;enhet;kostnadsslag;belopp_tkr\r\n2026;10;Familjerätt;Lokalkostnader;1 234,5\r\n"
                     .encode("utf-8-sig"))
    page = page_at("importera")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(good))
    wait_idle(page)
    no_exception(page)
    page.get_by_text("Filerna klarade kontrollen.").wait_for(timeout=20_000)
    assert page.get_by_role("button", name="Importera 1 fil").count() == 0  # local mode never stores
    assert page.get_by_text("i lokalt läge utan inloggning sparas aldrig något").is_visible()
    screenshot(page, "import_lokalt_läge")
