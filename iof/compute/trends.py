"""Placement trends per unit and month: stock at month end, flows, vårddygn and cost, jourhem,
vårdnadsöverflyttning, children per year — and sammanbrott with what followed them.

Pure Polars: placement frames (the columns of Store.placements()) in, frames out. Definitions are
those of shared/domain/RULES.md: a vårddygn is a calendar day from start_date to end_date
inclusive; a placement is active on day D when start_date ≤ D and (end_date empty or ≥ D).
Counts are never suppressed here; every count column is a raw integer so that the UI can show
"<5" where the audience is wide (config small_count_threshold).
"""

from __future__ import annotations

from datetime import date

import polars as pl

from iof.core import config as config_mod
from iof.core.domain import BREAKDOWN
from iof.compute.intervals import as_known_on, month_totals
from iof.core.periods import add_months, month_grid, month_key, with_month_ends_in
from iof.core.stats import nearest_rank

FAR_FUTURE = date(9999, 12, 31)
NO_NEXT = "Ingen ny placering"
JOURHEM_BUCKETS: tuple[tuple[int, int | None, str], ...] = (
    (1, 14, "1–14 dagar"),
    (15, 30, "15–30 dagar"),
    (31, 60, "31–60 dagar"),
    (61, 90, "61–90 dagar"),
    (91, 180, "91–180 dagar"),
    (181, 365, "181–365 dagar"),
    (366, None, "mer än 365 dagar"),
)


# -- helpers ---------------------------------------------------------------------------------
def with_form_flags(placements: pl.DataFrame, cfg: config_mod.Config | None = None) -> pl.DataFrame:
    """Adds regime ("egen" | "konsulentstött" | "köpt") and is_jourhem from the config's placeringsformer."""
    cfg = cfg or config_mod.load()
    forms = pl.DataFrame(
        {
            "placement_type": list(cfg.placement_types),
            "regime": [v.regime for v in cfg.placement_types.values()],
            "is_jourhem": [v.is_emergency_home for v in cfg.placement_types.values()],
        }
    )
    return placements.join(forms, on="placement_type", how="left")


def foster_home_types(cfg: config_mod.Config | None = None) -> list[str]:
    """Familjehem in the sense of 22 kap 14 §: the forms that are neither jourhem nor bought
    institutional care (Familjehem egen regi, Familjehem konsulentstött, Nätverkshem)."""
    cfg = cfg or config_mod.load()
    return [n for n, v in cfg.placement_types.items() if not v.is_emergency_home and v.regime != "köpt"]


def _unit_month_grid(units: pl.Series | list[str], months: pl.DataFrame) -> pl.DataFrame:
    return pl.DataFrame({"unit": pl.Series(units, dtype=pl.String).unique().sort()}).join(
        months.select("month_start", "month_end"), how="cross"
    )


def _complete(frame: pl.DataFrame, grid: pl.DataFrame, on: list[str], zero: list[str]) -> pl.DataFrame:
    """Every row of grid, with frame's values; missing counts are 0 (no event is a true zero)."""
    return (
        grid.join(frame, on=on, how="left")
        .with_columns(pl.col(zero).fill_null(0))
        .sort(on)
    )


def _month_end_join(placements: pl.DataFrame, months: pl.DataFrame) -> pl.DataFrame:
    """One row per placement and month whose last day the placement is active on."""
    return with_month_ends_in(placements, pl.col("start_date"), pl.col("end_date"), months)


