"""The browser session: the one connection, sign-in and principal, the data version, the period.

The data version is read once per run (by the frame) and cached loaders take it themselves; no
page passes it. What a page starts from is iof.web.frame.context().
"""

from __future__ import annotations

import threading

import polars as pl
import streamlit as st

from iof.core import access, config
from iof.core.domain import MONTH_NAMES
from iof.core.privacy import redact
from iof.pipeline.importer import load_demo
from iof.present import fmt
from iof.store import audit
from iof.store.db import Store, StoreError, db_path

_bootstrap_lock = threading.Lock()
_run = threading.local()  # per script run (Streamlit runs each session's script in its own thread)


@st.cache_resource(show_spinner=False)
def _store(path: str) -> Store:
    # Nothing held open: short connections under the gate, so `iof import` (a nightly job) and
    # other app processes can use the same file while this one serves (docs/drift.md).
    return Store(path, hold=False)


def store() -> Store:
    """The process's store; on an empty database, demo data are created first."""
    try:
        s = _store(str(db_path()))
    except StoreError as exc:
        st.error(str(exc))
        st.stop()
    if s.is_empty() and not auth_configured():  # demo only where no sign-in is configured (local mode)
        with _bootstrap_lock:
            if s.is_empty():
                with st.spinner("Databasen är tom – skapar demodata (tar några sekunder) …"):
                    result = load_demo(s)
                if not result.ok:
                    st.error("Demodata kunde inte skapas:\n\n" + result.report())
                    st.stop()
    return s


def read_version() -> str:
    """Cache key of what a viewer sees: the database file, what pages show (queries/cache_version.sql:
    imports, adjustments, snapshots, lämnad marks, comments) and what the viewer may see.

    A new import, adjustment, lämnad mark, comment or frozen prognosis changes it, so every cached
    view refreshes.
    """
    s = store()
    # What pages show, not the database's generation: every write bumps that, including the audit
    # log's sign-ins and exports, and keying on it made each new session recompute every view
    # (6 s at city scale) and throw away everyone else's. Remembered per generation: no file access.
    data = ":".join(str(v) for v in s.cache_version())
    who = access.cache_key(principal()) if "_principal" in st.session_state else "-"
    return f"{s.path}:{data}|{who}"


def version() -> str:
    """The data version of this run (read once by the frame; a fragment rerun reads it anew)."""
    v = getattr(_run, "version", None)
    return v if v is not None else read_version()


def begin_run() -> None:
    _run.version = None
    _run.version = read_version()


def end_run() -> None:
    _run.version = None


def units() -> list[str]:
    """The units in the database (remembered by the store per generation: no file access per click)."""
    return store().units()


def is_demo() -> bool:
    """True when the database holds demo data (remembered per generation)."""
    return store().is_demo()


