"""The audit log: every sign-in, import, adjustment, export and restore with who, when and what.

`what` is a short description – file names, report kind, unit, period, row counts – never the
data and never a message that could quote it; personnummer shapes are replaced by `[dolt]`.
Only the controller reads it (`audit_frame`). Events are written in their own short transaction,
or, for an import, inside the import's own transaction, so that an import and its event are
stored together or not at all; a failed import is logged afterwards, after the rollback.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import duckdb
import polars as pl

from iof.core.access import Principal, may_audit, require
from iof.core.privacy import redact
from iof.store.db import Store, run

EVENTS = ("inloggning", "import", "justering", "lämnad", "kommentar", "frysning", "export", "återställning",
          "säkerhetskopia")
OUTCOMES = ("lyckad", "underkänd", "misslyckad", "nekad")
MAX_WHAT = 1000


def _clean(text: str, limit: int) -> str:
    text = redact(" ".join(str(text).split()))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def log_event(
    store: Store,
    who: str,
    event: str,
    what: str,
    outcome: str = "lyckad",
    cur: duckdb.DuckDBPyConnection | None = None,
) -> None:
    """Write one event: in `cur`'s transaction if given, else in a short transaction of its own."""
    if event not in EVENTS:
        raise ValueError(f"unknown audit event {event!r}")
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown audit outcome {outcome!r}")
    params = dict(who=_clean(who or "okänd", 200), event=event, outcome=outcome, what=_clean(what, MAX_WHAT))
    if cur is not None:
        run(cur, "audit_insert", **params)
        return
    with store.transaction(log_only=True) as own:  # a sign-in or an export restarts no page run
        run(own, "audit_insert", **params)


def audit_frame(store: Store, principal: Principal) -> pl.DataFrame:
    """One row per event, newest first, with Swedish column names; the controller only."""
    require(may_audit(principal), "läsa granskningsloggen")
    return store.query("audit_all").select(
        pl.col("event_id").alias("nr"),
        pl.col("logged_at").dt.strftime("%Y-%m-%d %H:%M:%S").alias("tid"),
        pl.col("who").alias("vem"),
        pl.col("event").alias("händelse"),
        pl.col("outcome").alias("utfall"),
        pl.col("what").alias("vad"),
    )


# --------------------------------------------------------------------------------------------
# Descriptions of the events the package itself logs
# --------------------------------------------------------------------------------------------
def describe_import(result) -> str:
    """`3 filer, 1 240 rader: utfall_2025-03.csv (utfall 2025-03, sparad), …` – no values, no messages."""
    parts = []
    for e in result.extracts:
        status = (
            "oförändrad" if e in result.unchanged else "sparad" if e in result.stored
            else "godkänd" if e.ok else f"{len(e.errors)} fel"
        )
        parts.append(f"{e.file_name} ({e.kind or 'okänd typ'} {e.period or '–'}, {status})")
    rows = sum(e.n_rows for e in result.extracts)
    head = f"{len(result.extracts)} filer, {rows} rader"
    if result.batch_problems:
        head += f", {len(result.batch_problems)} fel i satsen"
    return f"{head}: " + "; ".join(parts)


@contextlib.contextmanager
def failed_import_logged(store: Store, who: str, result) -> Iterator[None]:
    """Around an import's transaction: if it fails, log that – after the rollback – and re-raise."""
    try:
        yield
    except BaseException as exc:
        with contextlib.suppress(Exception):  # never hide the real error behind a logging error
            reason = getattr(exc, "audit_reason", None) or type(exc).__name__
            log_event(store, who, "import", f"{describe_import(result)} – avbruten ({reason}), "
                      "ingenting sparat, ingen prognos fryst", outcome="misslyckad")
        raise


def log_sign_in(store: Store, user_info: dict, principal: Principal | None) -> None:
    """A sign-in: the role it gave, or `nekad` for a user without a role."""
    who = str(user_info.get("email") or user_info.get("sub") or "okänd")
    if principal is None:
        log_event(store, who, "inloggning", "ingen roll i rollfilen", outcome="nekad")
    else:
        units = f", enheter: {', '.join(sorted(principal.units))}" if principal.units else ""
        log_event(store, who, "inloggning", f"roll {principal.role}{units}")


def log_export(store: Store, who: str, kind: str, fmt: str, **params) -> None:
    """An export (a download in the app, a report from the CLI): kind, format and parameters."""
    log_event(store, who, "export", describe_export(kind, fmt, **params))


def describe_export(kind: str, fmt: str, **params) -> str:
    """`rapport placeringar (xlsx), datum 2025-03-31, enhet Familjehemsenheten`."""
    shown = ", ".join(f"{k} {v}" for k, v in params.items() if v is not None)
    return f"{kind} ({fmt})" + (f", {shown}" if shown else "")