# -- 1. stock at month end --------------------------------------------------------------------
def month_end_by_form(placements: pl.DataFrame, months: pl.DataFrame) -> pl.DataFrame:
    """One row per unit × placement_type × month with someone placed on the month's last day:
    placements, children; in that order.

    Placements from intervals.month_totals (no row per placement and month); children differ from
    placements only where a child has two placements of one form in one unit on the same day, so
    only those children's placements are expanded to count that excess."""
    keys = ["unit", "placement_type"]
    totals = month_totals(placements.select(*keys, "start_date", "end_date"), months, tuple(keys), weight=None)
    # Placements sharing a day with another placement of the same child, form and unit. Sorted,
    # a run of equal keys is one group; the latest end so far within the group is a running max of
    # group·BIG + end (earlier groups are smaller), so no window over thousands of tiny groups.
    grp = ["child_id", *keys]
    big = 10_000_000  # > any date as days since 1970 (9999-12-31 is 2 932 896)
    end = pl.col("end_date").fill_null(pl.lit(FAR_FUTURE)).cast(pl.Int64)
    new_group = pl.any_horizontal(*[pl.col(c) != pl.col(c).shift(1) for c in grp]).fill_null(True)
    tagged = pl.col("_g") * big
    shared = (  # only a child with two placements of one form in one unit can share a day
        placements.select(*grp, "start_date", "end_date").filter(pl.struct(grp).is_duplicated())
        .sort(*grp, "start_date")
        .with_columns(_g=new_group.cast(pl.Int64).cum_sum())
        .with_columns(_before=(tagged + end).cum_max().shift(1))
        .filter(
            ((pl.col("_before") >= tagged) & (pl.col("start_date").cast(pl.Int64) <= pl.col("_before") - tagged))
            | ((pl.col("_g") == pl.col("_g").shift(-1)) & (pl.col("start_date").shift(-1) <= pl.col("end_date")
                                                            .fill_null(pl.lit(FAR_FUTURE))))
        )
    )
    excess = (
        _month_end_join(shared.select(*keys, "child_id", "start_date", "end_date"), months)
        .group_by("unit", "month_start", "placement_type")
        .agg(excess=(pl.len() - pl.col("child_id").n_unique()).cast(pl.Int64))
    )
    return (  # month_totals' order (unit, placement_type, month_start): sorting strings again costs more than the rest
        totals.filter(pl.col("active_at_end") > 0)
        .join(excess, on=["unit", "month_start", "placement_type"], how="left", maintain_order="left")
        .select("unit", "month_start", "placement_type", placements=pl.col("active_at_end"),
                children=pl.col("active_at_end") - pl.col("excess").fill_null(0))
    )


def month_end_stock(
    placements: pl.DataFrame, months: pl.DataFrame, cfg: config_mod.Config | None = None
) -> pl.DataFrame:
    """One row per unit × month: children and placements active on the month's last day.

    children_own / children_agency count distinct children in egen regi / konsulentstött forms;
    own_share_pct = children_own ÷ (children_own + children_agency) × 100 (HVB, SiS and
    stödboende are bought institutional care and are left out of that comparison).
    """
    # children as integer codes: counting distinct integers is much cheaper than strings
    flagged = with_form_flags(placements, cfg).select(
        "unit", "start_date", "end_date", "regime", "is_jourhem", _child=pl.col("child_id").rank("dense")
    )
    child = pl.col("_child")
    agency = pl.col("regime") == "konsulentstött"
    stock = (
        _month_end_join(flagged, months)
        .group_by("unit", "month_start")
        .agg(
            children=child.n_unique().cast(pl.Int64),
            placements=pl.len().cast(pl.Int64),
            children_jourhem=child.filter(pl.col("is_jourhem")).n_unique().cast(pl.Int64),
            children_agency_jourhem=child.filter(pl.col("is_jourhem") & agency).n_unique().cast(pl.Int64),
            children_own=child.filter(pl.col("regime") == "egen").n_unique().cast(pl.Int64),
            children_agency=child.filter(agency).n_unique().cast(pl.Int64),
        )
    )
    counts = ["children", "placements", "children_jourhem", "children_agency_jourhem", "children_own", "children_agency"]
    return _complete(stock, _unit_month_grid(placements["unit"], months), ["unit", "month_start"], counts).with_columns(
        own_share_pct=pl.when(pl.col("children_own") + pl.col("children_agency") > 0).then(
            100.0 * pl.col("children_own") / (pl.col("children_own") + pl.col("children_agency"))
        )
    )


