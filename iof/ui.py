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
    if s.is_empty() and not auth_configured():  # demo only where no sign-in is configured (local mode)
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
    """Cache key of the data: the database file, the latest import, adjustment and snapshot.

    A new import, adjustment or frozen prognosis changes it, so every cached view refreshes.
    """
    s = store()
    imports, adjustments, snapshots = s.query("cache_version").row(0)
    from iof import access

    who = access.cache_key(principal()) if "_principal" in st.session_state else "-"
    return f"{s.path}:{imports}:{adjustments}:{snapshots}|{who}"


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


def latest_period() -> tuple[int, int] | None:
    """The latest (year, month) with utfall: the month of the current prognosis."""
    periods = _periods(data_version())
    return periods[-1] if periods else None


def period_picker() -> tuple[int, int] | None:
    """Year and month with utfall, chosen once in the sidebar and carried in the URL (år, månad)."""
    periods = _periods(data_version())
    if not periods:
        st.sidebar.info("Inget utfall är importerat ännu.")
        return None
    years = sorted({y for y, _ in periods}, reverse=True)
    # Options change when a new month is imported; an explicit index keeps each session's choice
    # (a keyed selectbox whose options changed would otherwise fall back to its first option).
    year = st.sidebar.selectbox("År", years, key="år", bind="query-params",
                                index=_keep("år", years, _int_from_url(st.query_params.get("år")), years[0]))
    months = [m for y, m in periods if y == year]
    month = st.sidebar.selectbox(
        "Månad (utfall t.o.m.)", months, key="månad", format_func=fmt.month_name, bind="query-params",
        index=_keep("månad", months, _month_from_url(st.query_params.get("månad")), months[-1]),
    )
    return year, month


def _keep(key: str, options: list, from_url, default) -> int | None:
    """The index that keeps the session's choice; sets it first if it is missing or no longer valid."""
    current = st.session_state.get(key)
    if current in options:
        return options.index(current)
    st.session_state[key] = from_url if from_url in options else default
    return None  # the value just set in session state is what the widget shows


def _int_from_url(value: str | None) -> int | None:
    return int(value) if value and value.strip().isdigit() else None


def _month_from_url(value: str | None) -> int | None:
    """`mars` or `3` from the URL; None if it is neither."""
    from iof.domain import MONTH_NAMES

    if not value:
        return None
    value = value.strip().lower()
    if value in MONTH_NAMES:
        return MONTH_NAMES.index(value) + 1
    return int(value) if value.isdigit() and 1 <= int(value) <= 12 else None


def swedish_table(df: pl.DataFrame, **kwargs) -> None:
    """A dataframe whose numbers read the Swedish way (formatted strings for display)."""
    st.dataframe(df, hide_index=True, **kwargs)


