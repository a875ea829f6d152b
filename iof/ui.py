"""Streamlit glue: the one connection, cached loaders keyed on the import version, shared widgets.

The only module of the package that imports Streamlit (pages import it too).
"""

from __future__ import annotations

import threading
from datetime import date

import polars as pl
import streamlit as st

from iof import fmt
from iof.store import Store, StoreError, db_path

_bootstrap_lock = threading.Lock()


@st.cache_resource(show_spinner=False)
def _store(path: str) -> Store:
    return Store(path)


def store() -> Store:
    """The process's one connection; on an empty database, demo data are created first."""
    try:
        s = _store(str(db_path()))
    except StoreError as exc:
        st.error(str(exc))
        st.stop()
    if s.is_empty():
        with _bootstrap_lock:
            if s.is_empty():
                from iof.importer import load_demo

                with st.spinner("Databasen är tom – skapar demodata (tar några sekunder) …"):
                    result = load_demo(s)
                if not result.ok:
                    st.error("Demodata kunde inte skapas:\n\n" + result.report())
                    st.stop()
    return s


def data_version() -> str:
    """Cache key of the data: database file and latest import id (a new import changes it)."""
    s = store()
    return f"{s.path}:{s.data_version()}"


@st.cache_data(max_entries=64, show_spinner=False)
def frame(name: str, version: str) -> pl.DataFrame:
    """One of the five extracts as a frame (budget, actual, placements, staffing, cases)."""
    return getattr(store(), name)()


@st.cache_data(max_entries=64, show_spinner=False)
def query(name: str, version: str, **params) -> pl.DataFrame:
    return store().query(name, **params)


def load(name: str) -> pl.DataFrame:
    return frame(name, data_version())


def demo_banner() -> None:
    if store().is_demo():
        st.warning(
            "**Demodata.** Allt som visas här är påhittade uppgifter för visning och test – "
            "inga verkliga barn, ärenden eller belopp.",
            icon=":material/science:",
        )


@st.cache_data(max_entries=8, show_spinner=False)
def _periods(version: str) -> list[tuple[int, int]]:
    actual = store().actual()
    if actual.is_empty():
        return []
    return sorted(set(actual.select("year", "month").unique().iter_rows()))


def period_picker() -> tuple[int, int] | None:
    """Year and month with utfall, chosen once in the sidebar and carried in the URL (år, månad)."""
    periods = _periods(data_version())
    if not periods:
        st.sidebar.info("Inget utfall är importerat ännu.")
        return None
    years = sorted({y for y, _ in periods}, reverse=True)
    year = st.sidebar.selectbox("År", years, key="år", bind="query-params")
    months = [m for y, m in periods if y == year]
    if st.session_state.get("månad") not in months:
        st.session_state["månad"] = months[-1]
    month = st.sidebar.selectbox(
        "Månad (utfall t.o.m.)", months, key="månad", format_func=fmt.month_name, bind="query-params"
    )
    return year, month


def swedish_table(df: pl.DataFrame, **kwargs) -> None:
    """A dataframe whose numbers read the Swedish way (formatted strings for display)."""
    st.dataframe(df, hide_index=True, **kwargs)


def user_name() -> str:
    """Who is using the app: the signed-in user, else the local user (demo mode)."""
    try:
        if st.user.is_logged_in:
            return str(st.user.get("email") or st.user.get("name") or "okänd")
    except Exception:  # st.user without auth configured
        pass
    from iof.importer import current_user

    return current_user()


def uploads_to_files(uploads) -> tuple[list, list[str]]:
    """Write uploaded files to a private temp dir (kept for this session); (paths, names)."""
    import hashlib
    import tempfile
    from pathlib import Path

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
    from iof import domain

    return pl.DataFrame(
        {
            "Fil": [e.file_name for e in result.extracts],
            "Typ": [domain.KIND_LABELS.get(e.kind or "", "okänd") for e in result.extracts],
            "Period": [e.period or "–" for e in result.extracts],
            "Rader": [e.n_rows for e in result.extracts],
            "Status": ["godkänd" if e.ok else f"{len(e.errors)} fel" for e in result.extracts],
        }
    )