# -- 1. flows within the month ----------------------------------------------------------------
def started_by_month(placements: pl.DataFrame, months: pl.DataFrame) -> pl.DataFrame:
    """One row per unit × month × placement_type with placements started in the month (started, children)."""
    return (
        placements.with_columns(month_start=pl.col("start_date").dt.month_start())
        .join(months.select("month_start"), on="month_start", how="semi")
        .group_by("unit", "month_start", "placement_type")
        .agg(started=pl.len().cast(pl.Int64), children=pl.col("child_id").n_unique().cast(pl.Int64))
        .sort("unit", "month_start", "placement_type")
    )


def ended_by_month(placements: pl.DataFrame, months: pl.DataFrame) -> pl.DataFrame:
    """One row per unit × month × end_reason with placements ended in the month (ended)."""
    return (
        placements.filter(pl.col("end_date").is_not_null())
        .with_columns(
            month_start=pl.col("end_date").dt.month_start(),
            end_reason=pl.col("end_reason").fill_null("Okänd"),
        )
        .join(months.select("month_start"), on="month_start", how="semi")
        .group_by("unit", "month_start", "end_reason")
        .agg(ended=pl.len().cast(pl.Int64))
        .sort("unit", "month_start", "end_reason")
    )


def flows_by_month(placements: pl.DataFrame, months: pl.DataFrame) -> pl.DataFrame:
    """One row per unit × month: placements started, ended, and ended as sammanbrott in the month."""
    grid = _unit_month_grid(placements["unit"], months)
    started = (
        started_by_month(placements, months)
        .group_by("unit", "month_start")
        .agg(started=pl.col("started").sum())
    )
    ended = (
        ended_by_month(placements, months)
        .group_by("unit", "month_start")
        .agg(
            ended=pl.col("ended").sum(),
            breakdowns=pl.col("ended").filter(pl.col("end_reason") == BREAKDOWN).sum(),
        )
    )
    return _complete(
        started.join(ended, on=["unit", "month_start"], how="full", coalesce=True),
        grid,
        ["unit", "month_start"],
        ["started", "ended", "breakdowns"],
    ).with_columns(pl.col("started", "ended", "breakdowns").cast(pl.Int64))


# -- 1. vårddygn and cost ---------------------------------------------------------------------
def care_days_cost(
    placements: pl.DataFrame, months: pl.DataFrame, by: tuple[str, ...] = ("unit",)
) -> pl.DataFrame:
    """One row per `by` × month: care_days (vårddygn in the month), cost_kr, cost_per_day_kr.

    Ongoing placements are counted to the last day of the last month of `months`. From
    intervals.month_totals: running sums over each placement's two events, not a row per
    placement and month.
    """
    totals = month_totals(placements.select(*by, "start_date", "end_date", "daily_cost_kr"), months, by)
    days = totals.select(*by, "month_start", "care_days", cost_kr="weighted")
    if by == ("unit",):
        days = _complete(days, _unit_month_grid(placements["unit"], months), ["unit", "month_start"], ["care_days", "cost_kr"])
    else:
        days = days.filter(pl.col("care_days") > 0)  # a group's months with care days, as before
    # sorted by *by, month_start: _complete sorts, month_totals returns that order
    return days.with_columns(
        cost_per_day_kr=pl.when(pl.col("care_days") > 0).then(pl.col("cost_kr") / pl.col("care_days"))
    )


# -- 1. jourhem -------------------------------------------------------------------------------
def jourhem_stays(placements: pl.DataFrame, as_of: date, cfg: config_mod.Config | None = None) -> pl.DataFrame:
    """One row per stay in jourhem as known on as_of (see jourhem_stays_lazy)."""
    return jourhem_stays_lazy(placements, as_of, cfg).collect(engine="in-memory")  # as kpi_values: small frames