def auth_configured() -> bool:
    """Sign-in (OIDC) is configured when .streamlit/secrets.toml has an [auth] section."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def sign_in():
    """The principal of this session, or a sign-in page / refusal and st.stop().

    Local mode (no sign-in configured) is for demo data only; see iof.access.session_principal.
    """
    from iof import access, audit

    configured = auth_configured()
    s = store()
    info = st.user.to_dict() if configured else None
    try:
        p = access.session_principal(info, auth_configured=configured, demo_or_empty=s.is_demo() or s.is_empty())
    except access.AccessDenied as exc:
        st.title("IoF ledningsdashboard")
        st.error(str(exc), icon=":material/lock:")
        if configured and info and info.get("is_logged_in") and not st.session_state.get("_refusal_logged"):
            from iof.core.personnummer import redact

            who = redact(str(info.get("email") or info.get("sub") or "okänd"))
            audit.log_event(s, who, "inloggning", "ingen behörighet i rollfilen", outcome="nekad")
            st.session_state["_refusal_logged"] = True
        if configured and info and info.get("is_logged_in"):
            st.button("Logga ut", on_click=st.logout)
        st.stop()
    if p is None:
        st.title("IoF ledningsdashboard")
        st.markdown("Uppgifterna gäller barn i vård och visas bara för inloggade med behörighet.")
        st.button("Logga in", type="primary", icon=":material/login:", on_click=st.login)
        st.stop()
    st.session_state["_principal"] = p
    if not st.session_state.get("_sign_in_logged"):
        audit.log_event(s, p.user, "inloggning", f"roll {p.role}" + (" (lokalt läge)" if p.local else ""))
        st.session_state["_sign_in_logged"] = True
    return p


def principal():
    """The signed-in principal (set by sign_in() in app.py on every run)."""
    return st.session_state["_principal"]


def small_threshold(unit: str | None) -> int | None:
    """The small-count threshold when this viewer is a wider audience for `unit` (None: all units)."""
    from iof import access, config

    return config.load().small_count_threshold if access.wide_audience(principal(), unit) else None


def user_name() -> str:
    """Who is using the app: the signed-in user, else the local user (demo mode)."""
    p = st.session_state.get("_principal")
    if p is not None and not p.local:
        return p.user
    from iof.importer import current_user

    return current_user()


def user_box() -> None:
    p = principal()
    with st.sidebar:
        st.caption(f"Inloggad: {p.label}" if not p.local else f"Lokalt läge (demodata), roll {p.rules.label.lower()}")
        if not p.local:
            st.button("Logga ut", on_click=st.logout, key="logga_ut")


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


# ---------------------------------------------------------------------------------------------
# Cached computations (keyed on data_version; pages call these, never the store directly)
# ---------------------------------------------------------------------------------------------
@st.cache_data(max_entries=48, show_spinner=False)
def prognosis(version: str, year: int, month: int):
    """(Forecast, source) of (year, month): the frozen snapshot if there is one, else live."""
    from iof import forecast_store

    return forecast_store.prognosis(store(), year, month)


@st.cache_data(max_entries=48, show_spinner=False)
def prognos_table(version: str, year: int, month: int) -> pl.DataFrame:
    from iof.forecast import prognos_table as table

    fc, _ = prognosis(version, year, month)
    return table(fc.lines)


@st.cache_data(max_entries=24, show_spinner=False)
def bridge(version: str, year: int, month: int) -> pl.DataFrame | None:
    if month < 2:
        return None
    from iof.bridge import bridge as make_bridge
    from iof.forecast import ForecastParams

    prev, _ = prognosis(version, year, month - 1)
    curr, _ = prognosis(version, year, month)
    return make_bridge(prev, curr, ForecastParams.from_config(), frame("placements", version))


@st.cache_data(max_entries=24, show_spinner=False)
def history(version: str, year: int, month: int) -> pl.DataFrame:
    """Each unit's Netto prognosis as made in months 1..month of the year."""
    from iof import dashboard
    from iof.forecast import net_by_unit

    nets = []
    for m in range(1, month + 1):
        fc, _ = prognosis(version, year, m)
        nets.append(net_by_unit(fc.lines).with_columns(month=pl.lit(m, pl.Int32)))
    return dashboard.history(pl.concat(nets), dashboard.budget_net(prognos_table(version, year, month)))


@st.cache_data(max_entries=24, show_spinner=False)
def scorecard(version: str, year: int, month: int) -> pl.DataFrame:
    from iof.scorecard import scorecard as make

    return make(frame("placements", version), frame("cases", version), frame("staffing", version), year, month)


@st.cache_data(max_entries=24, show_spinner=False)
def monthly_net(version: str, year: int, unit: str | None) -> pl.DataFrame:
    from iof import dashboard
    from iof.forecast import budget_by_month

    return dashboard.monthly_actual_vs_budget(
        frame("actual", version), budget_by_month(frame("budget", version), year), year, unit
    )


def period() -> tuple[int, int]:
    """The year and month chosen in the sidebar (stops the page with a message if none)."""
    year, month = st.session_state.get("år"), st.session_state.get("månad")
    if not year or not month:
        st.info("Det finns inget utfall att visa ännu. Importera extrakt på sidan Importera.")
        st.stop()
    return int(year), int(month)


def plot(fig, key: str | None = None) -> None:
    st.plotly_chart(fig, theme=None, key=key, config={
        "displaylogo": False, "locale": "sv",
        "toImageButtonOptions": {"format": "png", "filename": key or "diagram", "scale": 2},
    })


# ---------------------------------------------------------------------------------------------
# Unit pages and drill-down
# ---------------------------------------------------------------------------------------------
_unit_pages: dict[str, object] = {}


def slug(unit: str) -> str:
    """URL path of a unit's page: `enhet-barn-och-ungdom` (å/ä/ö → a/a/o)."""
    import re

    s = unit.lower().translate(str.maketrans("åäöé", "aaoe"))
    return "enhet-" + re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def register_unit_pages(pages: dict[str, object]) -> None:
    _unit_pages.clear()
    _unit_pages.update(pages)


