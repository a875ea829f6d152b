"""The audit log: imports (stored, rejected, failed), exports, sign-ins, restores; never data."""

from __future__ import annotations

import polars as pl
import pytest

from iof.store import audit
from iof.core.access import AccessDenied, Principal
from iof.cli.main import main
from iof.pipeline.importer import import_files
from tests.conftest import EXAMPLES

H_UTF = ["år", "månad", "enhet", "kostnadsslag", "belopp_tkr"]
H_PL = ["placerings_id", "barn_id", "enhet", "placeringsform", "startdatum", "slutdatum",
        "dygnskostnad_kr", "avslutsorsak"]
CONTROLLER = Principal("anna@x.se", "controller")


def events(store) -> list[dict]:
    return audit.audit_frame(store, CONTROLLER).to_dicts()


def test_a_stored_import_is_logged_in_its_own_transaction(store):
    r = import_files(store, sorted(EXAMPLES.glob("*.csv")), user="anna@x.se")
    assert r.ok
    (e,) = events(store)
    assert (e["vem"], e["händelse"], e["utfall"]) == ("anna@x.se", "import", "lyckad")
    assert e["vad"].startswith("5 filer, 18 rader: arenden_2025-03_exempel.csv (arenden 2025-03, sparad)")


def test_a_rejected_import_is_logged_without_its_messages(store, csv_writer):
    bad = csv_writer("utfall_2025-03.csv", [H_UTF, ["2025", "3", "A", "Lokalkostnader", "hemligt-värde"]])
    r = import_files(store, [bad], user="anna@x.se")
    assert not r.ok
    (e,) = events(store)
    assert (e["händelse"], e["utfall"]) == ("import", "underkänd")
    assert "utfall_2025-03.csv" in e["vad"] and "1 fel" in e["vad"]
    assert "hemligt" not in e["vad"]
    assert store.data_version() == 0


def test_a_failed_import_is_rolled_back_and_then_logged_as_failed(store, csv_writer, monkeypatch):
    good = csv_writer("utfall_2025-03.csv", [H_UTF, ["2025", "3", "X", "Lokalkostnader", "10"]])
    pl_ok = csv_writer("placeringar_2025-03.csv", [H_PL, ["P-1", "B-1", "X", "HVB", "2025-01-01", "", "5000", ""]])
    import iof.store.queries as q
    real = q.sql
    monkeypatch.setattr(q, "sql", lambda n: "insert into no_such_table values (1)" if n == "placement_insert" else real(n))
    with pytest.raises(Exception):
        import_files(store, [good, pl_ok], user="anna@x.se")
    monkeypatch.setattr(q, "sql", real)
    (e,) = events(store)  # only the failure: the import's own "lyckad" event was rolled back
    assert (e["händelse"], e["utfall"]) == ("import", "misslyckad")
    assert "ingenting sparat" in e["vad"]
    assert store.data_version() == 0


def test_only_the_controller_reads_the_audit_log(store):
    for role in ("ledningsgrupp", "apt"):
        with pytest.raises(AccessDenied):
            audit.audit_frame(store, Principal("x@x.se", role))
    with pytest.raises(AccessDenied):
        audit.audit_frame(store, Principal("x@x.se", "enhetschef", frozenset({"A"})))


def test_personnummer_shapes_never_reach_the_log(store):
    audit.log_event(store, "19900101-1234", "export", "rapport för 900101-1234 och 199001011234")
    (e,) = events(store)
    assert e["vem"] == "[dolt]" and "1234" not in e["vad"]


def test_unknown_events_are_bugs(store):
    with pytest.raises(ValueError):
        audit.log_event(store, "x", "radering", "")


def test_sign_ins_granted_and_denied(store):
    audit.log_sign_in(store, {"email": "c@x.se"}, Principal("c@x.se", "enhetschef", frozenset({"A"})))
    audit.log_sign_in(store, {"email": "okand@x.se"}, None)
    denied, granted = events(store)
    assert (granted["händelse"], granted["utfall"], granted["vad"]) == ("inloggning", "lyckad", "roll enhetschef, enheter: A")
    assert (denied["vem"], denied["utfall"]) == ("okand@x.se", "nekad")


def test_cli_exports_are_logged_and_the_audit_log_is_exportable(tmp_path, monkeypatch, capsys):
    db = tmp_path / "a.duckdb"
    monkeypatch.setenv("IOF_USER", "anna@x.se")
    assert main(["--db", str(db), "import", *map(str, sorted(EXAMPLES.glob("*.csv")))]) == 0
    out = tmp_path / "p.xlsx"
    assert main(["--db", str(db), "report", "placeringar", "--datum", "2025-03-31", "--enhet",
                 "Familjehemsenheten", "--format", "xlsx", "--out", str(out)]) == 0
    log = tmp_path / "logg.xlsx"
    assert main(["--db", str(db), "audit", "--format", "xlsx", "--out", str(log)]) == 0
    book = pl.read_excel(log)
    assert book.columns == ["nr", "tid", "vem", "händelse", "utfall", "vad"]
    assert book["händelse"].to_list() == ["export", "import"]
    assert book["vad"][0] == "rapport placeringar (xlsx), datum 2025-03-31, enhet Familjehemsenheten, fil p.xlsx"
    capsys.readouterr()
    assert main(["--db", str(db), "audit"]) == 0
    text = capsys.readouterr().out.splitlines()
    assert "export (lyckad) granskningslogg (xlsx), fil logg.xlsx" in text[0]
    assert len(text) == 3


def test_cli_audit_of_a_missing_database_is_a_swedish_error(tmp_path, capsys):
    assert main(["--db", str(tmp_path / "nej.duckdb"), "audit"]) == 2
    assert "finns inte" in capsys.readouterr().err
    assert not (tmp_path / "nej.duckdb").exists()


def test_adjustments_are_logged_and_a_personnummer_in_the_comment_is_refused(store):
    from iof.pipeline import prognosis as fs
    from iof.compute.forecast import ForecastError

    import_files(store, sorted(EXAMPLES.glob("*.csv")), user="anna@x.se")
    unit = store.units()[0]
    aid = fs.add_adjustment(store, 2025, 3, unit, "Lokalkostnader", 100.0, "Ny hyra", created_by="anna@x.se")
    e = events(store)[0]
    assert (e["vem"], e["händelse"], e["vad"]) == (
        "anna@x.se", "justering", f"justering {aid}: {unit}, Lokalkostnader, prognos 2025-03")
    assert "100" not in e["vad"] and "hyra" not in e["vad"]  # what, not the figures or the text
    with pytest.raises(ForecastError, match="liknar ett personnummer") as exc:
        fs.add_adjustment(store, 2025, 3, unit, "Lokalkostnader", 1.0, "gäller 121212-1212", created_by="a")
    assert "1212" not in str(exc.value)
    assert len(events(store)) == 2


def test_app_downloads_log_through_log_export(store):
    audit.log_export(store, "bo@x.se", "prognos", "xlsx", år=2025, månad=3, enhet=None)
    assert events(store)[0]["vad"] == "prognos (xlsx), år 2025, månad 3"