def auth_configured() -> bool:
    """Sign-in (OIDC) is configured when .streamlit/secrets.toml has an [auth] section."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def sign_in(addresses: list[str]) -> access.Principal:
    """The principal of this session, or a sign-in page / refusal and st.stop().

    Local mode (no sign-in configured) is for demo data only; see iof.core.access.session_principal.
    `addresses`: every page address of the app, all claimed by the sign-in page.
    """
    configured = auth_configured()
    s = store()
    info = st.user.to_dict() if configured else None
    try:
        p = access.session_principal(info, auth_configured=configured, demo_or_empty=s.is_demo() or s.is_empty())
    except access.AccessDenied as exc:
        st.title("IoF ledningsdashboard")
        st.error(str(exc), icon=":material/lock:")
        if configured and info and info.get("is_logged_in") and not st.session_state.get("_refusal_logged"):
            who = redact(str(info.get("email") or info.get("sub") or "okänd"))
            audit.log_event(s, who, "inloggning", exc.reason, outcome="nekad")
            st.session_state["_refusal_logged"] = True
        if configured and info and info.get("is_logged_in"):
            st.button("Logga ut", on_click=st.logout)
        _no_navigation(addresses)
    if p is None:
        st.title("IoF ledningsdashboard")
        st.markdown("Uppgifterna gäller barn i vård och visas bara för inloggade med behörighet.")
        st.button("Logga in", type="primary", icon=":material/login:", on_click=st.login)
        _no_navigation(addresses)
    st.session_state["_principal"] = p
    if not st.session_state.get("_sign_in_logged"):
        if _first_time(p, info, str(s.path)):
            audit.log_event(s, p.user, "inloggning", f"roll {p.role}" + (" (lokalt läge)" if p.local else ""))
        st.session_state["_sign_in_logged"] = True
    return p


@st.cache_resource(show_spinner=False)
def _signed_in() -> tuple[threading.Lock, dict]:
    """Sign-ins already logged in this server process: identity and token issue time → True."""
    return threading.Lock(), {}


def _first_time(p: access.Principal, info: dict | None, where: str) -> bool:
    """True the first time this sign-in is seen. A sign-in is one ID token (user and its issue
    time): every page load and browser tab opened with it is the same sign-in, logged once.
    Local mode (demo data) has no token: its sign-in is the server process started for one user,
    logged once, not at every page load (each was a write, ≈ 0,1 s of a new browser session).
    `where`: the database the sign-in is logged in."""
    issued = "lokalt läge" if p.local else (info or {}).get("iat") or (info or {}).get("auth_time")
    if issued is None:
        return True
    lock, seen = _signed_in()
    key = (p.user.lower(), str(issued), where)
    with lock:
        if key in seen:
            return False
        seen[key] = True
        return True


def _no_navigation(addresses: list[str]) -> None:
    """Stop before any page, with no navigation either (on a first-request deep link Streamlit's own
    pages/ navigation would otherwise stay in the sidebar); every address leads to this sign-in page."""
    if addresses:
        # the default page lives at the root address, so it gets a name of its own
        st.navigation([st.Page(_blank, title="Inloggning", url_path=a, default=a == "inloggning")
                       for a in ["inloggning", *addresses]], position="hidden")
    st.stop()


def _blank() -> None:
    """The sign-in page's content is drawn before navigation; the page itself adds nothing."""


def principal() -> access.Principal:
    """The signed-in principal (set by sign_in() in the frame on every run)."""
    return st.session_state["_principal"]


LOCAL_USER = "lokal användare (demo)"


def user_name() -> str:
    """Who is using the app: the signed-in user; in local (demo) mode always LOCAL_USER – never the
    operating-system account the server happens to run as (that was "root" in a container)."""
    p = st.session_state.get("_principal")
    if p is not None and not p.local:
        return p.user
    return LOCAL_USER


def flash(message: str) -> None:
    """A confirmation that survives the st.rerun() after a save (shown by widgets.show_flash)."""
    st.session_state.setdefault("_flash", []).append(message)


def small_threshold(unit: str | None) -> int | None:
    """The small-count threshold when this viewer is a wider audience for `unit` (None: all units)."""
    return config.load().small_count_threshold if access.wide_audience(principal(), unit) else None


def detail_hidden(unit: str | None) -> bool:
    """True when lists of children or ärenden for `unit` (None: all units) are limited by the role."""
    p = principal()
    return p.rules.detail != "all" and (unit is None or not access.may_see_detail(p, unit))


# -- the extracts as read for a data version (shared by every session; iof.web.loaders reads them) --
@st.cache_resource(max_entries=64, show_spinner=False)
def frame(name: str, version: str) -> pl.DataFrame:
    """One of the five extracts (budget, actual, placements, staffing, cases) as a frame."""
    return getattr(store(), name)()


def prognosis_frames(version: str) -> dict[str, pl.DataFrame]:
    """The four extracts a prognosis reads, the uncached ones in one connection (an open of the
    file costs 12 ms or more)."""
    with store().session():
        return {name: frame(name, version) for name in ("budget", "actual", "placements", "staffing")}