def unit_page(unit: str):
    return _unit_pages.get(unit)


STATUS_COLOURS = {
    "Underskott": "background-color: #fde2e1; color: #8b1a12",
    "Överskott": "background-color: #e3f4e4; color: #1e5b22",
    "I balans": "background-color: #eef2f7; color: #1f3b63",
    "ej uppnått": "background-color: #fde2e1; color: #8b1a12",
    "risk": "background-color: #fff1d6; color: #7a4b00",
    "på väg": "background-color: #e3f4e4; color: #1e5b22",
}


def styled(df: pl.DataFrame, column: str = "Status", colours: dict[str, str] = STATUS_COLOURS):
    """The table with `column` coloured by its value (status words by default)."""
    pdf = df.to_pandas()
    if column in pdf.columns:
        return pdf.style.map(lambda v: colours.get(v, ""), subset=[column])
    return pdf


def overview_table(ov: pl.DataFrame) -> None:
    """The units' table; selecting a row opens that unit's page (drill-down)."""
    from iof import dashboard

    shown = dashboard.overview_display(ov)
    event = st.dataframe(
        styled(shown), hide_index=True, on_select="rerun", selection_mode="single-row", key="oversikt_tabell",
        column_config={"Enhet": st.column_config.TextColumn(width="medium"),
                       "Status": st.column_config.TextColumn(width="small")},
    )
    rows = event.selection.rows if event is not None else []
    if rows:
        unit = shown["Enhet"][rows[0]]
        page = unit_page(unit)
        if page is not None:
            st.switch_page(page)
    links = [u for u in shown["Enhet"].to_list() if unit_page(u) is not None]
    cols = st.columns(max(len(links), 1))
    for col, unit in zip(cols, links):
        col.page_link(unit_page(unit), label=unit, icon=":material/arrow_forward:")


def kpi_tiles(tiles: list[dict]) -> None:
    if not tiles:
        st.info("Det finns inga mål att följa upp för perioden.")
        return
    cols = st.columns(len(tiles))
    for col, t in zip(cols, tiles):
        with col.container(border=True):
            st.metric(t["label"], t["value_text"],
                      help=f"Jämförelse: {t['comparison']}" if t["baseline_text"] else None)
            if t["baseline_text"]:
                st.caption(f"{t['comparison'].capitalize()}: {t['baseline_text']}")
            if t["status_text"]:
                st.caption(t["status_text"])


_named_pages: dict[str, object] = {}


def register_named_pages(pages: dict[str, object]) -> None:
    _named_pages.update(pages)


def named_page(name: str):
    return _named_pages[name]


def nav_params(**extra) -> dict:
    """The current URL's parameters (år, månad …) plus `extra`, for drill-down links."""
    params = {k: v for k, v in st.query_params.to_dict().items() if k in ("år", "månad")}
    params.update({k: v for k, v in extra.items() if v is not None})
    return params


@fmt.formatted
@st.cache_data(max_entries=48, show_spinner=False)
def adjustments(version: str, year: int, month: int, unit: str) -> pl.DataFrame:
    from iof import forecast_store

    adj = forecast_store.adjustments(store(), year, month)
    adj = adj.filter(pl.col("unit") == unit)
    return adj.select(
        Kostnadsslag="cost_type",
        Belopp=fmt.text(fmt.signed_tkr, "amount_tkr"),
        Kommentar="comment",
        Av="created_by",
        När=pl.col("created_at").dt.strftime("%Y-%m-%d %H:%M"),
    )


def swedish_chrome() -> None:
    """Swedish text for the few built-in Streamlit labels that have no parameter (file upload)."""
    st.html(
        """<style>
        [data-testid="stFileUploaderDropzoneInstructions"] small { display: none; }
        [data-testid="stFileUploaderDropzoneInstructions"] > div::after {
            content: "CSV eller xlsx, som Excel sparar dem"; font-size: 0.85rem; color: #6b7280; }
        [data-testid="stFileUploaderDropzone"] button { font-size: 0; }
        [data-testid="stFileUploaderDropzone"] button::after { content: "Välj filer"; font-size: 0.9rem; }
        </style>"""
    )