def jourhem_stays_lazy(placements: pl.DataFrame, as_of: date, cfg: config_mod.Config | None = None) -> pl.LazyFrame:
    """One row per stay in jourhem as known on as_of: a child's jourhem placements that follow
    each other without a gap (next start ≤ previous end + 1 day) are one stay.

    Columns: child_id, unit (of the stay's first placement), stay_start, stay_end (null =
    ongoing on as_of), days (start to end, or to as_of, inclusive), ongoing, placements,
    placement_id / placement_type / daily_cost_kr of the stay's latest placement.
    """
    far = pl.lit(FAR_FUTURE)
    # Why no window per child: over() on thousands of small groups was most of the scorecard's
    # time. Sorted by child, a child's running latest end is a global running max of
    # child·BIG + end (earlier children stay below child·BIG), and stays are numbered globally.
    big = 10_000_000  # > any date as days since 1970 (9999-12-31 is 2 932 896)
    tagged = pl.col("_c") * big
    return (
        with_form_flags(as_known_on(placements, as_of), cfg)
        .lazy()
        .filter(pl.col("is_jourhem"))
        .sort("child_id", "start_date", "placement_id")
        .with_columns(_c=(pl.col("child_id") != pl.col("child_id").shift(1)).fill_null(True).cast(pl.Int64).cum_sum())
        .with_columns(_before=(tagged + pl.col("end_date").fill_null(far).cast(pl.Int64)).cum_max().shift(1))
        .with_columns(
            _new=(pl.col("_before") < tagged).fill_null(True)
            | (pl.col("start_date").cast(pl.Int64) > pl.col("_before") - tagged + 1)
        )
        .with_columns(_stay=pl.col("_new").cast(pl.Int64).cum_sum())
        .group_by("_stay", maintain_order=True)
        .agg(
            child_id=pl.col("child_id").first(),
            unit=pl.col("unit").first(),
            stay_start=pl.col("start_date").min(),
            _end=pl.col("end_date").fill_null(far).max(),
            placements=pl.len().cast(pl.Int64),
            placement_id=pl.col("placement_id").last(),
            placement_type=pl.col("placement_type").last(),
            daily_cost_kr=pl.col("daily_cost_kr").last(),
        )
        .with_columns(
            ongoing=pl.col("_end") == far,
            stay_end=pl.when(pl.col("_end") != far).then(pl.col("_end")),
        )
        .with_columns(
            days=(pl.col("stay_end").fill_null(pl.lit(as_of)) - pl.col("stay_start")).dt.total_days() + 1
        )
        .select(
            "child_id", "unit", "stay_start", "stay_end", "days", "ongoing", "placements",
            "placement_id", "placement_type", "daily_cost_kr",
        )
        .sort("unit", "stay_start", "child_id")
    )


def jourhem_time_by_month(stays: pl.DataFrame, months: pl.DataFrame) -> pl.DataFrame:
    """One row per unit × month: jourhem stays started and ended in the month, and the median and
    90th percentile (nearest rank, whole days) of the length of the stays that ended in it."""
    grid = _unit_month_grid(stays["unit"], months)
    started = (
        stays.with_columns(month_start=pl.col("stay_start").dt.month_start())
        .group_by("unit", "month_start")
        .agg(stays_started=pl.len().cast(pl.Int64))
    )
    ended = (
        stays.filter(pl.col("stay_end").is_not_null())
        .with_columns(month_start=pl.col("stay_end").dt.month_start())
        .group_by("unit", "month_start")
        .agg(
            stays_ended=pl.len().cast(pl.Int64),
            median_days_ended=nearest_rank("days", 50),
            p90_days_ended=nearest_rank("days", 90),
        )
    )
    return _complete(
        started.join(ended, on=["unit", "month_start"], how="full", coalesce=True),
        grid,
        ["unit", "month_start"],
        ["stays_started", "stays_ended"],
    )


