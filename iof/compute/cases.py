"""Handläggningstider per unit, ärendetyp and month, and the open ärenden a chef must act on.

Pure Polars: case frames (the columns of Store.cases()) in, frames out. Which dates a time runs
between and its limit come from the config's [handläggningstider] (RULES.md):

- days = to_date − from_date in calendar days (an ärende received and closed the same day took 0);
- deadline = from_date + gräns_dagar days, or from_date + gräns_månader calendar months
  (31 Jan + 1 month = 29 Feb in a leap year, the month's last day when the day does not exist);
- within = to_date ≤ deadline. Ärendetyper without a limit get median and percentiles only.

"Closed" means the to-date is set (for Samarbetssamtal that is start_datum, the first meeting
offered). Counts are raw integers; nothing is suppressed here.

JO 2565-2016 (an utredning closed and at once reopened on the same question is one): the
ärenden extract has no barn_id, so such pairs cannot be told from two unrelated utredningar.
merge_reopened_investigations joins them when a child_id column is present (a future extract
column) and otherwise returns the frame unchanged (every row merged_cases = 1). Until then the
report says that re-openings are not detected.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from iof.core import config as config_mod
from iof.core.periods import with_month_ends_in
from iof.core.stats import nearest_rank

INVESTIGATION = "Utredning"
PASSED = "passerad"
PASSING_SOON = "passerar inom {} dagar"  # formatted with the warning days

# The contract's column names in [handläggningstider] → the store's code names.
_DATE_COLUMNS = {"inkom_datum": "received_date", "start_datum": "start_date", "avslut_datum": "closed_date"}


def _limits_frame(cfg: config_mod.Config) -> pl.DataFrame:
    rows = [
        (name, _DATE_COLUMNS[v.from_column], _DATE_COLUMNS[v.to_column], v.limit_days, v.limit_months)
        for name, v in cfg.case_limits.items()
    ]
    return pl.DataFrame(
        rows,
        schema={"case_type": pl.String, "from_column": pl.String, "to_column": pl.String,
                "limit_days": pl.Int64, "limit_months": pl.Int64},
        orient="row",
    )


def _pick(which: str) -> pl.Expr:
    expr = pl.lit(None, dtype=pl.Date)
    for col in _DATE_COLUMNS.values():
        expr = pl.when(pl.col(which) == col).then(pl.col(col)).otherwise(expr)
    return expr


def as_known_on(cases: pl.DataFrame, day: date) -> pl.DataFrame:
    """The register as it looked on `day`: later ärenden dropped, later dates not yet known."""
    t = pl.lit(day)
    return cases.filter(pl.col("received_date") <= t).with_columns(
        pl.when(pl.col(c) <= t).then(pl.col(c)).alias(c) for c in ("start_date", "closed_date")
    )


def merge_reopened_investigations(cases: pl.DataFrame, within_days: int | None = None) -> pl.DataFrame:
    """One row per ärende, with a child's Utredningar in the same unit that start within
    within_days after the previous one closed joined into one (JO 2565-2016): the first case_id,
    first received and start dates, the last closed date, merged_cases = how many were joined.
    Without a child_id column the frame is returned unchanged (merged_cases = 1)."""
    if within_days is None:
        within_days = int(config_mod.load().section("återöppnade_utredningar").get("inom_dagar", 30))
    if "child_id" not in cases.columns:
        return cases.with_columns(merged_cases=pl.lit(1, pl.Int64))
    far = pl.lit(date(9999, 12, 31))
    inv = pl.col("case_type") == INVESTIGATION
    chained = (
        cases.filter(inv & pl.col("child_id").is_not_null())
        .sort("child_id", "unit", "start_date", "received_date", "case_id")
        .with_columns(
            _prev_closed=pl.col("closed_date").fill_null(far).cum_max().shift(1).over("child_id", "unit")
        )
        .with_columns(
            _new=pl.col("_prev_closed").is_null()
            | (pl.col("start_date").fill_null(pl.col("received_date")) > pl.col("_prev_closed").dt.offset_by(f"{within_days}d"))
        )
        .with_columns(_chain=pl.col("_new").cast(pl.Int32).cum_sum().over("child_id", "unit"))
        .group_by("child_id", "unit", "_chain")
        .agg(
            case_id=pl.col("case_id").first(),
            case_type=pl.col("case_type").first(),
            received_date=pl.col("received_date").min(),
            start_date=pl.col("start_date").min(),
            _closed=pl.col("closed_date").fill_null(far).max(),
            merged_cases=pl.len().cast(pl.Int64),
        )
        .with_columns(closed_date=pl.when(pl.col("_closed") != far).then(pl.col("_closed")))
        .select(cases.columns + ["merged_cases"])
    )
    rest = cases.filter(~(inv & pl.col("child_id").is_not_null())).with_columns(merged_cases=pl.lit(1, pl.Int64))
    return pl.concat([rest, chained]).sort("unit", "received_date", "case_id")


def processing_times(cases: pl.DataFrame, cfg: config_mod.Config | None = None) -> pl.DataFrame:
    """One row per ärende of a configured ärendetyp: from_date, to_date (null = not reached),
    days (to − from, calendar days), deadline (null = no limit), within (null when open or no
    limit), settled_date (the earlier of to_date and closed_date: from then on nobody waits —
    a samarbetssamtal closed without a meeting is no longer open)."""
    cfg = cfg or config_mod.load()
    deadline = (
        pl.when(pl.col("limit_days").is_not_null())
        .then(pl.col("from_date").dt.offset_by(pl.concat_str(pl.col("limit_days").cast(pl.String), pl.lit("d"))))
        .when(pl.col("limit_months").is_not_null())
        .then(pl.col("from_date").dt.offset_by(pl.concat_str(pl.col("limit_months").cast(pl.String), pl.lit("mo"))))
    )
    return (
        cases.join(_limits_frame(cfg), on="case_type", how="inner")
        .with_columns(from_date=_pick("from_column"), to_date=_pick("to_column"))
        .with_columns(
            deadline=deadline,
            days=(pl.col("to_date") - pl.col("from_date")).dt.total_days(),
            settled_date=pl.min_horizontal("to_date", "closed_date"),
        )
        .with_columns(
            has_limit=pl.col("limit_days").is_not_null() | pl.col("limit_months").is_not_null(),
            within=pl.when(pl.col("to_date").is_not_null()).then(pl.col("to_date") <= pl.col("deadline")),
        )
        .drop("from_column", "to_column")
    )


def _time_stats() -> list[pl.Expr]:
    return [
        pl.len().cast(pl.Int64).alias("closed"),
        nearest_rank("days", 50).alias("median_days"),
        nearest_rank("days", 90).alias("p90_days"),
        pl.col("within").sum().cast(pl.Int64).alias("within"),
        pl.col("has_limit").first().alias("has_limit"),
    ]


def _with_share(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        share_within_pct=pl.when(pl.col("has_limit")).then(100.0 * pl.col("within") / pl.col("closed")),
        within=pl.when(pl.col("has_limit")).then(pl.col("within")),
    ).drop("has_limit")


def _closed(times: pl.DataFrame) -> pl.DataFrame:
    return times.filter(pl.col("to_date").is_not_null() & pl.col("from_date").is_not_null())


def processing_by_month(times: pl.DataFrame, months: pl.DataFrame) -> pl.DataFrame:
    """One row per unit × case_type × month with ärenden closed (to-date) in the month: closed,
    median_days and p90_days (nearest rank: whole days), within (count), share_within_pct
    (within and share null for ärendetyper without a limit)."""
    return (
        _closed(times)
        .with_columns(month_start=pl.col("to_date").dt.month_start())
        .join(months.select("month_start"), on="month_start", how="semi")
        .group_by("unit", "case_type", "month_start")
        .agg(_time_stats())
        .pipe(_with_share)
        .sort("unit", "case_type", "month_start")
    )


def processing_summary(times: pl.DataFrame, first: date, last: date) -> pl.DataFrame:
    """One row per unit × case_type for ärenden closed in [first, last] (e.g. year to date):
    closed, median_days, p90_days, within, share_within_pct. (A LazyFrame in, a LazyFrame out.)"""
    return (
        _closed(times)
        .filter(pl.col("to_date").is_between(pl.lit(first), pl.lit(last)))
        .group_by("unit", "case_type")
        .agg(_time_stats())
        .pipe(_with_share)
        .sort("unit", "case_type")
    )


def open_deadlines(
    cases: pl.DataFrame, today: date, warning_days: int | None = None, cfg: config_mod.Config | None = None
) -> pl.DataFrame:
    """One row per ärende open on `today` (as known then) with a limit that is passed or will be
    passed within warning_days (default 14): the chef's action list.

    days_left = deadline − today. status "passerad" when days_left < 0 (today is after the last
    day within the limit); "passerar snart" when 0 ≤ days_left < warning_days, i.e. the first day
    past the limit (deadline + 1) falls within the next warning_days days. Ärenden without a
    from-date (an Utredning with no start_datum yet) cannot have a deadline and are left out.
    """
    cfg = cfg or config_mod.load()
    warn = cfg.target_rules.warning_days if warning_days is None else warning_days
    t = pl.lit(today)
    return (
        processing_times(as_known_on(cases, today), cfg)
        .filter(pl.col("settled_date").is_null() & pl.col("has_limit") & pl.col("from_date").is_not_null())
        .with_columns(
            days_open=(t - pl.col("from_date")).dt.total_days(),
            days_left=(pl.col("deadline") - t).dt.total_days(),
        )
        .filter(pl.col("days_left") < warn)
        .with_columns(status=pl.when(pl.col("days_left") < 0).then(pl.lit(PASSED)).otherwise(pl.lit(PASSING_SOON.format(warn))))
        .select("unit", "case_type", "case_id", "from_date", "deadline", "days_open", "days_left", "status")
        .sort("unit", "days_left", "case_type", "case_id")
    )


def open_past_limit_by_month(times: pl.DataFrame, months: pl.DataFrame) -> pl.DataFrame:
    """One row per unit × case_type × month: ärenden (rows of processing_times) open on the
    month's last day (received by then, settled later or not at all) and, of them, past their
    limit on that day. An Utredning without start_datum is open but never past."""
    # open on the last day ME: received ≤ ME < settled, i.e. ME in [received, settled − 1 day]
    return (
        with_month_ends_in(times, pl.col("received_date"), pl.col("settled_date").dt.offset_by("-1d"), months)
        .group_by("unit", "case_type", "month_start")
        .agg(
            open=pl.len().cast(pl.Int64),
            open_past_limit=(pl.col("deadline") < pl.col("month_end")).fill_null(False).sum().cast(pl.Int64),
        )
        .sort("unit", "case_type", "month_start")
    )


def case_limits(cfg: config_mod.Config) -> pl.DataFrame:
    """One row per configured ärendetyp: limit_days / limit_months, limit_label (the one text of a
    limit, in the contract's words: `14 dagar`, `1 månad`, `4 månader`, `ingen gräns`),
    limit_line_days (the limit in days for a chart line; months × 30,44), from_column, to_column."""
    rows = []
    for name, v in cfg.case_limits.items():
        if v.limit_days:
            label, line = f"{v.limit_days} dagar", float(v.limit_days)
        elif v.limit_months:
            label, line = f"{v.limit_months} {'månad' if v.limit_months == 1 else 'månader'}", v.limit_months * 30.44
        else:
            label, line = "ingen gräns", None
        rows.append((name, v.limit_days, v.limit_months, label, line, v.from_column, v.to_column))
    return pl.DataFrame(
        rows,
        schema={"case_type": pl.String, "limit_days": pl.Int64, "limit_months": pl.Int64, "limit_label": pl.String,
                "limit_line_days": pl.Float64, "from_column": pl.String, "to_column": pl.String},
        orient="row",
    )


def processing_monthly(cases: pl.DataFrame, months: pl.DataFrame, cfg: config_mod.Config) -> pl.DataFrame:
    """One row per unit × case_type × month with ärenden closed: re-opened utredningar merged
    (JO 2565-2016), then processing_by_month, with the ärendetyp's limit (case_limits). The one
    computation of handläggningstider and the share within the limit, for the page and the CLI."""
    within_days = int(cfg.section("återöppnade_utredningar").get("inom_dagar", 30))
    times = processing_times(merge_reopened_investigations(cases, within_days), cfg)
    return (
        processing_by_month(times, months)
        .join(case_limits(cfg), on="case_type", how="left")
        .sort("unit", "case_type", "month_start")
    )

