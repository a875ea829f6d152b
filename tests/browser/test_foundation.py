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


def test_an_upload_with_a_personnummer_is_rejected_unechoed_and_never_written_to_disk(page_at, tmp_path):
    """Issue 10, findings 1, 2 and 7: an en dash in barn_id, a space in dygnskostnad_kr; the upload
    is checked in memory (no iof-upload-* folder appears in the temp folder)."""
    import tempfile
    from pathlib import Path

    from iof.core.personnummer import contains

    temp = Path(tempfile.gettempdir())
    before = set(temp.glob("iof-upload-*"))
    bad = tmp_path / "placeringar_2026-10.csv"
    bad.write_bytes(("placerings_id;barn_id;enhet;placeringsform;startdatum;dygnskostnad_kr\r\n"
                     "P-1;850101\u20131234;Familjerätt;HVB;2026-01-10;5000\r\n"
                     "P-2;B-2;Familjerätt;HVB;2026-01-10;850101 1234\r\n").encode("utf-8-sig"))
    page = page_at("importera")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(bad))
    wait_idle(page)
    no_exception(page)
    page.get_by_text("rad 2, kolumn barn_id: värdet liknar ett personnummer").wait_for(timeout=20_000)
    page.get_by_text("rad 3, kolumn dygnskostnad_kr: värdet liknar ett personnummer").wait_for(timeout=20_000)
    body = page.locator("body").inner_text()
    assert not contains(body) and "1234" not in body
    assert set(temp.glob("iof-upload-*")) == before
    screenshot(page, "import_personnummer")
