"""Persistence of the prognosis: the chef's adjustments and frozen monthly snapshots.

An adjustment belongs to the prognosis of one (year, month) and is never edited; a correction is
a new signed row. A snapshot freezes the prognosis of (year, month) as it was made — lines
(model, adjustments, total), the placements and expected intake behind them, the import version
of the inputs and the parameters — so later months can be compared with it. Once frozen, a
month's prognosis and its adjustments cannot change.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import asdict, dataclass
from datetime import datetime

import duckdb
import polars as pl

from iof.store import audit, queries
from iof.core.domain import ALL_COST_TYPES, MONTH_NAMES
from iof.core.privacy import looks_like_personnummer, mask
from iof.compute.forecast import Forecast, ForecastError, ForecastParams, forecast, sort_lines, with_adjustments
from iof.store.db import Store
from iof.core.privacy import current_user

ADJUSTMENT_SCHEMA = {"unit": pl.String, "cost_type": pl.String, "amount_tkr": pl.Float64}



def adjustments(store: Store, year: int, month: int) -> pl.DataFrame:
    """One row per adjustment of the prognosis of (year, month), oldest first."""
    return store.query("forecast_adjustments", year=year, month=month, adjustment_id=None)


def _ym(year: int, month: int) -> str:
    """`oktober 2026` (the pipeline's messages name months the Swedish way, never ISO)."""
    return f"{MONTH_NAMES[month - 1]} {year}"


def _check_comment(comment: str | None, what: str = "En justering") -> str:
    if not comment or not comment.strip():
        raise ForecastError(f"{what} måste ha en kommentar som säger varför.")
    if looks_like_personnummer(comment):
        raise ForecastError(
            "Kommentaren innehåller något som liknar ett personnummer; skriv den utan (värdet visas inte)."
        )
    return comment.strip()


def _check_unit(store: Store, unit: str) -> None:
    units = store.units()
    if units and unit not in units:
        raise ForecastError(f"Okänd enhet: '{mask(unit)}'. Kända enheter: {', '.join(units)}.")


def _check_open(store: Store, year: int, month: int, what: str = "Justeringar görs") -> None:
    """The prognosis of (year, month) is the current one and not frozen yet."""
    latest = latest_month(store)
    if latest is not None and (year, month) != latest:
        first = (f"Bara den aktuella prognosen ({_ym(*latest)}) kan markeras som lämnad." if what == "lämna"
                 else f"{what} i den aktuella prognosen ({_ym(*latest)}).")
        raise ForecastError(
            f"{first} En tidigare månads "
            "prognos ändras inte i efterhand, så att prognossäkerheten mäts på det som faktiskt sades."
        )
    frozen = frozen_info(store, year, month)
    if frozen is not None:
        raise ForecastError(
            f"Prognosen för {_ym(year, month)} är redan fryst ({_when(frozen['created_at'])} av "
            f"{frozen['created_by']}) och ändras inte längre." + (" Justera nästa månads prognos." if what == "Justeringar görs" else "")
        )


def _when(ts: datetime) -> str:
    return f"den {ts.day} {MONTH_NAMES[ts.month - 1]} {ts.year} kl. {ts:%H.%M}"


def _insert_adjustment(cur, year, month, unit, cost_type, amount_tkr, comment, who, when, reverses_id=None) -> int:
    row = cur.execute(
        queries.sql("forecast_adjustment_insert"),
        {"year": year, "month": month, "unit": unit, "cost_type": cost_type, "amount_tkr": float(amount_tkr),
         "comment": comment, "created_by": who, "created_at": when, "reverses_id": reverses_id},
    ).fetchone()
    return int(row[0])


def add_adjustment(
    store: Store,
    year: int,
    month: int,
    unit: str,
    cost_type: str,
    amount_tkr: float,
    comment: str,
    created_by: str | None = None,
    created_at: datetime | None = None,
) -> int:
    """Stores one adjustment (amount in the line's own direction) and returns its id."""
    if not 1 <= month <= 11:
        raise ForecastError("Justeringar görs i prognosen för månad 1–11; i december är prognosen lika med utfallet.")
    if cost_type not in ALL_COST_TYPES:
        raise ForecastError(f"Okänt kostnadsslag: '{mask(cost_type)}'. Giltiga: {', '.join(ALL_COST_TYPES)}.")
    _check_unit(store, unit)
    comment = _check_comment(comment)
    _check_open(store, year, month)
    who = created_by or current_user()
    with store.transaction() as cur:
        aid = _insert_adjustment(cur, year, month, unit, cost_type, amount_tkr, comment, who,
                                 created_at or datetime.now())
        audit.log_event(store, who, "justering",
                        f"justering {aid}: {unit}, {cost_type}, prognos {year}-{month:02d}", cur=cur)
    return aid


def adjustment(store: Store, adjustment_id: int) -> dict | None:
    """One adjustment by id (with `reverses_id` and `reversed_by`), or None."""
    got = store.query("forecast_adjustments", year=None, month=None, adjustment_id=int(adjustment_id))
    return None if got.is_empty() else got.row(0, named=True)


def withdraw_adjustment(
    store: Store,
    adjustment_id: int,
    comment: str,
    replacement_tkr: float | None = None,
    created_by: str | None = None,
    created_at: datetime | None = None,
) -> list[int]:
    """Withdraws adjustment `adjustment_id` by a new signed line that reverses it (the history stays);
    with `replacement_tkr`, a new adjustment of the same line replaces it. Returns the new ids."""
    a = adjustment(store, adjustment_id)
    if a is None:
        raise ForecastError(f"Det finns ingen justering med nummer {adjustment_id}.")
    if a["reverses_id"] is not None:
        raise ForecastError(
            f"Justering {adjustment_id} återkallar justering {a['reverses_id']} och kan inte själv återkallas; "
            "gör en ny justering i stället."
        )
    if a["reversed_by"] is not None:
        raise ForecastError(f"Justering {adjustment_id} är redan återkallad (av justering {a['reversed_by']}).")
    if replacement_tkr is not None and float(replacement_tkr) == 0:
        raise ForecastError("Ett nytt belopp ska vara skilt från noll; lämna det tomt för att bara återkalla.")
    comment = _check_comment(comment, "En återkallelse")
    year, month, unit, cost_type = a["year"], a["month"], a["unit"], a["cost_type"]
    _check_open(store, year, month, "Justeringar återkallas")
    who = created_by or current_user()
    when = created_at or datetime.now()
    with store.transaction() as cur:
        ids = [_insert_adjustment(cur, year, month, unit, cost_type, -float(a["amount_tkr"]), comment, who, when,
                                  reverses_id=int(adjustment_id))]
        if replacement_tkr is not None:
            ids.append(_insert_adjustment(cur, year, month, unit, cost_type, replacement_tkr, comment, who, when))
        what = f"justering {adjustment_id} återkallad (rad {ids[0]})"
        if len(ids) > 1:
            what += f", ersatt av justering {ids[1]}"
        audit.log_event(store, who, "justering", f"{what}: {unit}, {cost_type}, prognos {year}-{month:02d}", cur=cur)
    return ids


# -- lämnad prognos and the meeting's comments ------------------------------------------------------
def submit(
    store: Store,
    year: int,
    month: int,
    unit: str,
    comment: str = "",
    created_by: str | None = None,
    created_at: datetime | None = None,
) -> int:
    """The unit's chef marks the prognosis of (year, month) as lämnad (with a comment); returns the id.
    A later mark for the same unit and month replaces the earlier one as the unit's status."""
    _check_unit(store, unit)
    comment = (comment or "").strip()
    if looks_like_personnummer(comment):
        _check_comment(comment)
    _check_open(store, year, month, "lämna")
    who = created_by or current_user()
    with store.transaction() as cur:
        sid = int(cur.execute(queries.sql("prognosis_submission_insert"), {
            "year": year, "month": month, "unit": unit, "comment": comment, "created_by": who,
            "created_at": created_at or datetime.now()}).fetchone()[0])
        audit.log_event(store, who, "lämnad", f"prognos {year}-{month:02d} lämnad: {unit}", cur=cur)
    return sid


def submissions(store: Store, year: int, month: int) -> pl.DataFrame:
    """Per unit: the latest "lämnad" mark of the prognosis of (year, month) (units without one are absent)."""
    return submissions_of_month(submissions_of_year(store, year), month)


def submissions_of_year(store: Store, year: int) -> pl.DataFrame:
    """Per month and unit: the latest "lämnad" mark of the year's prognoses."""
    return store.query("prognosis_submissions", year=year)


def submissions_of_month(of_year: pl.DataFrame, month: int) -> pl.DataFrame:
    return of_year.filter(pl.col("month") == month)


def not_submitted(store: Store, year: int, month: int) -> list[str]:
    """The units that have not marked the prognosis of (year, month) as lämnad."""
    done = set(submissions(store, year, month)["unit"].to_list())
    return [u for u in store.units() if u not in done]


def add_comment(
    store: Store,
    year: int,
    month: int,
    unit: str,
    comment: str,
    created_by: str | None = None,
    created_at: datetime | None = None,
) -> int:
    """Keeps what was said and decided about `unit` at the prognosis meeting of (year, month)."""
    if not 1 <= month <= 12:
        raise ForecastError(f"Månaden ska vara 1–12, inte {month}.")
    _check_unit(store, unit)
    comment = _check_comment(comment, "En kommentar")
    if comment and len(comment) > 2000:
        raise ForecastError("Kommentaren är för lång (högst 2 000 tecken).")
    who = created_by or current_user()
    with store.transaction() as cur:
        cid = int(cur.execute(queries.sql("meeting_comment_insert"), {
            "year": year, "month": month, "unit": unit, "comment": comment, "created_by": who,
            "created_at": created_at or datetime.now()}).fetchone()[0])
        audit.log_event(store, who, "kommentar", f"kommentar {cid}: {unit}, prognosmöte {year}-{month:02d}", cur=cur)
    return cid


def comments(store: Store, year: int, month: int, unit: str | None = None) -> pl.DataFrame:
    """The meeting comments of (year, month), oldest first (one unit's with `unit`)."""
    got = store.query("meeting_comments", year=year, month=month)
    return got if unit is None else got.filter(pl.col("unit") == unit)


def previous_month(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def frozen_info(store: Store, year: int, month: int) -> dict | None:
    """Who froze the prognosis of (year, month) and when ({created_by, created_at}), or None."""
    return frozen_info_of(store.query("forecast_snapshot_get", year=year, month=month), year, month)


def frozen_info_of(snapshots: pl.DataFrame, year: int, month: int) -> dict | None:
    """frozen_info from rows of forecast_snapshot (one month's, or `snapshots()`: all of them)."""
    got = snapshots.filter((pl.col("year") == year) & (pl.col("month") == month))
    return None if got.is_empty() else got.select("created_by", "created_at").row(0, named=True)


def latest_month(store: Store) -> tuple[int, int] | None:
    """The latest (year, month) with utfall: the month of the current prognosis."""
    got = store.query("latest_actual_month")
    return None if got.is_empty() else (int(got["year"][0]), int(got["month"][0]))


def freeze_before_new_month(
    store: Store, incoming_months: list[tuple[int, int]], who: str, cur=None
) -> tuple[int, int] | None:
    """Freeze the current prognosis before utfall for a later month is stored; returns the month frozen.

    The prognosis of a month is what was said at that month's meeting; once the next month's utfall
    arrives it can no longer be made again, so it is kept as it was (inputs before the new import).
    With `cur` the snapshot is written in that transaction (the import's own: iof.importer), so a
    failed import freezes nothing; without, in a transaction of its own.
    """
    pending = prepare_freeze_before_new_month(store, incoming_months, who)
    if pending is None:
        return None
    if cur is None:
        with store.transaction() as own:
            write_snapshot(own, pending)
    else:
        write_snapshot(cur, pending)
    return pending.year, pending.month


@dataclass
class PendingSnapshot:
    """A prognosis computed and ready to be frozen (written by `write_snapshot`)."""
    year: int
    month: int
    head: dict
    forecast: Forecast


def prepare_freeze_before_new_month(
    store: Store, incoming_months: list[tuple[int, int]], who: str
) -> PendingSnapshot | None:
    """The snapshot `freeze_before_new_month` would write, computed from what is stored now; None
    if no freeze is due. Reads only: the importer writes it inside the import's transaction."""
    latest = latest_month(store)
    if latest is None or not incoming_months or max(incoming_months) <= latest:
        return None
    if snapshot_id(store, *latest) is not None:
        return None
    return prepare_snapshot(store, *latest, created_by=who)


def compute(store: Store, year: int, month: int, params: ForecastParams | None = None,
            frames: dict[str, pl.DataFrame] | None = None, cache: dict | None = None,
            adj: pl.DataFrame | None = None) -> Forecast:
    """The live prognosis of (year, month) from the stored extracts, with its adjustments.

    `frames`: the extracts already read (budget, actual, placements, staffing, as Store returns
    them), so a caller computing many months reads the tables once. `cache`: forecast()'s cache
    of raw candidates, kept by a caller for the same frames and parameters. `adj`: the month's
    adjustments already read (`adjustments`).
    """
    params = params or ForecastParams.from_config()
    f = frames or {name: getattr(store, name)() for name in ("budget", "actual", "placements", "staffing")}
    fc = forecast(f["budget"], f["actual"], f["placements"], f["staffing"], year, month, params, cache)
    adj = (adjustments(store, year, month) if adj is None else adj).select(list(ADJUSTMENT_SCHEMA))
    return Forecast(year, month, with_adjustments(fc.lines, adj, month), fc.placements, fc.intake, fc.interval)


def snapshot_id(store: Store, year: int, month: int) -> int | None:
    got = store.query("forecast_snapshot_get", year=year, month=month)
    return None if got.is_empty() else int(got["snapshot_id"][0])


def snapshots(store: Store) -> pl.DataFrame:
    """One row per frozen prognosis."""
    return store.query("forecast_snapshots")


def freeze(
    store: Store, year: int, month: int, params: ForecastParams | None = None, created_by: str | None = None
) -> int:
    """Computes the prognosis of (year, month) and stores it as it is; returns the snapshot id."""
    pending = prepare_snapshot(store, year, month, params, created_by)
    with store.transaction() as cur:
        sid = write_snapshot(cur, pending)
        audit.log_event(store, pending.head["created_by"], "frysning",
                        f"prognos {year}-{month:02d} fryst (ögonblicksbild {sid})", cur=cur)
        return sid


def prepare_snapshot(
    store: Store, year: int, month: int, params: ForecastParams | None = None, created_by: str | None = None
) -> PendingSnapshot:
    """The prognosis of (year, month) computed for freezing; raises ForecastError if it may not be."""
    latest = latest_month(store)
    if latest is not None and (year, month) != latest:
        raise ForecastError(
            f"Bara den aktuella prognosen ({_ym(*latest)}) kan frysas: en tidigare månads "
            "prognos kan inte längre göras om som den var."
        )
    frozen = frozen_info(store, year, month)
    if frozen is not None:
        raise ForecastError(f"Prognosen för {_ym(year, month)} är redan fryst ({_when(frozen['created_at'])} "
                            f"av {frozen['created_by']}).")
    params = params or ForecastParams.from_config()
    fc = compute(store, year, month, params)
    head = {
        "year": year,
        "month": month,
        "data_version": store.data_version(),
        "params_json": json.dumps(asdict(params), ensure_ascii=False, sort_keys=True),
        "created_by": created_by or current_user(),
        "created_at": datetime.now(),
    }
    return PendingSnapshot(year, month, head, fc)


def write_snapshot(cur, pending: PendingSnapshot) -> int:
    """Writes a prepared snapshot in the transaction of `cur`; returns its id."""
    sid = int(cur.execute(queries.sql("forecast_snapshot_insert"), pending.head).fetchone()[0])
    fc = pending.forecast
    parts = [("line", fc.lines), ("placement", fc.placements), ("intake", fc.intake)]
    if fc.interval is not None:
        parts.append(("interval", fc.interval))
    for name, frame in parts:
        cols = _stored_columns(cur, f"forecast_snapshot_{name}")
        incoming = frame.select([c for c in frame.columns if c in cols])
        cur.register("incoming", incoming)
        try:
            cur.execute(queries.sql(f"forecast_snapshot_{name}_insert"), {"snapshot_id": sid})
        finally:
            with contextlib.suppress(duckdb.Error):  # an aborted transaction refuses it; rollback follows
                cur.unregister("incoming")
    return sid


def freeze_earlier_months(store: Store, created_by: str, now: datetime | None = None) -> list[int]:
    """Freeze the prognoses of the latest year's months before the latest one, as the monthly
    routine would have (each is frozen when the next month's utfall is imported, `freeze_before_new_month`).
    For a database filled in one go (the demo): without it every page would compute the year's
    path of prognoses again, which a database run month by month reads from its snapshots. Each
    snapshot is the month's prognosis computed from today's registers (as known on that month), and
    is dated the 10th of the month after next at 06.00 — when that utfall would have arrived — or now,
    if that is later than now. Months already frozen are left as they are. All in one transaction.
    Returns the months frozen."""
    latest = latest_month(store)
    if latest is None:
        return []
    year, last = latest
    done = set(snapshots(store).filter(pl.col("year") == year)["month"].to_list())
    months = [m for m in range(1, last) if m not in done]
    if not months:
        return []
    now = now or datetime.now()
    params = ForecastParams.from_config()
    frames = {name: getattr(store, name)() for name in ("budget", "actual", "placements", "staffing")}
    cache: dict = {}
    pending = []
    for m in months:
        ny, nm = (year, m + 2) if m <= 10 else (year + 1, m - 10)
        head = {"year": year, "month": m, "data_version": store.data_version(),
                "params_json": json.dumps(asdict(params), ensure_ascii=False, sort_keys=True),
                "created_by": created_by, "created_at": min(datetime(ny, nm, 10, 6, 0), now)}
        pending.append(PendingSnapshot(year, m, head, compute(store, year, m, params, frames, cache)))
    with store.transaction() as cur:
        for p in pending:
            write_snapshot(cur, p)
        audit.log_event(store, created_by, "frysning",
                        f"prognoserna för {_ym(year, months[0])}–{_ym(year, months[-1])} frysta som månadsrutinen "
                        "hade gjort (demodata i ett svep)", cur=cur)
    return months


def _stored_columns(cur, table: str) -> set[str]:
    return {r[0] for r in cur.execute(f"describe {table}").fetchall()}  # table name is ours, not input


def load_snapshot(store: Store, year: int, month: int) -> Forecast | None:
    """The frozen prognosis of (year, month), or None if it was never frozen (its interval is None
    for a snapshot made before schema 8)."""
    with store.session():  # one connection for the five reads (opening the file is the cost)
        sid = snapshot_id(store, year, month)
        if sid is None:
            return None
        lines = (
            store.query("forecast_snapshot_lines", snapshot_id=sid)
            .with_columns(year=pl.lit(year, pl.Int32), month=pl.lit(month, pl.Int32))
            .pipe(sort_lines)
        )
        placements = store.query("forecast_snapshot_placements", snapshot_id=sid)
        intake = store.query("forecast_snapshot_intakes", snapshot_id=sid)
        interval = store.query("forecast_snapshot_intervals", snapshot_id=sid)
    return Forecast(year, month, lines, placements, intake,
                    None if interval.is_empty() else interval.with_columns(pl.col("n_errors").cast(pl.Int32)))


def load_snapshots(store: Store, year: int) -> dict[int, Forecast]:
    """Every frozen prognosis of `year` by month, as load_snapshot reads each: a page showing the
    year's path needs them all, so the year is read in one connection with five queries (not five
    per month), each split by snapshot."""
    with store.session():
        heads = snapshots(store).filter(pl.col("year") == year)
        if heads.is_empty():
            return {}
        parts = {name: store.query(f"forecast_snapshot_{name}_year", year=year)
                 for name in ("lines", "placements", "intakes", "intervals")}

    def of(name: str, sid: int) -> pl.DataFrame:
        frame = parts[name]
        return frame.filter(pl.col("snapshot_id") == sid).drop("snapshot_id")

    out = {}
    for sid, month in heads.select("snapshot_id", "month").iter_rows():
        lines = of("lines", sid).with_columns(year=pl.lit(year, pl.Int32), month=pl.lit(month, pl.Int32)).pipe(sort_lines)
        interval = of("intervals", sid)
        out[month] = Forecast(year, month, lines, of("placements", sid), of("intakes", sid),
                              None if interval.is_empty() else interval.with_columns(pl.col("n_errors").cast(pl.Int32)))
    return out


def prognosis(store: Store, year: int, month: int, params: ForecastParams | None = None,
              frames: dict[str, pl.DataFrame] | None = None, cache: dict | None = None) -> tuple[Forecast, str]:
    """The frozen prognosis of (year, month) if there is one, else the live one; and which ("fryst"/"beräknad").

    `frames`, `cache`: see compute.
    """
    with store.session():  # the snapshot check and the adjustments in one connection
        frozen = load_snapshot(store, year, month)
        adj = adjustments(store, year, month) if frozen is None else None
    if frozen is not None:
        return frozen, "fryst"
    return compute(store, year, month, params, frames, cache, adj), "beräknad"