def jourhem_distribution(stays: pl.DataFrame, first: date, last: date) -> pl.DataFrame:
    """One row per unit × length band for the jourhem stays started in [first, last]: stays,
    of them ongoing (their length so far, so they will move up), and median days per unit.
    """
    bucket = pl.lit(JOURHEM_BUCKETS[-1][2])
    for lo, hi, label in reversed(JOURHEM_BUCKETS[:-1]):
        bucket = pl.when(pl.col("days") <= hi).then(pl.lit(label)).otherwise(bucket)
    order = pl.DataFrame({"band": [b[2] for b in JOURHEM_BUCKETS], "band_order": list(range(len(JOURHEM_BUCKETS)))})
    return (
        stays.filter(pl.col("stay_start").is_between(pl.lit(first), pl.lit(last)))
        .with_columns(band=bucket, unit_median_days=nearest_rank("days", 50).over("unit"))
        .group_by("unit", "band")
        .agg(
            stays=pl.len().cast(pl.Int64),
            ongoing=pl.col("ongoing").sum().cast(pl.Int64),
            unit_median_days=pl.col("unit_median_days").first(),
        )
        .join(order, on="band")
        .sort("unit", "band_order")
        .drop("band_order")
    )


def jourhem_over_limit(
    placements: pl.DataFrame, today: date, limit_days: int | None = None, cfg: config_mod.Config | None = None
) -> pl.DataFrame:
    """One row per child in jourhem on `today` whose stay has lasted more than limit_days
    (default: config jourhem.gräns_dagar): days_in_jourhem, days_over_limit, latest placement."""
    cfg = cfg or config_mod.load()
    limit = cfg.emergency_home_limit_days if limit_days is None else limit_days
    return (
        jourhem_stays(placements, today, cfg)
        # In jourhem on `today`: ongoing, or ending today (RULES.md: active when slutdatum ≥ D).
        .filter((pl.col("ongoing") | (pl.col("stay_end") >= pl.lit(today))) & (pl.col("days") > limit))
        .select(
            "unit", "child_id", "placement_id", "placement_type", "stay_start",
            days_in_jourhem=pl.col("days"),
            days_over_limit=pl.col("days") - limit,
            daily_cost_kr=pl.col("daily_cost_kr"),
        )
        .sort("unit", "days_in_jourhem", "child_id", descending=[False, True, False])
    )


# -- 1. vårdnadsöverflyttning -----------------------------------------------------------------
def custody_transfer_due(
    placements: pl.DataFrame,
    today: date,
    limit_days: int | None = None,
    notice_days: int | None = None,
    cfg: config_mod.Config | None = None,
) -> pl.DataFrame:
    """One row per familjehem/nätverkshem placement active on `today` that has passed, or passes
    within notice_days, limit_days in the same home (22 kap 14 §: consider vårdnadsöverflyttning).

    days_placed counts start to today inclusive; passes_on is the day days_placed reaches the
    limit; days_to_pass ≤ 0 means passed. Sorted with the upcoming and most recently passed first. One placement = one home: a child moved between
    placement rows of the same home cannot be seen in the extract.
    """
    cfg = cfg or config_mod.load()
    limit = cfg.custody_transfer_days if limit_days is None else limit_days
    notice = cfg.target_rules.custody_notice_days if notice_days is None else notice_days
    t = pl.lit(today)
    return (
        as_known_on(placements, today)
        .filter(
            pl.col("placement_type").is_in(foster_home_types(cfg))
            & (pl.col("end_date").is_null() | (pl.col("end_date") >= t))
        )
        .with_columns(
            days_placed=(t - pl.col("start_date")).dt.total_days() + 1,
            passes_on=pl.col("start_date").dt.offset_by(f"{limit - 1}d"),
        )
        .with_columns(days_to_pass=(pl.col("passes_on") - t).dt.total_days())
        .filter(pl.col("days_to_pass") <= notice)
        .with_columns(passed=pl.col("days_to_pass") <= 0)
        .select("unit", "child_id", "placement_id", "placement_type", "start_date", "days_placed", "passes_on", "days_to_pass", "passed")
        .sort("unit", "passes_on", "child_id", descending=[False, True, False])  # upcoming first
    )