# -- the period -------------------------------------------------------------------------------------
@st.cache_data(max_entries=8, show_spinner=False)
def _periods(version: str) -> list[tuple[int, int]]:
    actual = frame("actual", version)  # read with the prognosis's frames (loaders.first_reads): no open
    if actual.is_empty():
        return []
    return sorted(set(actual.select("year", "month").unique().iter_rows()))


def periods() -> list[tuple[int, int]]:
    """Every (year, month) with utfall, oldest first."""
    return _periods(version())


def latest_period() -> tuple[int, int] | None:
    """The latest (year, month) with utfall: the month of the current prognosis."""
    p = periods()
    return p[-1] if p else None


def period_picker() -> tuple[int, int] | None:
    """Year and month with utfall, chosen once in the sidebar and carried in the URL (år, månad)."""
    p = periods()
    if not p:
        st.sidebar.info("Inget utfall är importerat ännu.")
        return None
    # A session that was looking at the latest month follows it when a new month is imported (the
    # nightly import: everyone sees the new month at their next click); one that chose an earlier
    # month keeps it.
    latest, previous = p[-1], st.session_state.get("_senaste_period")
    st.session_state["_senaste_period"] = latest
    moved = False
    if previous is not None and previous != latest and \
            (st.session_state.get("år"), st.session_state.get("månad")) == tuple(previous):
        st.session_state["år"], st.session_state["månad"] = latest
        moved = True
    years = sorted({y for y, _ in p}, reverse=True)
    # Options change when a new month is imported, so the session's choice is kept in session state
    # (a keyed selectbox whose options changed would otherwise fall back to its first option).
    # The URL is written here rather than bound to the widgets (bind="query-params" drops a parameter
    # whose value equals the widget's default), so a link always carries år and månad: a link shared
    # today points at the same month next month.
    # An explicit index as well: a keyed selectbox whose options grew (a new month imported) falls
    # back to its first option ("januari") otherwise — the 20-session load test catches it.
    index = _keep("år", years, _int_from_url(st.query_params.get("år")), years[0])
    year = st.sidebar.selectbox("År", years, key="år", index=None if moved else index)
    months = [m for y, m in p if y == year]
    index = _keep("månad", months, _month_from_url(st.query_params.get("månad")), months[-1])
    month = st.sidebar.selectbox("Månad (utfall t.o.m.)", months, key="månad", format_func=fmt.month_name,
                                 index=None if moved else index)
    if st.query_params.get("år") != str(year) or st.query_params.get("månad") != fmt.month_name(month):
        st.query_params["år"] = str(year)
        st.query_params["månad"] = fmt.month_name(month)
    return year, month


def _keep(key: str, options: list, from_url, default) -> int | None:
    """The index that keeps the session's choice; sets it first (from the URL, else `default`) if it
    is missing or no longer valid (then None: the value just set is what the widget shows)."""
    current = st.session_state.get(key)
    if current in options:
        return options.index(current)
    st.session_state[key] = from_url if from_url in options else default
    return None


def _int_from_url(value: str | None) -> int | None:
    return int(value) if value and value.strip().isdigit() else None


def _month_from_url(value: str | None) -> int | None:
    """`mars` or `3` from the URL; None if it is neither."""
    if not value:
        return None
    value = value.strip().lower()
    if value in MONTH_NAMES:
        return MONTH_NAMES.index(value) + 1
    return int(value) if value.isdigit() and 1 <= int(value) <= 12 else None


def period() -> tuple[int, int]:
    """The year and month chosen in the sidebar (stops the page with a message if none)."""
    year, month = st.session_state.get("år"), st.session_state.get("månad")
    if not year or not month:
        st.info("Det finns inget utfall att visa ännu. Importera extrakt på sidan Importera.")
        st.stop()
    return int(year), int(month)
