"""What a page asks the pipeline to do, as the signed-in person: exports, freezing, adjustments, imports."""

from __future__ import annotations

import hashlib
from pathlib import Path

import polars as pl
import streamlit as st

from iof.core import domain
from iof.pipeline import prognosis as prognosis_round
from iof.ingest.extracts import InMemoryFile
from iof.pipeline.importer import import_files, validate_files
from iof.present import dashboard, exports, files, fmt
from iof.store import audit
from iof.web import loaders, session


# -- exports (built only when the button is clicked) -----------------------------------------------
def export_buttons(year: int, month: int) -> None:
    """The month's prognosis as Excel (T1/T2/VB) and CSV."""
    who = session.user_name()  # the file is built later, outside this run: log it as this person

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
        log_export(f"prognos {year}-{month:02d} (xlsx)", who)
        return exports.prognosis_workbook(table, ov, br, texts, adj, year, month, session.store().is_demo())

    def csv() -> bytes:
        log_export(f"prognos {year}-{month:02d} (csv)", who)
        return files.to_csv_bytes(loaders.prognos_table(year, month))

    c1, c2 = st.columns(2)
    c1.download_button("Prognosen som Excel (T1/T2/VB)", data=workbook, on_click="ignore", icon=":material/download:",
                       file_name=f"prognos_{year}-{month:02d}.xlsx", key="export_xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    c2.download_button("Prognosen som CSV", data=csv, on_click="ignore", icon=":material/download:",
                       file_name=f"prognos_{year}-{month:02d}.csv", mime="text/csv", key="export_csv")


def log_export(what: str, who: str | None = None) -> None:
    """Every export is logged with who and what (never the data itself).

    A download button's data function runs when the file is fetched, outside the script run
    that drew the button, where the session (and so the signed-in person) is not at hand: the
    page passes `who` (session.user_name() while drawing the button)."""
    audit.log_event(session.store(), who or session.user_name(), "export", what)


def month_report_pdf(unit: str, year: int, month: int, threshold: int | None, is_demo: bool, who: str) -> bytes:
    """The month report of `unit` (or IoF totalt) as a PDF (iof.present.pdf_report), logged as an export.
    Runs when the download is clicked, outside the script run: no session state is read here."""
    from iof.present import pdf_report

    table = loaders.prognos_table(year, month)
    ov = loaders.overview(year, month)
    br = loaders.bridge(year, month)
    row = br.filter(br["enhet"] == unit).row(0, named=True) if br is not None and unit in br["enhet"].to_list() else None
    sc = loaders.scorecard(year, month)
    if unit == domain.IOF_TOTAL:
        kpis = dashboard.tiles_display(dashboard.kpi_tiles(sc, kpis=tuple(dashboard.KPI_LABELS), threshold=threshold))
    else:
        kpis = dashboard.unit_kpis_display(sc, unit, threshold)
    text = dashboard.analysis_text(unit, table, row, year, month)
    audit.log_event(session.store(), who, "export", f"månadsrapport {unit} {year}-{month:02d} (pdf)")
    return pdf_report.month_report_pdf(unit, year, month, text, ov, table, row, kpis, is_demo)


def month_report_button(unit: str, year: int, month: int, key: str) -> None:
    """Download the month report as PDF (built only when clicked)."""
    from iof.web import nav

    threshold = session.small_threshold(None if unit == domain.IOF_TOTAL else unit)
    is_demo, who = session.store().is_demo(), session.user_name()  # read in the run, not in the download
    st.download_button("Månadsrapport som PDF",
                       data=lambda: month_report_pdf(unit, year, month, threshold, is_demo, who),
                       on_click="ignore",
                       file_name=f"manadsrapport_{nav.slug(unit).removeprefix('enhet-')}_{year}-{month:02d}.pdf",
                       mime="application/pdf", icon=":material/picture_as_pdf:", key=key)


def audit_exporter():
    """The audit log as CSV, built when the button is clicked and logged as the person who drew it."""
    who, p = session.user_name(), session.principal()

    def export() -> bytes:
        data = files.to_csv_bytes(audit.audit_frame(session.store(), p))  # role-checked for `p`
        log_export("granskningslogg (csv)", who)
        return data

    return export


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
    """The uploaded files as in-memory files, (files, names): an upload is never written to disk
    (not even a rejected one with a personnummer in it); it lives as long as the uploader holds it."""
    files_, names = [], []
    for up in uploads:
        data = up.getvalue()
        suffix = Path(up.name).suffix.lower()
        files_.append(InMemoryFile(hashlib.sha256(data).hexdigest()[:16] + suffix, data))
        names.append(up.name)
    return files_, names


def extract_summary(result) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "Fil": [e.file_name for e in result.extracts],
            "Typ": [(f"Huvudbok → {domain.KIND_LABELS.get(e.kind or '', 'okänd').lower()}"
                     if e.source == "huvudbok" else domain.KIND_LABELS.get(e.kind or "", "okänd"))
                    for e in result.extracts],
            "Period": [e.period or "–" for e in result.extracts],
            "Rader": [e.n_rows for e in result.extracts],
            "Status": ["godkänd" if e.ok else f"{len(e.errors)} fel" for e in result.extracts],
        }
    )


def validate_uploads(paths, names):
    """The import's checks on uploaded files; stores nothing. New units are reported
    (`unconfirmed_units`), not errors: the page asks the controller to confirm them."""
    return validate_files(paths, display_names=names, store=session.store())


def import_uploads(paths, names, progress, new_units=()):
    """Import uploaded files in one transaction, as the signed-in person; `new_units` confirmed."""
    return import_files(session.store(), paths, user=session.user_name(), display_names=names, progress=progress,
                        new_units=list(new_units))


def upload_refusal(files: list[tuple[str, int]]) -> str | None:
    """The app's Swedish refusal of uploads above the limit ((name, bytes) pairs), or None."""
    from iof.pipeline.importer import upload_limit_mb
    from iof.present import fmt

    limit = upload_limit_mb()
    big = [name for name, size in files if size > limit * 1_000_000]
    if not big:
        return None
    return (
        f"{', '.join(big)}: {'filen är' if len(big) == 1 else 'filerna är'} större än {fmt.number(limit)} MB, "
        "gränsen för uppladdning i dashboarden. Importera med kommandoraden i stället: "
        "`iof import FIL` (den läser stora filer i delar utan att belasta dashboarden för andra)."
    )