# -- 1. children per year and form (placeringar-per-år) -----------------------------------------
def children_per_year(
    placements: pl.DataFrame, from_year: int, to_year: int, by_unit: bool = False
) -> pl.DataFrame:
    """One row per year × placement_type (× unit): children = distinct children with a placement
    of that form overlapping the year."""
    years = pl.DataFrame({"year": pl.int_range(from_year, to_year + 1, eager=True).cast(pl.Int32)}).with_columns(
        _first=pl.date(pl.col("year"), 1, 1), _last=pl.date(pl.col("year"), 12, 31)
    )
    keys = ["year", "placement_type"] + (["unit"] if by_unit else [])
    return (
        placements.with_columns(_end=pl.col("end_date").fill_null(pl.lit(FAR_FUTURE)))
        .join_where(years, pl.col("start_date") <= pl.col("_last"), pl.col("_end") >= pl.col("_first"))
        .group_by(keys)
        .agg(children=pl.col("child_id").n_unique().cast(pl.Int64))
        .sort(keys)
    )


# -- 2. sammanbrott ---------------------------------------------------------------------------
def breakdown_rates(placements: pl.DataFrame, months: pl.DataFrame) -> pl.DataFrame:
    """One row per unit × month: sammanbrott and endings in the month and in the rolling 12
    months ending with it, care_days_12m, per_100_placement_years_12m (sammanbrott ÷ (vårddygn
    ÷ 365) × 100) and share_of_endings_12m_pct. months_in_window says how many of the 12 months
    lie after the first month with any placement (fewer = the window is not yet full).
    """
    first = add_months(months["month_start"].min(), -11)
    wide = month_grid(first, months["month_start"].max())
    flows = flows_by_month(placements, wide)
    days = care_days_cost(placements, wide).select("unit", "month_start", "care_days")
    data_start = placements["start_date"].min()
    data_start_key = None if data_start is None else data_start.year * 12 + data_start.month - 1
    rolled = (
        flows.join(days, on=["unit", "month_start"], how="left")
        .with_columns(pl.col("care_days").fill_null(0), _k=month_key())
        .sort("unit", "_k")
        .with_columns(
            breakdowns_12m=pl.col("breakdowns").rolling_sum(12, min_samples=1).over("unit"),
            endings_12m=pl.col("ended").rolling_sum(12, min_samples=1).over("unit"),
            care_days_12m=pl.col("care_days").rolling_sum(12, min_samples=1).over("unit"),
            months_in_window=(
                pl.min_horizontal(pl.lit(12, pl.Int64), pl.col("_k") - pl.lit(data_start_key or 0) + 1)
                .clip(lower_bound=0)
            ),
        )
        .with_columns(
            per_100_placement_years_12m=pl.when(pl.col("care_days_12m") > 0).then(
                pl.col("breakdowns_12m") / (pl.col("care_days_12m") / 365.0) * 100.0
            ),
            share_of_endings_12m_pct=pl.when(pl.col("endings_12m") > 0).then(
                100.0 * pl.col("breakdowns_12m") / pl.col("endings_12m")
            ),
            share_of_endings_pct=pl.when(pl.col("ended") > 0).then(100.0 * pl.col("breakdowns") / pl.col("ended")),
        )
    )
    return (
        rolled.join(months.select("month_start"), on="month_start", how="semi")
        .select(
            "unit", "month_start", "breakdowns", "ended", "share_of_endings_pct", "care_days",
            "breakdowns_12m", "endings_12m", "care_days_12m", "per_100_placement_years_12m",
            "share_of_endings_12m_pct", "months_in_window",
        )
        .sort("unit", "month_start")
    )


