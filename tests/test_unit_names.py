"""Issue 11, finding 1: unit names are identifiers (iof.core.unitnames, iof.importer, app.py)."""

from __future__ import annotations

import unicodedata

import pytest

from iof.core import unitnames
from iof.pipeline.importer import import_files
from iof.store.db import Store
from tests.conftest import write_csv
from tests.integrity_fixtures import hashes, real_db, real_template, utfall_rows  # noqa: F401


@pytest.mark.parametrize("raw, expected", [
    ("familjehemsenheten", "Familjehemsenheten"),
    ("Barn\r\noch ungdom", "Barn och ungdom"),
    ("Barn och ungdom   ", "Barn och ungdom"),
    ("  Barn \t och\u00a0ungdom", "Barn och ungdom"),
    ("Familje\u200bstöd", "Familjestöd"),
    (unicodedata.normalize("NFD", "Familjerätt"), "Familjerätt"),
    ("FAMILJERÄTT", "Familjerätt"),
])
def test_a_variant_spelling_is_stored_as_the_existing_unit(real_db, tmp_path, raw, expected):
    f = write_csv(tmp_path / "utfall_2026-10.csv", utfall_rows(raw))
    with Store(real_db) as s:
        r = import_files(s, [f], user="t")
        assert r.ok, r.report()
        units = s.units()
    assert units == ['Barn och ungdom', 'Familjehemsenheten', 'Familjerätt', 'Familjestöd', 'Vuxenenheten/RVC']
    assert expected in units


@pytest.mark.parametrize("raw, words", [
    ("IoF totalt", "reserverat"),
    ("Alla enheter", "reserverat"),
    ("alla  enheter", "reserverat"),
    ("x" * 2000, "högst 60 tecken"),
    ("Importera", "sida"),
    ("=HYPERLINK(\"x\")", "formel"),
    ("@Barn", "formel"),
    ("Barn\x07och", "styrtecken"),
    ("Barn\u200eoch", "styrtecken"),
    ("???", "bokstav eller siffra"),
    ("Familjeratt", "samma sidadress"),
    ("Nya enheten", "--ny-enhet"),
])
def test_a_bad_or_new_unit_name_is_refused_and_nothing_changes(real_db, tmp_path, raw, words):
    before = hashes(real_db)
    f = write_csv(tmp_path / "utfall_2026-10.csv", utfall_rows(raw))
    with Store(real_db) as s:
        r = import_files(s, [f], user="t")
    assert not r.ok
    text = r.report()
    assert words in text, text
    assert "rad 2" in text and "kolumn enhet" in text
    after = hashes(real_db)
    data = ~after["table"].is_in(["audit_log"])
    assert after.filter(data).equals(before.filter(data))


def test_a_new_unit_is_stored_when_confirmed(real_db, tmp_path):
    f = write_csv(tmp_path / "utfall_2026-10.csv", utfall_rows("Nya enheten"))
    with Store(real_db) as s:
        r = import_files(s, [f], user="t", new_units=["nya enheten"])
        assert r.ok, r.report()
        assert "Nya enheter: Nya enheten." in r.report()
        assert "Nya enheten" in s.units()


def test_cli_needs_ny_enhet_for_a_new_unit(real_db, tmp_path, capsys):
    from iof.cli.main import main

    f = write_csv(tmp_path / "utfall_2026-10.csv", utfall_rows("Nya enheten"))
    assert main(["import", str(f), "--db", str(real_db)]) == 1
    assert "--ny-enhet" in capsys.readouterr().err
    assert main(["import", str(f), "--db", str(real_db), "--ny-enhet", "Nya enheten"]) == 0


def test_first_import_and_demo_accept_every_unit(tmp_path):
    f = write_csv(tmp_path / "utfall_2026-10.csv", utfall_rows("Helt ny enhet"))
    with Store(tmp_path / "tom.duckdb") as s:
        r = import_files(s, [f], user="t")
        assert r.ok and s.units() == ["Helt ny enhet"]


def test_page_paths_are_unique_by_construction():
    names = ["Familjerätt", "Familjeratt", "familjerätt", "Familjerätt ", "???", "!!!", "Importera",
             "enhet", "IoF totalt", "Barn och ungdom", "Barn/och ungdom", "x" * 2000]
    paths = unitnames.page_paths(names)
    assert len(set(paths.values())) == len(set(names))
    assert not set(paths.values()) & set(unitnames.NAMED_PAGE_PATHS)
    assert paths["Barn och ungdom"].startswith("enhet-barn-och-ungdom")
    assert unitnames.page_paths(reversed(names)) == paths  # stable
