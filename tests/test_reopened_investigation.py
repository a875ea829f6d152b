"""Issue 11, finding 7: barn_id in the ärenden extract is stored, checked like every id, and a
closed-and-reopened utredning on the same child counts as one (JO 2565-2016) through the import."""

from __future__ import annotations

from iof.compute import cases as case_mod
from iof.pipeline.importer import import_files
from tests.conftest import write_csv

H = ["ärende_id", "enhet", "ärendetyp", "inkom_datum", "start_datum", "avslut_datum", "barn_id"]


def _file(tmp_path, second_start: str, child2: str = "B-1"):
    return write_csv(tmp_path / "arenden_2025-06.csv", [
        H,
        ["Ä-1", "Barn och ungdom", "Utredning", "2025-01-08", "2025-01-10", "2025-03-01", "B-1"],
        ["Ä-2", "Barn och ungdom", "Utredning", "2025-03-05", second_start, "2025-06-20", child2],
        ["Ä-3", "Barn och ungdom", "Utredning", "2025-02-01", "2025-02-03", "2025-03-01", ""],
    ])


def _utredningar(store):
    times = case_mod.processing_times(case_mod.merge_reopened_investigations(store.cases()))
    return times.filter(times["case_type"] == "Utredning").sort("case_id")


def test_a_reopened_utredning_counts_as_one_from_the_first_start(store, tmp_path):
    assert import_files(store, [_file(tmp_path, "2025-03-10")], user="t").ok
    assert store.cases().sort("case_id")["child_id"].to_list() == ["B-1", "B-1", None]
    u = _utredningar(store)
    assert u["case_id"].to_list() == ["Ä-1", "Ä-3"]  # Ä-2 joined to Ä-1
    first = u.row(0, named=True)
    assert first["from_date"].isoformat() == "2025-01-10" and first["days"] == 161
    assert first["within"] is False  # 161 days > 4 months: the restart is not rewarded


def test_a_late_restart_or_another_child_stays_two_utredningar(store, tmp_path):
    assert import_files(store, [_file(tmp_path, "2025-04-15")], user="t").ok  # 45 days > 30
    assert _utredningar(store)["case_id"].to_list() == ["Ä-1", "Ä-2", "Ä-3"]


def test_another_child_is_not_joined(store, tmp_path):
    assert import_files(store, [_file(tmp_path, "2025-03-10", child2="B-2")], user="t").ok
    assert _utredningar(store)["case_id"].to_list() == ["Ä-1", "Ä-2", "Ä-3"]


def test_a_personnummer_as_barn_id_is_refused_and_not_echoed(store, tmp_path):
    r = import_files(store, [_file(tmp_path, "2025-03-10", child2="20121212-1212")], user="t")
    assert not r.ok
    assert "rad 3, kolumn barn_id" in r.report() and "1212" not in r.report()
    assert store.cases().is_empty()


def test_barn_id_is_no_longer_an_extra_column(tmp_path):
    from iof.ingest.extracts import read_extract

    ex = read_extract(_file(tmp_path, "2025-03-10"))
    assert ex.ok and "barn_id" not in ex.extra_columns