def breakdown_followups(placements: pl.DataFrame, window_days: int | None = None) -> pl.DataFrame:
    """One row per sammanbrott: the broken placement and the same child's next placement starting
    within window_days after its end (default config: 30), with that placement's form, daily
    cost, days_in_year and cost_in_year_kr — committed from its start to the earliest of its
    end, planned end and 31 December of the year it started — and the extra cost per day.
    next_placement_type is "Ingen ny placering" when none started in the window.
    """
    window = config_mod.load().target_rules.breakdown_followup_days if window_days is None else window_days
    broken = placements.filter(pl.col("end_reason") == BREAKDOWN).select(
        "placement_id", "child_id", "unit", "placement_type", "start_date", "end_date", "daily_cost_kr"
    )
    nxt = placements.select(
        "child_id",
        next_placement_id=pl.col("placement_id"),
        next_placement_type=pl.col("placement_type"),
        next_start_date=pl.col("start_date"),
        next_end_date=pl.col("end_date"),
        next_planned_end_date=pl.col("planned_end_date"),
        next_daily_cost_kr=pl.col("daily_cost_kr"),
    )
    candidates = (
        broken.join(nxt, on="child_id")
        .filter(
            (pl.col("next_placement_id") != pl.col("placement_id"))
            & (pl.col("next_start_date") >= pl.col("end_date"))
            & (pl.col("next_start_date") <= pl.col("end_date").dt.offset_by(f"{window}d"))
        )
        .sort("next_start_date", "next_placement_id")
        .group_by("placement_id")
        .first()
        .drop("child_id", "unit", "placement_type", "start_date", "end_date", "daily_cost_kr")
    )
    year_end = pl.date(pl.col("next_start_date").dt.year(), 12, 31)
    committed = pl.min_horizontal(
        pl.col("next_end_date").fill_null(year_end), pl.col("next_planned_end_date").fill_null(year_end), year_end
    )
    return (
        broken.join(candidates, on="placement_id", how="left")
        .with_columns(
            next_days_in_year=((committed - pl.col("next_start_date")).dt.total_days() + 1).clip(lower_bound=0),
            days_to_next=(pl.col("next_start_date") - pl.col("end_date")).dt.total_days(),
        )
        .with_columns(
            next_cost_in_year_kr=pl.col("next_days_in_year") * pl.col("next_daily_cost_kr"),
            extra_cost_per_day_kr=pl.col("next_daily_cost_kr") - pl.col("daily_cost_kr"),
            next_placement_type=pl.col("next_placement_type").fill_null(NO_NEXT),
        )
        .select(
            "unit", "child_id", "placement_id", "placement_type", "start_date", "end_date", "daily_cost_kr",
            "next_placement_id", "next_placement_type", "next_start_date", "days_to_next",
            "next_daily_cost_kr", "extra_cost_per_day_kr", "next_days_in_year", "next_cost_in_year_kr",
        )
        .sort("unit", "end_date", "placement_id")
    )


def breakdown_followup_summary(followups: pl.DataFrame) -> pl.DataFrame:
    """One row per unit × year of the sammanbrott × next_placement_type: breakdowns and the
    committed cost in the year of the placements that followed."""
    return (
        followups.with_columns(year=pl.col("end_date").dt.year().cast(pl.Int32))
        .group_by("unit", "year", "next_placement_type")
        .agg(
            breakdowns=pl.len().cast(pl.Int64),
            next_cost_in_year_kr=pl.col("next_cost_in_year_kr").sum(),
            mean_next_daily_cost_kr=pl.col("next_daily_cost_kr").mean(),
        )
        .sort("unit", "year", "next_placement_type")
    )

