"""What a page asks the pipeline to do, as the signed-in person: exports, freezing, adjustments, imports."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import polars as pl
import streamlit as st

from iof.core import domain
from iof.pipeline import prognosis as prognosis_round
from iof.pipeline.importer import import_files, validate_files
from iof.present import dashboard, exports, files, fmt
from iof.store import audit
from iof.web import loaders, session


# -- exports (built only when the button is clicked) -----------------------------------------------
def export_buttons(year: int, month: int) -> None:
    """The month's prognosis as Excel (T1/T2/VB) and CSV."""

    def workbook() -> bytes:
        table = loaders.prognos_table(year, month)
        ov = loaders.overview(year, month)
        br = loaders.bridge(year, month)
        texts = {}
        for unit in ov["enhet"].to_list():
            row = None
            if br is not None and unit in br["enhet"].to_list():
                row = br.filter(br["enhet"] == unit).row(0, named=True)
            texts[unit] = dashboard.analysis_text(unit, table, row, year, month)
        adj = loaders.adjustments_all(year, month)
        log_export(f"prognos {year}-{month:02d} (xlsx)")
        return exports.prognosis_workbook(table, ov, br, texts, adj, year, month, session.store().is_demo())

    def csv() -> bytes:
        log_export(f"prognos {year}-{month:02d} (csv)")
        return files.to_csv_bytes(loaders.prognos_table(year, month))

    c1, c2 = st.columns(2)
    c1.download_button("Prognosen som Excel (T1/T2/VB)", data=workbook, on_click="ignore", icon=":material/download:",
                       file_name=f"prognos_{year}-{month:02d}.xlsx", key="export_xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    c2.download_button("Prognosen som CSV", data=csv, on_click="ignore", icon=":material/download:",
                       file_name=f"prognos_{year}-{month:02d}.csv", mime="text/csv", key="export_csv")


def log_export(what: str) -> None:
    """Every export is logged with who and what (never the data itself)."""
    audit.log_event(session.store(), session.user_name(), "export", what)


def audit_export() -> bytes:
    data = files.to_csv_bytes(loaders.audit_log())
    log_export("granskningslogg (csv)")
    return data


# -- the prognosis round -----------------------------------------------------------------------------
def freeze_section(year: int, month: int) -> None:
    """Freeze the month's prognosis after a confirmation listing who has not submitted; who froze and when."""
    from iof.web import prognosrunda

    prognosrunda.freeze_section(year, month)


def round_status(year: int, month: int) -> None:
    """Which units have marked the month's prognosis as lämnad (the overview's list)."""
    from iof.web import prognosrunda

    prognosrunda.round_status(year, month)


def add_adjustment(year: int, month: int, unit: str, cost_type: str, amount_tkr: float, comment: str) -> None:
    """A chef's signed adjustment of the current prognosis (raises ForecastError with a Swedish message)."""
    prognosis_round.add_adjustment(session.store(), year, month, unit, cost_type, amount_tkr, comment,
                                   created_by=session.user_name())


# -- import ------------------------------------------------------------------------------------------
def uploads_to_files(uploads) -> tuple[list, list[str]]:
    """Write uploaded files to a private temp dir (kept for this session); (paths, names)."""
    folder = st.session_state.get("_upload_dir")
    if folder is None or not Path(folder).exists():
        folder = tempfile.mkdtemp(prefix="iof-upload-")
        st.session_state["_upload_dir"] = folder
    paths, names = [], []
    for up in uploads:
        data = up.getvalue()
        suffix = Path(up.name).suffix.lower()
        path = Path(folder) / (hashlib.sha256(data).hexdigest()[:16] + suffix)
        path.write_bytes(data)
        paths.append(path)
        names.append(up.name)
    return paths, names


def extract_summary(result) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "Fil": [e.file_name for e in result.extracts],
            "Typ": [domain.KIND_LABELS.get(e.kind or "", "okänd") for e in result.extracts],
            "Period": [e.period or "–" for e in result.extracts],
            "Rader": [e.n_rows for e in result.extracts],
            "Status": ["godkänd" if e.ok else f"{len(e.errors)} fel" for e in result.extracts],
        }
    )


def validate_uploads(paths, names):
    """The import's checks on uploaded files; stores nothing."""
    return validate_files(paths, display_names=names)


def import_uploads(paths, names, progress):
    """Import uploaded files in one transaction, as the signed-in person."""
    return import_files(session.store(), paths, user=session.user_name(), display_names=names, progress=progress)