# ---------------------------------------------------------------------------------------------
# Prognossäkerhet
# ---------------------------------------------------------------------------------------------
@st.cache_data(max_entries=8, show_spinner=False)
def closed_years(version: str) -> list[int]:
    from iof.accuracy import closed_years as years

    return years(frame("actual", version))


@st.cache_data(max_entries=8, show_spinner=False)
def accuracy(version: str, year: int) -> pl.DataFrame:
    from iof.forecast_reports import prognossakerhet_report

    return prognossakerhet_report(store(), year)


@st.cache_data(max_entries=4, show_spinner=False)
def backtest(version: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    from iof.accuracy import backtest as run, backtest_summary

    bt = run(frame("budget", version), frame("actual", version), frame("placements", version),
             frame("staffing", version))
    return bt, backtest_summary(bt)


def apt_style() -> None:
    """Projector-friendly type sizes (APT-läge only)."""
    st.html(
        """<style>
        [data-testid="stMain"] h1 { font-size: 3rem; }
        [data-testid="stMain"] h3 { font-size: 1.9rem; line-height: 1.35; font-weight: 500; }
        [data-testid="stMetricValue"] { font-size: 3rem; }
        [data-testid="stMetricLabel"] p { font-size: 1.3rem; }
        [data-testid="stCaptionContainer"] { font-size: 1.1rem; }
        </style>"""
    )


# ---------------------------------------------------------------------------------------------
# Exports (built only when the button is clicked)
# ---------------------------------------------------------------------------------------------
def export_buttons(year: int, month: int) -> None:
    """The month's prognosis as Excel (T1/T2/VB) and CSV."""
    from iof import dashboard, exports, forecast_store, reports

    v = data_version()

    def workbook() -> bytes:
        table = prognos_table(v, year, month)
        ov = dashboard.overview(table, prognos_table(v, year, month - 1) if month > 1 else None)
        br = bridge(v, year, month)
        texts = {}
        for unit in ov["enhet"].to_list():
            row = None
            if br is not None and unit in br["enhet"].to_list():
                row = br.filter(br["enhet"] == unit).row(0, named=True)
            texts[unit] = dashboard.analysis_text(unit, table, row, year, month)
        adj = forecast_store.adjustments(store(), year, month)
        log_export(f"prognos {year}-{month:02d} (xlsx)")
        return exports.prognosis_workbook(table, ov, br, texts, adj, year, month, store().is_demo())

    def csv() -> bytes:
        log_export(f"prognos {year}-{month:02d} (csv)")
        return reports.to_csv_bytes(prognos_table(v, year, month))

    c1, c2 = st.columns(2)
    c1.download_button("Prognosen som Excel (T1/T2/VB)", data=workbook, on_click="ignore", icon=":material/download:",
                       file_name=f"prognos_{year}-{month:02d}.xlsx", key="export_xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    c2.download_button("Prognosen som CSV", data=csv, on_click="ignore", icon=":material/download:",
                       file_name=f"prognos_{year}-{month:02d}.csv", mime="text/csv", key="export_csv")


def log_export(what: str) -> None:
    """Every export is logged with who and what (never the data itself)."""
    from iof import audit

    audit.log_event(store(), user_name(), "export", what)


def freeze_section(year: int, month: int) -> None:
    """Freeze the month's prognosis as it is (model, adjustments, import version) for later comparison."""
    from iof import access, forecast_store
    from iof.forecast import ForecastError

    _, source = prognosis(data_version(), year, month)
    if source != "fryst" and not access.may_adjust(principal()):
        st.caption("Controllern fryser månadens prognos efter prognosmötet; den fryses också automatiskt "
                   "när nästa månads utfall importeras.")
        return
    if (year, month) != latest_period() and source != "fryst":
        st.caption(f"Bara den aktuella prognosen ({fmt.year_month(*latest_period())}) kan frysas. Prognosen fryses "
                   "också automatiskt när nästa månads utfall importeras.")
        return
    if source == "fryst":
        st.success(f"Prognosen för {fmt.year_month(year, month)} är fryst. Den visas som den gjordes; "
                   "justeringar görs i nästa månads prognos.", icon=":material/lock:")
        return
    st.caption("När månadens prognosmöte är klart fryses prognosen: modell, justeringar och vilka importer den "
               "byggde på sparas som de är, så att senare månader kan jämföras med den (prognossäkerhet, brygga).")
    if st.button(f"Frys prognosen för {fmt.year_month(year, month)}", icon=":material/lock:", key="frys"):
        try:
            forecast_store.freeze(store(), year, month, created_by=user_name())
            st.rerun()
        except ForecastError as exc:
            st.error(str(exc))


def delta_style(change: float | None) -> dict:
    """st.metric delta arguments for a change where positive is better (text keeps U+2212)."""
    if change is None:
        return {"delta": None}
    if round(change / 1000, 1) == 0:
        return {"delta": fmt.signed(change, "mnkr"), "delta_color": "gray", "delta_arrow": "off"}
    better = change > 0
    return {"delta": fmt.signed(change, "mnkr"), "delta_color": "green" if better else "red",
            "delta_arrow": "up" if better else "down"}


# ---------------------------------------------------------------------------------------------
# Granskningslogg (controller)
# ---------------------------------------------------------------------------------------------
def audit_log(version: str) -> pl.DataFrame:
    """Not cached: the log grows with every click that exports; read it fresh."""
    from iof import audit

    return audit.audit_frame(store(), principal())


def audit_export() -> bytes:
    from iof import reports

    data = reports.to_csv_bytes(audit_log(data_version()))
    log_export("granskningslogg (csv)")
    return data


# --- Verksamhet pages (placeringar, handläggningstider, personal) ---
# Cached computations of views/placeringar.py, views/handlaggningstider.py and views/personal.py,
# keyed on data_version (first argument). unit None = all units (IoF totalt); forms () = all forms.
def unit_filter(label: str = "Enhet") -> str | None:
    """The enhet selectbox (key `enhet`, bound to ?enhet= in the URL, so unit pages can drill down
    here). Returns the unit, or None for "Alla enheter"; Streamlit ignores an unknown ?enhet=."""
    from iof import views_data

    options = [views_data.ALL_UNITS, *store().units()]
    choice = st.selectbox(label, options, key="enhet", bind="query-params")
    return views_data.unit_or_none(choice)


@st.cache_data(max_entries=32, show_spinner=False)
def placement_trends(version: str, unit: str | None, forms: tuple[str, ...], year: int, month: int):
    """(stock by form, monthly flows/cost/share) over the 24 months ending with year-month."""
    from iof import views_data as vd

    p = vd.placements_scope(frame("placements", version), unit, list(forms))
    months = vd.last_months(year, month)
    if p.is_empty():
        return None, None
    return vd.placement_stock_by_form(p, months), vd.placement_monthly(p, months)


@st.cache_data(max_entries=32, show_spinner=False)
def _placements_active_on(version: str, unit: str | None, forms: tuple[str, ...], day: date) -> pl.DataFrame:
    from iof import views_data as vd

    return vd.active_placements(vd.placements_scope(frame("placements", version), unit, list(forms), relabel=False), day)


@st.cache_data(max_entries=32, show_spinner=False)
def _jourhem_over_limit(version: str, unit: str | None, day: date) -> pl.DataFrame:
    from iof import trends, views_data as vd

    return trends.jourhem_over_limit(vd.filtered(frame("placements", version), unit), day)


@st.cache_data(max_entries=32, show_spinner=False)
def _custody_transfer_due(version: str, unit: str | None, day: date) -> pl.DataFrame:
    from iof import trends, views_data as vd

    return trends.custody_transfer_due(vd.filtered(frame("placements", version), unit), day)


@st.cache_data(max_entries=32, show_spinner=False)
def _breakdowns(version: str, unit: str | None, forms: tuple[str, ...], first: date, last: date) -> pl.DataFrame:
    """Sammanbrott ended in [first, last] and what followed (the next placement may be another unit's)."""
    from iof import trends, views_data as vd

    fu = vd.breakdowns_in(vd.filtered(trends.breakdown_followups(frame("placements", version)), unit), first, last)
    return fu.filter(pl.col("placement_type").is_in(list(forms))) if forms else fu


@st.cache_data(max_entries=32, show_spinner=False)
def move_to_own_care(version: str, year: int, month: int, n: int, move_date: date, from_form: str,
                     unit: str | None):
    """(moved placements, effect per kostnadsslag and Netto on the year's prognosis). Raises
    ForecastError (a Swedish message) for a request that cannot be made."""
    from iof import views_data as vd
    from iof import whatif

    moved = whatif.move_to_own_care(frame("placements", version), year, month, n, move_date, from_form, unit)
    effect = vd.whatif_effect(moved, whatif.effect_on_lines(moved), prognos_table(version, year, month), unit)
    from iof import access

    p = principal()  # the list names placements: only units seen in detail; the effect is an aggregate
    shown = moved.clear() if not access.may_see_any_detail(p) else access.restrict_detail(moved, p, unit_col="enhet")
    return shown, effect


@st.cache_data(max_entries=32, show_spinner=False)
def processing(version: str, unit: str | None, types: tuple[str, ...], year: int, month: int,
               n_months: int = 12) -> pl.DataFrame:
    """Handläggningstider per ärendetyp and month over the n months ending with year-month."""
    from iof import views_data as vd

    c = vd.of_case_types(vd.scoped(frame("cases", version), unit), types)
    return vd.processing_monthly(c, vd.last_months(year, month, n_months))


@st.cache_data(max_entries=32, show_spinner=False)
def _open_deadlines(version: str, unit: str | None, types: tuple[str, ...], day: date):
    """(open ärenden past their limit, those passing it within the warning days) on `day`."""
    from iof import cases, views_data as vd

    return vd.split_deadlines(cases.open_deadlines(vd.of_case_types(vd.filtered(frame("cases", version), unit), types), day))


@st.cache_data(max_entries=32, show_spinner=False)
def staff_trend(version: str, unit: str | None, year: int, month: int) -> pl.DataFrame:
    from iof import views_data as vd

    return vd.staff_monthly(frame("staffing", version), vd.last_months(year, month), unit)


@st.cache_data(max_entries=32, show_spinner=False)
def staff_units(version: str, year: int, month: int) -> pl.DataFrame:
    from iof import views_data as vd

    return vd.staff_units(frame("staffing", version), year, month)


CASELOAD_COLOURS = {
    "över": "background-color: #fde2e1; color: #8b1a12",
    "under": "background-color: #fff1d6; color: #7a4b00",
    "inom": "background-color: #e3f4e4; color: #1e5b22",
}


def styled_caseload(df: pl.DataFrame, column: str = "Läge"):
    """A staff table with ärenden per handläggare over/under/inside the band coloured."""
    return styled(df, column, CASELOAD_COLOURS)



# --- Detail (rows with pseudonyms) only for the units the principal may see in detail ---------
def _detail(frame: pl.DataFrame) -> pl.DataFrame:
    """Enforced where data leaves the package: rows of other units are dropped (iof.access)."""
    from iof import access

    p = principal()
    if not access.may_see_any_detail(p):
        return frame.clear()
    return access.restrict_detail(frame, p)


def detail_hidden(unit: str | None) -> bool:
    """True when lists of children or ärenden for `unit` (None: all units) are limited by the role."""
    from iof import access

    p = principal()
    return p.rules.detail != "all" and (unit is None or not access.may_see_detail(p, unit))


def detail_note(unit: str | None) -> None:
    """Say so when lists of children or ärenden are limited by the viewer's role."""
    from iof import access

    p = principal()
    if p.rules.detail == "all":
        return
    if unit is None or not access.may_see_detail(p, unit):
        own = ", ".join(sorted(p.units)) or "inga enheter"
        st.info(f"Listor med enskilda placeringar och ärenden visas bara för dina egna enheter ({own}). "
                "Övriga enheter visas som sammanställningar.", icon=":material/lock:")


def placements_active_on(version, unit, forms, day) -> pl.DataFrame:
    return _detail(_placements_active_on(version, unit, forms, day))


def count_active_on(version, unit, forms, day) -> int:
    """An aggregate: how many placements were active (all units in scope, no pseudonyms leave)."""
    return _placements_active_on(version, unit, forms, day).height


def jourhem_over_limit(version, unit, day) -> pl.DataFrame:
    return _detail(_jourhem_over_limit(version, unit, day))


def custody_transfer_due(version, unit, day) -> pl.DataFrame:
    return _detail(_custody_transfer_due(version, unit, day))


def breakdowns(version, unit, forms, first, last) -> pl.DataFrame:
    return _detail(_breakdowns(version, unit, forms, first, last))


def open_deadlines(version, unit, types, day):
    passed, soon = _open_deadlines(version, unit, types, day)
    return _detail(passed), _detail(soon)


def count_open_deadlines(version, unit, types, day) -> tuple[int, int]:
    passed, soon = _open_deadlines(version, unit, types, day)
    return passed.height, soon.height
