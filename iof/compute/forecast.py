"""Helårsprognos per enhet × kostnadsslag as of month M: pure Polars, frames in, frames out.

The method (parameters in the ["prognos"] section of data/config/iof.toml):

* Placement-driven lines (the kostnadsslag a placeringsform is booked on): utfall to date
  + commitments of the placements active at the end of M (dygnskostnad × days to the earliest of
  slutdatum, planerat_slutdatum and 31 Dec; care days given but not yet booked, by the invoice
  lag `estimate_lags` reads from the year-end accrual) + expected endings (open-ended placements
  end, and placements past their planned end go on, at the form's observed rate) + expected new
  placements (an intake rate shrunk towards the long run × days at the form's ending rate ×
  mean dygnskostnad per placeringsform) + the run-rate of the *residual*, i.e. the part of
  utfall the placements do not explain, at its median month. The placements' own booked cost
  is never run-rated, so it is not counted twice.
* Staff lines: utfall to date + the run-rate of the last months, shaped by the prior year's
  monthly profile (else an uneven budget's, else the median month so far).
* Other lines: "takt" (the median month × the months left; a lumpy line by its quarterly
  payments or the budget) or "budget" (utfall + budget of the remaining months), chosen per
  kostnadsslag in the configuration with the reason written beside it.
* Each line's method is then chosen among candidates by the same month of earlier closed
  years, shrunk towards the standard model by its evidence, and an 80 % interval comes from
  those years' errors (`forecast_interval`). docs/prognos.md has the reasons and measurements.

Only what was known at the end of M is used: utfall months 1..M, the register via
`intervals.as_known_on`, bemanning up to M. The as-of register view cannot know a planned end
date that was changed later (the register keeps only the latest value); frozen snapshots can.
At M = 12 nothing remains and the prognosis equals utfall exactly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import polars as pl

from iof.compute import intervals
from iof.core.config import Config, load
from iof.core.domain import ALL_COST_TYPES, INCOME_TYPES, IOF_TOTAL, NET, net_sign
from iof.core.errors import ForecastError
from iof.core.periods import month_end, window_start

# The components of a line's model prognosis; model = actual + the three remaining parts.
COMPONENTS = ("commitments_tkr", "expected_endings_tkr", "new_placements_tkr", "run_rate_tkr")
LINE_KEY = ("unit", "cost_type")


@dataclass(frozen=True)
class ForecastParams:
    booking: dict[str, str]  # placeringsform → kostnadsslag
    intake_months: int = 12
    length_years: int = 3
    expected_endings: bool = True
    early_endings: bool = False
    staff_run_rate_months: int = 3
    staff_cost_types: tuple[str, ...] = ("Personalkostnader",)
    breakdown_follow_days: int = 30
    methods: dict[str, str] = field(default_factory=dict)
    own_care_daily_cost_kr: dict[str, float] = field(default_factory=dict)
    own_care_min_count: int = 5
    max_lag_months: int = 2
    history_years: int = 3
    interval_level: float = 0.8
    intake_shrink_months: float = 0.0
    new_length: str = "mean"

    @classmethod
    def from_config(cls, cfg: Config | None = None) -> "ForecastParams":
        cfg = cfg or load()
        sec = cfg.section("prognos")
        own = dict(sec.get("dygnskostnad_egen_regi", {}))
        min_count = int(own.pop("min_antal", 5))
        return cls(
            booking={name: pt.cost_type for name, pt in cfg.placement_types.items()},
            intake_months=int(sec.get("intag_månader", 12)),
            length_years=int(sec.get("längd_år", 3)),
            expected_endings=bool(sec.get("förväntade_avslut", True)),
            early_endings=bool(sec.get("tidiga_avslut", False)),
            staff_run_rate_months=int(sec.get("takt_månader", 3)),
            staff_cost_types=tuple(sec.get("personal_kostnadsslag", ["Personalkostnader"])),
            breakdown_follow_days=int(sec.get("sammanbrott_följd_dagar", 30)),
            methods=dict(sec.get("metod", {})),
            own_care_daily_cost_kr={k: float(v) for k, v in own.items()},
            own_care_min_count=min_count,
            max_lag_months=int(sec.get("max_eftersläpning_månader", 2)),
            history_years=int(sec.get("historik_år", 3)),
            interval_level=float(sec.get("intervall_nivå", 0.8)),
            intake_shrink_months=float(sec.get("intag_krympning_månader", 0.0)),
            new_length={"avslutstakt": "hazard", "medellängd": "mean", "överlevnad": "survival"}[
                str(sec.get("nya_placeringars_längd", "medellängd"))
            ],
        )

    @property
    def placement_cost_types(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.booking.values())))

    def method(self, cost_type: str) -> str:
        return self.methods.get(cost_type, "budget" if cost_type in INCOME_TYPES else "takt")


@dataclass(frozen=True)
class Forecast:
    """A prognosis as of (year, month): its lines and the placement detail behind them."""

    year: int
    month: int
    lines: pl.DataFrame  # one row per unit × cost_type (see forecast_lines)
    placements: pl.DataFrame  # one row per placement in the year (see placement_commitments)
    intake: pl.DataFrame  # one row per unit × placement_type (see expected_new_placements)
    # one row per unit (and IoF totalt): the Netto interval's offsets from the prognosis
    # (see forecast_interval); None for frozen snapshots made before intervals existed
    interval: pl.DataFrame | None = None


# -- small helpers ---------------------------------------------------------------------------
def _check_month(month: int) -> None:
    if not 1 <= month <= 12:
        raise ForecastError(f"Månad måste vara 1–12, inte {month}.")


# -- budget ----------------------------------------------------------------------------------
def budget_by_month(budget: pl.DataFrame, year: int) -> pl.DataFrame:
    """One row per unit × cost_type × month (1–12) of budget_tkr; annual lines spread by 1/12.

    A line with a periodised budget uses its months; annual rows of the same line are spread
    evenly and added.
    """
    b = budget.filter(pl.col("year") == year)
    months = pl.DataFrame({"month": list(range(1, 13))}, schema={"month": pl.Int32})
    annual = (
        b.filter(pl.col("month").is_null())
        .group_by(LINE_KEY)
        .agg(amount_tkr=pl.col("amount_tkr").sum())
        .join(months, how="cross")
        .select(*LINE_KEY, "month", budget_tkr=pl.col("amount_tkr") / 12.0)
    )
    periodised = b.filter(pl.col("month").is_not_null()).select(
        *LINE_KEY, pl.col("month").cast(pl.Int32), budget_tkr=pl.col("amount_tkr")
    )
    return (
        pl.concat([annual, periodised])
        .group_by(*LINE_KEY, "month")
        .agg(budget_tkr=pl.col("budget_tkr").sum())
        .sort(*LINE_KEY, "month")
    )


# -- placements ------------------------------------------------------------------------------
def _with_cost_type(placements: pl.DataFrame, params: ForecastParams) -> pl.DataFrame:
    booking = pl.DataFrame(
        {"placement_type": list(params.booking), "cost_type": list(params.booking.values())}
    )
    return placements.join(booking, on="placement_type", how="left")


_LAG_SCHEMA = {"unit": pl.String, "cost_type": pl.String, "lag_months": pl.Int32}


def register_cost_by_month(placements: pl.DataFrame, first: date, last: date, params: ForecastParams) -> pl.DataFrame:
    """One row per unit × kostnadsslag × month in [first, last]: the register's care cost (tkr)."""
    frame = _with_cost_type(placements, params).filter(pl.col("cost_type").is_not_null())
    if frame.is_empty():
        return pl.DataFrame(schema={"unit": pl.String, "cost_type": pl.String, "t": pl.Int32, "reg_tkr": pl.Float64})
    frame = frame.select("unit", "cost_type", "start_date", "end_date", "daily_cost_kr")
    return (
        intervals.care_days_by_month(frame, first, last)
        .group_by("unit", "cost_type", t=pl.col("year") * 12 + pl.col("month") - 1)
        .agg(reg_tkr=(pl.col("care_days") * pl.col("daily_cost_kr")).sum() / 1000.0)
    )


def estimate_lags(
    actual: pl.DataFrame, placements: pl.DataFrame, year: int, month: int, params: ForecastParams
) -> pl.DataFrame:
    """One row per unit × placement kostnadsslag: how many months booked utfall lags the care days.

    From what was known at the end of M (the last 24 months, every month 1–12): for each lag L in
    0..max, the booking a lag of L implies with a year-end accrual (the year holds its own care:
    months 1..L book nothing of it, month m books the care of m − L, December also accrues its
    own last L months) is compared with booked utfall: the L for which utfall − that booking
    strays least from its median wins (the median is the line's costs the register does not
    explain; the register's own cost is taken at face value, as a free scale would let a
    month's spike of other costs pass for a lag; absolute deviations from the median, so that
    a spike weighs as much as it is), and ties go to the smaller lag. January and December
    carry the signal: a lag books next to nothing in January and twice in December, so a steady stock does not
    make the lag a guess. Every L is judged on the same months. Fewer than four months: the lag
    pooled over units for the kostnadsslag; none at all: 0 (booked as cared).
    """
    asof = month_end(year, month)
    first = date(year - 1, 1, 1)
    reg = register_cost_by_month(intervals.as_known_on(placements, asof), first, asof, params)
    t_asof = year * 12 + month - 1
    act = (
        actual.filter(pl.col("cost_type").is_in(list(params.placement_cost_types)))
        .with_columns(t=(pl.col("year") * 12 + pl.col("month") - 1).cast(pl.Int32))
        .filter(pl.col("t").is_between(first.year * 12, t_asof))
        .group_by("unit", "cost_type", "t", pl.col("month").cast(pl.Int32))
        .agg(a=pl.col("amount_tkr").sum())
    )
    if act.is_empty():
        return pl.DataFrame(schema=_LAG_SCHEMA)
    # Every lag L at once (one join instead of one per L and month back): the care of month
    # t − back is booked in t when back == L (and t's month > L), or, in December, for every
    # back < L too (the year-end accrual); b(t, L) = Σ of that care (same year only).
    lb = pl.DataFrame([(lag, back) for lag in range(params.max_lag_months + 1) for back in range(lag + 1)],
                      schema={"lag_months": pl.Int32, "back": pl.Int32}, orient="row")
    keys = ["unit", "cost_type", "t"]
    b = (
        act.select(*keys, "month").join(lb, how="cross")
        .filter(pl.when(pl.col("back") < pl.col("lag_months")).then(pl.col("month") == 12)
                .otherwise(pl.col("month") > pl.col("lag_months")))
        .with_columns(t_care=pl.col("t") - pl.col("back"))
        .join(reg.rename({"t": "t_care"}), on=["unit", "cost_type", "t_care"], how="inner")
        .group_by(*keys, "lag_months").agg(b=pl.col("reg_tkr").sum())
    )
    # utfall − the booking each lag implies, around its median (the line's other costs), in
    # absolute terms: one month's spike of other costs weighs as much as it is, not squared
    d = pl.col("a") - pl.col("b")
    allfit = (
        act.join(lb.select("lag_months").unique(), how="cross")
        .join(b, on=[*keys, "lag_months"], how="left").with_columns(pl.col("b").fill_null(0.0))
        .group_by("unit", "cost_type", "lag_months")
        .agg(n=pl.len(), u=(d - d.median()).abs().sum())
    )
    # the least error; a relative margin so that rounding noise cannot prefer a longer lag
    pick = pl.col("lag_months").sort_by(pl.col("u") * (1 + 1e-9 * pl.col("lag_months")), pl.col("lag_months")).first()
    pooled = (
        allfit.group_by("cost_type", "lag_months")
        .agg(pl.col("n", "u").sum())
        .group_by("cost_type")
        .agg(pooled_lag=pick)
    )
    own = allfit.filter(pl.col("n") >= 4).group_by("unit", "cost_type").agg(own_lag=pick)
    return (
        allfit.select("unit", "cost_type").unique()
        .join(own, on=["unit", "cost_type"], how="left")
        .join(pooled, on="cost_type", how="left")
        .select("unit", "cost_type", lag_months=pl.coalesce("own_lag", "pooled_lag", pl.lit(0)).cast(pl.Int32))
        .sort("unit", "cost_type")
    )


_RESIDUAL_SCHEMA = {"unit": pl.String, "cost_type": pl.String, "residual_median_tkr": pl.Float64}


def residual_median_month(
    actual: pl.DataFrame,
    placements: pl.DataFrame,
    lags: pl.DataFrame | None,
    year: int,
    month: int,
    params: ForecastParams,
) -> pl.DataFrame:
    """One row per unit × placement kostnadsslag with utfall in every month 1..M of `year`: the
    median month of the residual, utfall − the register's care booked that month (with the
    line's lag L, month m books the care of m − L and months 1..L book none of the year's care,
    as `estimate_lags` and `placement_commitments` count), `residual_median_tkr`.

    The residual is what the register does not explain (consultants, arvoden, other costs);
    like a takt line it runs at its median month, not at utfall/M: consultants invoiced a month
    late book nothing in January (December accrued them), so the mean of Jan..M is a month
    short of their pace (a quarter short in April)."""
    asof = month_end(year, month)
    act = (
        actual.filter(
            (pl.col("year") == year)
            & (pl.col("month") <= month)
            & pl.col("cost_type").is_in(list(params.placement_cost_types))
        )
        .group_by("unit", "cost_type", pl.col("month").cast(pl.Int32))
        .agg(a=pl.col("amount_tkr").sum())
    )
    if act.is_empty():
        return pl.DataFrame(schema=_RESIDUAL_SCHEMA)
    if lags is not None and lags.height and month < 12:
        act = act.join(lags.select("unit", "cost_type", "lag_months"), on=["unit", "cost_type"], how="left")
    else:
        act = act.with_columns(lag_months=pl.lit(0, pl.Int32))
    reg = register_cost_by_month(intervals.as_known_on(placements, asof), date(year, 1, 1), asof, params)
    booked = (
        act.with_columns(pl.col("lag_months").fill_null(0).clip(0, month).cast(pl.Int32))
        .with_columns(t=(year * 12 - 1 + pl.col("month") - pl.col("lag_months")).cast(pl.Int32))
        .join(reg.with_columns(pl.col("t").cast(pl.Int32)), on=["unit", "cost_type", "t"], how="left")
        .with_columns(
            reg_tkr=pl.when(pl.col("month") > pl.col("lag_months")).then(pl.col("reg_tkr").fill_null(0.0)).otherwise(0.0)
        )
    )
    return (
        booked.group_by("unit", "cost_type")
        .agg(n=pl.len(), residual_median_tkr=(pl.col("a") - pl.col("reg_tkr")).median())
        .filter(pl.col("n") == month)  # a month without a row: residual / M
        .select(*_RESIDUAL_SCHEMA)
    )


def placement_commitments(
    placements: pl.DataFrame, year: int, month: int, params: ForecastParams, lags: pl.DataFrame | None = None
) -> pl.DataFrame:
    """One row per placement known at the end of M with care days in the year.

    lag_months: how far the placement's kostnadsslag is booked after the care (`estimate_lags`;
    none given = 0; always 0 in December, whose utfall holds the year-end accrual);
    booked_days: care days 1 Jan..end of month M − lag (what utfall should already contain);
    unbooked_days: care days after that up to the end of M (given but not yet booked: committed);
    remaining_days: days after M to the earliest of end, planned end and 31 Dec;
    booked_tkr, commitment_tkr = (unbooked + remaining days) × dygnskostnad, and
    full_year_tkr = booked + commitment, in tkr. Every care day of the year is in exactly one part.
    """
    asof = month_end(year, month)
    known = intervals.as_known_on(placements, asof)
    known = _with_cost_type(known, params)
    if lags is not None and lags.height and month < 12:
        known = known.join(lags, on=["unit", "cost_type"], how="left").with_columns(
            pl.col("lag_months").fill_null(0).clip(0, month)
        )
    else:
        known = known.with_columns(lag_months=pl.lit(0, pl.Int32))
    unbooked = pl.lit(0, pl.Int64)
    for lag in range(1, min(params.max_lag_months, month) + 1):
        window = intervals.care_days_between(known, date(year, month - lag + 1, 1), asof)
        unbooked = pl.when(pl.col("lag_months") == lag).then(window).otherwise(unbooked)
    known = known.with_columns(
        year_days=intervals.care_days_between(known, date(year, 1, 1), asof)
    ).with_columns(unbooked_days=unbooked.cast(pl.Int64))
    return (
        intervals.with_remaining(
            known.with_columns(booked_days=pl.col("year_days") - pl.col("unbooked_days")).drop("year_days"), asof
        )
        .filter((pl.col("booked_days") > 0) | (pl.col("unbooked_days") > 0) | (pl.col("remaining_days") > 0))
        .with_columns(
            booked_tkr=pl.col("booked_days") * pl.col("daily_cost_kr") / 1000.0,
            commitment_tkr=(pl.col("remaining_cost_kr") + pl.col("unbooked_days") * pl.col("daily_cost_kr")) / 1000.0,
        )
        .with_columns(full_year_tkr=pl.col("booked_tkr") + pl.col("commitment_tkr"))
        .drop("remaining_cost_kr")
    )


def ending_hazards(placements: pl.DataFrame, year: int, month: int, params: ForecastParams) -> pl.DataFrame:
    """One row per placement_type: endings per care day over the last `längd_år` years (hazard),
    and endings before the planned end per care day before it (early_hazard)."""
    asof = month_end(year, month)
    first = window_start(asof, 12 * params.length_years)
    known = intervals.as_known_on(placements, asof)
    # care days before a planned end, and endings before it: the rate of ending early
    before_plan = known.filter(pl.col("planned_end_date").is_not_null()).with_columns(
        end_date=pl.min_horizontal("end_date", "planned_end_date")
    )
    early = (
        before_plan.with_columns(
            days_before=intervals.care_days_between(before_plan, first, asof),
            ended_early=pl.col("end_date").is_not_null()
            & (pl.col("end_date") < pl.col("planned_end_date"))
            & (pl.col("end_date") >= pl.lit(first))
            & (pl.col("end_date") <= pl.lit(asof)),
        )
        .group_by("placement_type")
        .agg(n_early=pl.col("ended_early").sum(), days_before=pl.col("days_before").sum())
    )
    rate = lambda n, d: pl.when(pl.col(d) > 0).then(pl.col(n) / pl.col(d)).otherwise(0.0)  # noqa: E731
    return (
        known.with_columns(
            care_days=intervals.care_days_between(known, first, asof),
            ended=pl.col("end_date").is_not_null() & (pl.col("end_date") >= pl.lit(first)),
        )
        .group_by("placement_type")
        .agg(n_ended=pl.col("ended").sum(), care_days=pl.col("care_days").sum())
        .join(early, on="placement_type", how="left")
        .with_columns(hazard=rate("n_ended", "care_days"), early_hazard=rate("n_early", "days_before").fill_null(0.0))
    )


def expected_remaining(hazard: pl.Expr, days: pl.Expr) -> pl.Expr:
    """Expected care days within `days` when a placement ends at a constant daily `hazard`:
    (1 − e^(−h·R)) / h, and R when h = 0."""
    return pl.when(hazard > 0).then((1.0 - (-hazard * days).exp()) / hazard).otherwise(days.cast(pl.Float64))


def with_expected_endings(
    commits: pl.DataFrame, placements: pl.DataFrame, year: int, month: int, params: ForecastParams
) -> pl.DataFrame:
    """Adds expected_days and expected_endings_tkr to placement_commitments' frame.

    The commitment is the letter of the rule: to the earliest of slutdatum, planerat_slutdatum
    and 31 Dec. Experience says otherwise in two ways, shown apart as `expected_endings_tkr`:
    a placement without a planned end may still end before 31 Dec, and a placement that has
    passed its planned end without ending (common for jourhem) goes on. Both are modelled with
    the form's observed ending rate h: expected days to 31 Dec = (1 − e^(−h·R)) / h. A planned
    end still ahead is kept (with `early_endings`, the placement may also end before it, at the
    form's observed rate of ending before a planned end). expected_endings_tkr = (expected − committed days) × dygnskostnad.
    """
    asof = month_end(year, month)
    to_year_end = (date(year, 12, 31) - asof).days
    hz = ending_hazards(placements, year, month, params).select("placement_type", "hazard", "early_hazard")
    open_ended = pl.col("end_date").is_null() & (
        pl.col("planned_end_date").is_null() | (pl.col("planned_end_date") <= pl.lit(asof))
    )
    on = pl.lit(params.expected_endings and to_year_end > 0)
    return (
        commits.join(hz, on="placement_type", how="left")
        .with_columns(
            expected_days=pl.when(on & open_ended)
            .then(expected_remaining(pl.col("hazard").fill_null(0.0), pl.lit(to_year_end)))
            .when(on & pl.lit(params.early_endings) & pl.col("end_date").is_null())
            .then(expected_remaining(pl.col("early_hazard").fill_null(0.0), pl.col("remaining_days")))
            .otherwise(pl.col("remaining_days").cast(pl.Float64))
        )
        .with_columns(
            expected_endings_tkr=(pl.col("expected_days") - pl.col("remaining_days")) * pl.col("daily_cost_kr") / 1000.0
        )
        .drop("hazard", "early_hazard")
    )


def expected_cost_days(rate_per_day: float, mean_days: float | None, remaining: int) -> float:
    """Expected care days within the rest of the year from placements starting at a steady rate.

    New placements start at `rate_per_day` on each of the `remaining` days and last `mean_days`
    (None = longer than the year): ∫₀ᴿ min(L, R − t) dt = R²/2 if L ≥ R, else L·R − L²/2.
    """
    r, R = rate_per_day, float(remaining)
    if mean_days is None or mean_days >= R:
        return r * R * R / 2.0
    return r * (mean_days * R - mean_days * mean_days / 2.0)


def register_first_day(known: pl.DataFrame) -> date | None:
    """The first day the register is complete from: its earliest ending (None without one).

    A register that holds the placements active on or after some day (left-truncated) holds,
    before that day, only the placements long enough to reach it; its earliest ending is the
    first day from which every start is there. A complete register ends placements from its
    first year, long before any window the model counts in."""
    ends = known["end_date"].drop_nulls()
    return ends.min() if len(ends) else None


def survival_curves(known: pl.DataFrame, first: date, asof: date, max_age: int) -> dict[str, np.ndarray]:
    """Per placement_type, the Kaplan–Meier survival S(0..max_age) (numpy) of the form's
    placements in care in [first, asof]: S(a) = P(length > a days) = Π_{k ≤ a} (1 − D_k / N_k),
    D_k = placements of k days that ended in the window, N_k = those at risk at k (delayed
    entry: one that started before `first` is at risk from its age then; one still open is
    censored at its age on `asof`). Past the last age at risk S stays at its last value."""
    top = int(max_age)
    seen = known.filter(pl.col("end_date").is_null() | (pl.col("end_date") >= pl.lit(first))).with_columns(
        entry=pl.max_horizontal(pl.lit(0), (pl.lit(first) - pl.col("start_date")).dt.total_days()),
        exit=(pl.coalesce("end_date", pl.lit(asof)) - pl.col("start_date")).dt.total_days() + 1,
        event=pl.col("end_date").is_not_null(),
    )
    out = {}
    for (form,), g in seen.group_by("placement_type"):
        e = np.minimum(g["entry"].to_numpy(), top + 1)
        t = g["exit"].to_numpy()
        ev = g["event"].to_numpy()
        # N_k = #(entry ≤ k − 1) − #(exit ≤ k − 1), k = 1..top (entry < exit always)
        n_in = np.cumsum(np.bincount(e, minlength=top + 2))[:top]
        n_out = np.cumsum(np.bincount(np.minimum(t, top + 1), minlength=top + 2))[:top]
        at_risk = n_in - n_out
        deaths = np.bincount(t[ev & (t <= top)], minlength=top + 1)[1 : top + 1]
        factor = np.where(at_risk > 0, 1.0 - deaths / np.maximum(at_risk, 1), 1.0)
        out[form] = np.concatenate([[1.0], np.cumprod(factor)])  # S(0..top)
    return out


def expected_new_placements(
    placements: pl.DataFrame, year: int, month: int, params: ForecastParams
) -> pl.DataFrame:
    """One row per unit × placement_type with expected new placements for the rest of the year.

    intake_per_month: starts in the last `intag_månader` months per month (unit × form);
    rate_per_day: those n starts in T days shrunk towards the unit × form's rate μ over the last
    `längd_år` years, (n + α·μ) / (T + α) with α = `intag_krympning_månader` (a Poisson count
    with a prior worth α days of the long run: a year's few starts are mostly noise, and rates
    shift); mean_days and mean_daily_cost_kr: per form pooled over units (placements ended in
    the last `längd_år` years; placements started in the window, else in the long run);
    expected_days: with `new_length` "hazard", each start at t lasts (1 − e^(−h·(R − t)))/h
    days at the form's ending rate h (`ending_hazards`), integrated: r·(R/h − (1 − e^(−h·R))/h²);
    with "mean", `expected_cost_days`; new_placements_tkr = expected_days × mean_daily_cost_kr / 1000.
    """
    asof = month_end(year, month)
    remaining = (date(year, 12, 31) - asof).days
    known = intervals.as_known_on(placements, asof)
    w_first = window_start(asof, params.intake_months)
    window_days = (asof - w_first).days + 1
    started = known.filter(pl.col("start_date") >= pl.lit(w_first))
    ended = known.filter(
        pl.col("end_date").is_not_null()
        & (pl.col("end_date") >= pl.lit(window_start(asof, 12 * params.length_years)))
    )
    per_form = (
        started.group_by("placement_type")
        .agg(mean_daily_cost_kr=pl.col("daily_cost_kr").mean())
        .join(
            ended.group_by("placement_type").agg(
                mean_days=((pl.col("end_date") - pl.col("start_date")).dt.total_days() + 1)
                .mean()
                .cast(pl.Float64)
            ),
            on="placement_type",
            how="left",
        )
    )
    # the long run: starts per unit × form over `längd_år` years (what was known then)
    l_first = window_start(asof, 12 * params.length_years)
    long_days = (asof - l_first).days + 1
    long_starts = known.filter(pl.col("start_date") >= pl.lit(l_first))
    long = long_starts.group_by("unit", "placement_type").agg(n_long=pl.len())
    long_cost = long_starts.group_by("placement_type").agg(long_cost_kr=pl.col("daily_cost_kr").mean())
    rates = (
        started.group_by("unit", "placement_type").agg(n_started=pl.len())
        .join(long, on=["unit", "placement_type"], how="full", coalesce=True)
        .with_columns(pl.col("n_started", "n_long").fill_null(0))
        .filter(pl.col("n_started") + pl.col("n_long") > 0)
        .join(per_form, on="placement_type", how="left")
        # a form that started nowhere in the window: the mean price of its long-run starts
        .join(long_cost, on="placement_type", how="left")
        .with_columns(mean_daily_cost_kr=pl.coalesce("mean_daily_cost_kr", "long_cost_kr"))
        .drop("long_cost_kr")
    )
    # the recent rate shrunk towards the long-run rate: (n + α·μ) / (T + α), α in days
    alpha = params.intake_shrink_months / 12 * 365.25
    window_t, long_t = pl.lit(float(window_days)), pl.lit(float(long_days))
    if params.new_length == "survival":
        # a left-truncated register holds a start d days before its first day only if it
        # lasted more than d days: each such day counts S(d) of a day of exposure
        reg_first = register_first_day(known)
        first = max(l_first, reg_first) if reg_first is not None and reg_first <= asof else l_first
        curves = survival_curves(known, first, asof, long_days)
        R0 = int(remaining)

        def exposure(w: date, S) -> float:
            lost = (first - w).days
            return float((asof - max(w, first)).days + 1 + (S[1 : lost + 1].sum() if lost > 0 else 0.0))

        expo = pl.DataFrame(
            [
                (form, exposure(w_first, S), exposure(l_first, S), float(((R0 - np.arange(R0) - 0.5) * S[:R0]).sum()))
                for form, S in curves.items()
            ],
            schema={"placement_type": pl.Utf8, "window_t": pl.Float64, "long_t": pl.Float64, "cost_days": pl.Float64},
            orient="row",
        )
        rates = rates.join(expo, on="placement_type", how="left")
        window_t, long_t = pl.col("window_t").fill_null(window_t), pl.col("long_t").fill_null(long_t)
    mu = pl.col("n_long").cast(pl.Float64) / long_t
    out = _with_cost_type(rates, params).with_columns(
        intake_per_month=pl.col("n_started").cast(pl.Float64) / params.intake_months,
        rate_per_day=(pl.col("n_started").cast(pl.Float64) + alpha * mu) / (window_t + alpha),
    )
    R, L = float(remaining), pl.col("mean_days")
    if params.new_length == "hazard":
        h = pl.col("hazard")
        out = out.join(ending_hazards(placements, year, month, params).select("placement_type", "hazard"),
                       on="placement_type", how="left")
        days_expr = pl.when(h.is_null() | (h <= 0)).then(pl.col("rate_per_day") * R * R / 2.0).otherwise(
            pl.col("rate_per_day") * (R / h - (1.0 - (-h * R).exp()) / (h * h))
        )
    elif params.new_length == "survival":
        days_expr = pl.col("rate_per_day") * pl.col("cost_days").fill_null(R * R / 2.0)
    else:
        days_expr = pl.when(L.is_null() | (L >= R)).then(pl.col("rate_per_day") * R * R / 2.0).otherwise(
            pl.col("rate_per_day") * (L * R - L * L / 2.0)
        )
    return (
        out.with_columns(
            expected_n=pl.col("rate_per_day") * R,
            expected_days=days_expr,
        )
        .with_columns(new_placements_tkr=pl.col("expected_days") * pl.col("mean_daily_cost_kr") / 1000.0)
        .select(
            "unit",
            "placement_type",
            "cost_type",
            "n_started",
            "intake_per_month",
            "mean_days",
            "mean_daily_cost_kr",
            "expected_n",
            "expected_days",
            "new_placements_tkr",
        )
        .sort("unit", "placement_type")
    )


# -- staff -----------------------------------------------------------------------------------
def staff_run_rate(
    actual: pl.DataFrame, year: int, month: int, params: ForecastParams, budget_months: pl.DataFrame | None = None
) -> pl.DataFrame:
    """One row per unit × staff cost_type: the remaining months' cost (run_rate_tkr).

    level = Σ utfall of the last k months ÷ the prior year's share of those months;
    run_rate_tkr = level × the prior year's share of the months after M. Without a prior year
    of 12 months, each with a positive cost, the shares of `budget_months` (budget_by_month) are
    the profile where the line's budget is periodised unevenly (a budget that knows July);
    otherwise there is no profile: the level is then the median month of the year so far, so
    that a low July (semester) is not taken for the pace of the months left.
    """
    staff = actual.filter(pl.col("cost_type").is_in(list(params.staff_cost_types)))
    k = min(params.staff_run_rate_months, month)
    prior = (
        staff.filter(pl.col("year") == year - 1)
        .group_by(*LINE_KEY, "month")
        .agg(a=pl.col("amount_tkr").sum())
        .with_columns(
            n=pl.len().over(LINE_KEY), low=pl.col("a").min().over(LINE_KEY), total=pl.col("a").sum().over(LINE_KEY)
        )
        # a usable profile has twelve months, each with a positive cost
        .filter((pl.col("n") == 12) & (pl.col("low") > 0))
        .select(*LINE_KEY, pl.col("month").cast(pl.Int32), share=pl.col("a") / pl.col("total"))
    )
    if budget_months is not None and budget_months.height:
        # no prior year: the budget's own months, where the budget is periodised unevenly
        bud = (
            budget_months.filter(pl.col("cost_type").is_in(list(params.staff_cost_types)))
            .with_columns(
                total=pl.col("budget_tkr").sum().over(LINE_KEY),
                spread=(pl.col("budget_tkr").max() - pl.col("budget_tkr").min()).over(LINE_KEY),
                n=pl.len().over(LINE_KEY),
            )
            .filter((pl.col("n") == 12) & (pl.col("total") > 0) & (pl.col("spread") > 1e-6 * pl.col("total")))
            .select(*LINE_KEY, pl.col("month").cast(pl.Int32), share=pl.col("budget_tkr") / pl.col("total"))
            .join(prior.select(LINE_KEY).unique(), on=list(LINE_KEY), how="anti")
        )
        prior = pl.concat([prior.with_columns(src=pl.lit("fjolårets månadsprofil")),
                           bud.with_columns(src=pl.lit("budgetens månadsprofil"))])
    else:
        prior = prior.with_columns(src=pl.lit("fjolårets månadsprofil"))
    cur = staff.filter((pl.col("year") == year) & (pl.col("month") <= month))
    lines = cur.select(LINE_KEY).unique()
    months = pl.DataFrame({"month": list(range(1, 13))}, schema={"month": pl.Int32})
    grid = (
        lines.join(months, how="cross")
        .join(prior, on=[*LINE_KEY, "month"], how="left")
        .with_columns(has_prior=pl.col("share").is_not_null().any().over(LINE_KEY))
        .with_columns(
            share=pl.when(pl.col("has_prior")).then(pl.col("share").fill_null(0.0)).otherwise(1.0 / 12)
        )
        .join(
            cur.group_by(*LINE_KEY, pl.col("month").cast(pl.Int32)).agg(a=pl.col("amount_tkr").sum()),
            on=[*LINE_KEY, "month"],
            how="left",
        )
    )
    recent = pl.col("month").is_between(month - k + 1, month)
    return (
        grid.group_by(LINE_KEY)
        .agg(
            recent_tkr=pl.col("a").filter(recent).fill_null(0.0).sum(),
            ytd_tkr=pl.col("a").fill_null(0.0).sum(),
            median_tkr=pl.col("a").filter(pl.col("month") <= month).fill_null(0.0).median(),
            recent_share=pl.col("share").filter(recent).sum(),
            rest_share=pl.col("share").filter(pl.col("month") > month).sum(),
            profile=pl.when(pl.col("has_prior").first()).then(pl.col("src").drop_nulls().first()).otherwise(
                pl.lit("jämn profil")
            ),
        )
        .with_columns(
            run_rate_tkr=pl.when(pl.col("profile") == "jämn profil")
            # no profile to correct July with: the median month of the year so far is the level
            .then(pl.col("median_tkr") * (12 - month))
            .when(pl.col("recent_share") > 0)
            .then(pl.col("recent_tkr") / pl.col("recent_share") * pl.col("rest_share"))
            .otherwise(pl.col("recent_tkr") / k * (12 - month))
        )
        .select(*LINE_KEY, "run_rate_tkr", "profile")
    )


def staffing_drivers(staffing: pl.DataFrame, year: int, month: int) -> pl.DataFrame:
    """One row per unit: bemanning in month M (budgeted/filled FTE, vacancies, consultants)."""
    return (
        staffing.filter((pl.col("year") == year) & (pl.col("month") == month))
        .group_by("unit")
        .agg(
            budgeted_fte=pl.col("budgeted_fte").sum(),
            filled_fte=pl.col("filled_fte").sum(),
            vacancies=pl.col("vacancies").sum(),
            consultant_fte=pl.col("consultant_fte").sum(),
        )
    )


# -- the model -------------------------------------------------------------------------------
def forecast(
    budget: pl.DataFrame,
    actual: pl.DataFrame,
    placements: pl.DataFrame,
    staffing: pl.DataFrame,
    year: int,
    month: int,
    params: ForecastParams | None = None,
    cache: dict | None = None,
) -> Forecast:
    """The model prognosis as of (year, month); see `forecast_lines` for one row of `.lines`.

    Each line's method is chosen by its error at the same month of the closed years before
    (`choose_methods`), and the Netto interval comes from those years' errors (`forecast_interval`).
    `cache` (optional, any dict) keeps the raw candidates of each (year, month) between calls,
    so a backtest over many months computes each only once.
    """
    _check_month(month)
    params = params or ForecastParams.from_config()
    cache = {} if cache is None else cache
    lines, commits, intake = raw_forecast(budget, actual, placements, staffing, year, month, params, cache)
    history = method_history(budget, actual, placements, staffing, year, month, params, cache)
    choice = choose_methods(history)
    lines = apply_choice(lines, choice, month)
    interval = forecast_interval(history, lines, params.interval_level, month)
    return Forecast(year, month, lines, commits, intake, interval)


def raw_forecast(
    budget: pl.DataFrame,
    actual: pl.DataFrame,
    placements: pl.DataFrame,
    staffing: pl.DataFrame,
    year: int,
    month: int,
    params: ForecastParams,
    cache: dict | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """The lines with every candidate method's full-year value (cand_*), before any choice;
    the placement commitments and the expected intake behind them."""
    key = ("raw", year, month)
    if cache is not None and key in cache:
        return cache[key]
    lags = estimate_lags(actual, placements, year, month, params)
    commits = with_expected_endings(
        placement_commitments(placements, year, month, params, lags), placements, year, month, params
    )
    intake = expected_new_placements(placements, year, month, params)
    residual = residual_median_month(actual, placements, lags, year, month, params)
    lines = forecast_lines(budget, actual, commits, intake, staffing, year, month, params, residual)
    lines = with_candidates(lines, actual, year, month, params)
    out = (lines, commits, intake)
    if cache is not None:
        cache[key] = out
    return out


# -- candidate methods, their choice by past error, and the interval --------------------------
# standard: the line's own model above (commitments for placement lines, the staff model, or the
# configured takt/budget); profil: utfall ÷ the share of the year that the same months held in
# the previous years (quarterly rent, grants, July, accruals and booking lags are in the shares);
# budget: utfall + the budget of the months left; takt: utfall / M × 12; kombination: the mean
# of standard and profil.
CANDIDATES = ("standard", "profil", "budget", "takt", "kombination")
CANDIDATE_LABELS = {
    "profil": "takt med säsongsprofil",
    "budget": "budgetprofil",
    "takt": "takt (utfall/M × 12)",
    "kombination": "medel av modell och säsongsprofil",
}
_MIN_PROFILE_SHARE = 0.15  # below this share of the year booked so far, profil is not used
# A line whose utfall so far is mostly the register's placements (booked care days × dygnskostnad
# at least this share of it) has no profil or kombination candidate: its months follow that
# year's stock of placements, not a season, so an earlier year's share of Jan..M is that year's
# trend (a year of rising placements books little early and extrapolates high), and the lag the
# profile would carry is already the commitment model's. Measured: 0.3, 0.5 and 0.7 give the same
# choices on 14 generated datasets (a line is either nearly all placements or hardly any).
_PLACEMENT_SHARE_NO_PROFILE = 0.5


def profile_shares(actual: pl.DataFrame, year: int, params: ForecastParams) -> pl.DataFrame:
    """One row per unit × cost_type × month: the mean share of the year's utfall that month held
    in the previous `historik_år` years (years with a positive total; a missing month is 0)."""
    prior = actual.filter(pl.col("year").is_between(year - params.history_years, year - 1))
    per = (
        prior.group_by(*LINE_KEY, "year", pl.col("month").cast(pl.Int32))
        .agg(a=pl.col("amount_tkr").sum())
        .with_columns(total=pl.col("a").sum().over(*LINE_KEY, "year"))
        .filter(pl.col("total") > 0)
    )
    years = per.group_by(LINE_KEY).agg(n_years=pl.col("year").n_unique())
    return (
        per.group_by(*LINE_KEY, "month")
        .agg(s=(pl.col("a") / pl.col("total")).sum())
        .join(years, on=list(LINE_KEY))
        .select(*LINE_KEY, "month", share=pl.col("s") / pl.col("n_years"))
    )


def with_candidates(
    lines: pl.DataFrame, actual: pl.DataFrame, year: int, month: int, params: ForecastParams
) -> pl.DataFrame:
    """The lines with cand_<method> (full-year tkr) for every method in CANDIDATES (null where
    a method has nothing to go on, and profil/kombination null on a line that is mostly the
    register's placements: see _PLACEMENT_SHARE_NO_PROFILE)."""
    shares = (
        profile_shares(actual, year, params)
        .group_by(LINE_KEY)
        .agg(share_ytd=pl.col("share").filter(pl.col("month") <= month).sum())
    )
    register_line = (pl.col("actual_tkr") > 0) & (
        pl.col("placements_booked_tkr") >= _PLACEMENT_SHARE_NO_PROFILE * pl.col("actual_tkr")
    )
    profil = pl.when(pl.lit(month == 12)).then(pl.col("actual_tkr")).when(
        (pl.col("share_ytd") >= _MIN_PROFILE_SHARE) & ~register_line
    ).then(pl.col("actual_tkr") / pl.col("share_ytd").clip(upper_bound=1.0))
    return (
        lines.join(shares, on=list(LINE_KEY), how="left")
        .with_columns(
            cand_standard=pl.col("model_tkr"),
            cand_profil=profil,
            cand_budget=pl.col("actual_tkr") + (pl.col("budget_rest_tkr") if month < 12 else pl.lit(0.0)),
            cand_takt=pl.col("actual_tkr") / month * 12,
        )
        .with_columns(cand_kombination=(pl.col("cand_standard") + pl.col("cand_profil")) / 2)
        .drop("share_ytd")
    )


def method_history(
    budget: pl.DataFrame,
    actual: pl.DataFrame,
    placements: pl.DataFrame,
    staffing: pl.DataFrame,
    year: int,
    month: int,
    params: ForecastParams,
    cache: dict | None = None,
) -> pl.DataFrame:
    """One row per closed earlier year (up to `historik_år`) × unit × cost_type: each candidate's
    full-year value as of the same month then (with only what was known then), the year's
    outcome of the line and its budget, and `after_closed_year`: whether the year before that
    one was closed too (false for the first year of the data: its prognoses were made without a
    prior year to learn lags, profiles and accruals from). Empty when there is no such year."""
    closed = set(actual.filter(pl.col("month") == 12)["year"].unique().to_list())
    rows = []
    for y in range(year - params.history_years, year):
        if y not in closed or actual.filter((pl.col("year") == y) & (pl.col("month") <= month)).is_empty():
            continue
        lines, _, _ = raw_forecast(budget, actual, placements, staffing, y, month, params, cache)
        out = (
            actual.filter(pl.col("year") == y).group_by(LINE_KEY).agg(outcome_tkr=pl.col("amount_tkr").sum())
        )
        rows.append(
            lines.select("year", *LINE_KEY, "budget_tkr", *[f"cand_{c}" for c in CANDIDATES])
            .join(out, on=list(LINE_KEY), how="full", coalesce=True)
            .with_columns(
                year=pl.lit(y, pl.Int32),
                after_closed_year=pl.lit((y - 1) in closed),
                outcome_tkr=pl.col("outcome_tkr").fill_null(0.0),
                budget_tkr=pl.col("budget_tkr").fill_null(0.0),
                cand_standard=pl.col("cand_standard").fill_null(0.0),
            )
        )
    if not rows:
        return pl.DataFrame(
            schema={"year": pl.Int32, "unit": pl.String, "cost_type": pl.String, "budget_tkr": pl.Float64,
                    **{f"cand_{c}": pl.Float64 for c in CANDIDATES}, "outcome_tkr": pl.Float64,
                    "after_closed_year": pl.Boolean}
        )
    return pl.concat(rows, how="vertical_relaxed")


def choose_methods(history: pl.DataFrame, exclude_year: int | None = None) -> pl.DataFrame:
    """One row per unit × cost_type: the candidate with the least mean absolute error over the
    history's years (each candidate over the years it could be computed; ties and lines without
    history: standard), and how many years the choice rests on."""
    h = history if exclude_year is None else history.filter(pl.col("year") != exclude_year)
    if h.is_empty():
        return pl.DataFrame(schema={"unit": pl.String, "cost_type": pl.String, "choice": pl.String, "n_years": pl.UInt32})
    # a candidate is judged on the years it had something to go on (nulls are left out)
    errs = h.group_by(LINE_KEY).agg(
        n_years=pl.len(),
        *[(pl.col(f"cand_{c}") - pl.col("outcome_tkr")).abs().mean().alias(c) for c in CANDIDATES],
    )
    best = pl.min_horizontal(*CANDIDATES)
    pick = pl.lit("standard")
    for c in reversed(CANDIDATES[1:]):
        pick = pl.when((pl.col(c) < pl.col("standard")) & (pl.col(c) == pl.col("_best"))).then(pl.lit(c)).otherwise(pick)
    return errs.with_columns(_best=best).select(*LINE_KEY, choice=pick, n_years="n_years")


# How many years of backtest the choice of a line's method is worth against the standard model:
# with n years behind it, the chosen candidate gets weight n / (n + this) and the standard the
# rest. One year's error ranks candidates mostly by chance; three years' a little less so.
CHOICE_PRIOR_YEARS = 1.0


def chosen_value() -> pl.Expr:
    """The line's full-year value from columns choice, n_years and cand_*: the chosen candidate
    shrunk towards the standard model by the evidence behind the choice (CHOICE_PRIOR_YEARS);
    the standard where the choice has nothing to go on."""
    val = pl.col("cand_standard")
    for c in CANDIDATES[1:]:
        val = pl.when(pl.col("choice") == c).then(pl.col(f"cand_{c}").fill_null(pl.col("cand_standard"))).otherwise(val)
    return choice_weight() * val + (1 - choice_weight()) * pl.col("cand_standard")


def choice_weight() -> pl.Expr:
    """The chosen candidate's weight n / (n + CHOICE_PRIOR_YEARS), n = years behind the choice."""
    n = pl.col("n_years").cast(pl.Float64).fill_null(0.0)
    return n / (n + CHOICE_PRIOR_YEARS)


def apply_choice(lines: pl.DataFrame, choice: pl.DataFrame, month: int) -> pl.DataFrame:
    """model_tkr = the chosen candidate shrunk towards the standard (`chosen_value`); the difference to the standard model goes into
    run_rate_tkr so that model = utfall + the parts still holds; `method` says which and why."""
    out = lines.join(choice, on=list(LINE_KEY), how="left").with_columns(
        choice=pl.when(pl.lit(month == 12)).then(pl.lit("standard")).otherwise(pl.col("choice").fill_null("standard"))
    )
    out = out.with_columns(
        choice=pl.when(
            pl.any_horizontal(*[(pl.col("choice") == c) & pl.col(f"cand_{c}").is_null() for c in CANDIDATES[1:]])
        ).then(pl.lit("standard")).otherwise("choice")
    )
    chosen = chosen_value()
    label = pl.col("method")
    for c, text in CANDIDATE_LABELS.items():
        label = pl.when(pl.col("choice") == c).then(pl.lit(text)).otherwise(label)
    basis = (
        pl.when(pl.col("n_years").is_null())
        .then(pl.lit(" (standard: ingen historik)"))
        .when(pl.col("choice") == "standard")
        .then(pl.lit(" (vald på ") + pl.col("n_years").cast(pl.String) + pl.lit(" år)"))
        .otherwise(
            pl.lit(" (vald på ") + pl.col("n_years").cast(pl.String) + pl.lit(" år; vikt ")
            + (choice_weight() * 100).round(0).cast(pl.Int64).cast(pl.String) + pl.lit(" %, resten standardmodellen)")
        )
    )
    return (
        out.with_columns(model_tkr=pl.when(pl.lit(month == 12)).then(pl.col("actual_tkr")).otherwise(chosen))
        .with_columns(
            run_rate_tkr=pl.col("run_rate_tkr") + pl.col("model_tkr") - pl.col("cand_standard"),
            method=pl.when(pl.lit(month == 12)).then(label).otherwise(label + basis),
        )
        .drop("n_years")
    )


# two-sided t quantiles for the 80 % interval by number of errors (mean taken as 0)
_T80 = {1: 3.078, 2: 1.886, 3: 1.638, 4: 1.533, 5: 1.476, 6: 1.440, 7: 1.415, 8: 1.397, 9: 1.383}


_T80_MORE = ((12, 1.356), (15, 1.341), (20, 1.325), (30, 1.310), (60, 1.296))


def t80(n: int) -> float:
    """The 90th percentile of Student's t with n degrees of freedom (two-sided 80 %)."""
    if n in _T80:
        return _T80[n]
    for df, t in _T80_MORE:
        if n <= df:
            return t
    return 1.2816


def error_band(errors: list[float], level: float = 0.8) -> tuple[float, float] | None:
    """Offsets (−q, q) such that the outcome lies in [prognosis − q, prognosis + q] for `level`
    of outcomes, from past errors (error = prognosis − outcome; symmetric: a few errors cannot
    tell a skew from chance).

    Five or more errors: q = the `level` quantile of |error| at the median-unbiased position
    (n + 1/3)·level + 1/3 of the sorted |errors| (Hyndman & Fan's type 8, interpolated; the
    largest when the position is past it). The plain n·level-th error is the sample's own
    quantile and covers less than `level` of *new* outcomes on average; the position above
    corrects that for the sample's size. Fewer than five: ± t(n) × root mean square (a normal
    band around zero, widened for few errors). None: None.
    """
    e = [float(x) for x in errors if x is not None]
    if not e:
        return None
    n = len(e)
    if n >= 5:
        a = sorted(abs(x) for x in e)
        pos = (n + 1 / 3) * level + 1 / 3
        i = int(math.floor(pos))
        if i >= n:
            q = a[-1]
        elif i < 1:
            q = a[0]
        else:
            q = a[i - 1] + (pos - i) * (a[i] - a[i - 1])
        return -q, q
    rms = (sum(x * x for x in e) / n) ** 0.5
    t = t80(n) if abs(level - 0.8) < 1e-9 else 1.2816
    return -t * rms, t * rms


def _net(col: str) -> pl.Expr:
    return (pl.col(col) * net_sign()).sum()


def unit_scales(lines: pl.DataFrame, spread: pl.DataFrame, by: tuple[str, ...] = ("unit",)) -> pl.DataFrame:
    """One row per `by` (unit, or unit × year): how uncertain a Netto of these lines is, tkr:
    √Σ (σ_k × budget)² over the lines, σ_k the kostnadsslag's relative error (`spread`:
    cost_type, sig2). A unit of placements is more uncertain than one of salaries of the same
    budget; a pooled band scaled by size alone is too wide for the one and too narrow for the other."""
    return (
        lines.join(spread, on="cost_type", how="left")
        .group_by(*by)
        .agg(scale=(pl.col("sig2").fill_null(0.0) * pl.col("budget_tkr") ** 2).sum().sqrt())
    )


def forecast_interval(history: pl.DataFrame, lines: pl.DataFrame, level: float, month: int) -> pl.DataFrame:
    """One row per unit and `IoF totalt`: interval_low_tkr/interval_high_tkr, offsets to add to
    the Netto prognosis for an interval holding `level` of outcomes, and n_errors behind it.

    The errors are those of the method at the same month of the earlier closed years, each
    year's line choice made without that year (leave one out); only years before this one, so
    the band is out of sample. The errors of a year prognosed without a closed year before it
    (the data's first) are left out when later years' errors exist (`after_closed_year`; without
    the column, all are used). Each unit's Netto error is divided by the unit's scale
    (`unit_scales`: the relative error of each kostnadsslag over all units and years, applied to
    the unit's budget lines that year), the scaled errors of all units and years are pooled
    (a unit has at most `historik_år` of its own), the band is `error_band` of the pool (with
    its correction for few errors), and it is scaled back by this year's scale. IoF totalt uses
    its own errors the same way, over the sum of the units' scales. In December the interval is zero."""
    units = lines.select("unit").unique()
    zero = pl.DataFrame({"unit": [*units["unit"].to_list(), IOF_TOTAL]}).with_columns(
        interval_low_tkr=pl.lit(0.0), interval_high_tkr=pl.lit(0.0), n_errors=pl.lit(0, pl.Int32)
    )
    if month == 12:
        return zero
    if history.is_empty():
        return zero.with_columns(interval_low_tkr=pl.lit(None, pl.Float64), interval_high_tkr=pl.lit(None, pl.Float64))
    applied = []
    for y in history["year"].unique().sort().to_list():
        ch = choose_methods(history, exclude_year=y)
        applied.append(
            history.filter(pl.col("year") == y)
            .join(ch, on=list(LINE_KEY), how="left")
            .with_columns(pl.col("choice").fill_null("standard"))
            .with_columns(pred=chosen_value())
        )
    hist = pl.concat(applied, how="diagonal_relaxed")
    # The errors of the data's first year are left out where later years' exist: that year was
    # prognosed without a year before it (no lag from a December accrual, no staff or income
    # profile), unlike every prognosis an interval is attached to (which has a closed year behind
    # it). Its errors ran 1.2–1.7× those of later years and widened the band (docs/prognos.md).
    if "after_closed_year" in hist.columns and hist["after_closed_year"].any():
        hist = hist.filter(pl.col("after_closed_year"))
    spread = (
        hist.filter(pl.col("budget_tkr").abs() > 0)
        .group_by("cost_type")
        .agg(sig2=(((pl.col("pred") - pl.col("outcome_tkr")) / pl.col("budget_tkr").abs()) ** 2).mean())
    )
    errs = (
        hist.group_by("unit", "year")
        .agg(err=_net("pred") - _net("outcome_tkr"))
        .join(unit_scales(hist, spread, ("unit", "year")), on=["unit", "year"], how="left")
        .with_columns(pl.col("scale").fill_null(0.0))
    )
    now_scale = unit_scales(lines.select("unit", "cost_type", "budget_tkr"), spread).rename({"scale": "scale_now"})
    unit_errs = errs.filter(pl.col("scale") > 0)
    scaled = (unit_errs["err"] / unit_errs["scale"]).to_list()
    band = error_band(scaled, level)
    tot = errs.group_by("year").agg(pl.col("err").sum(), pl.col("scale").sum()).filter(pl.col("scale") > 0)
    tband = error_band((tot["err"] / tot["scale"]).to_list(), level)
    total_scale = float(now_scale["scale_now"].sum())
    out = units.join(now_scale, on="unit", how="left").with_columns(
        interval_low_tkr=pl.col("scale_now").fill_null(0.0) * (band[0] if band else None),
        interval_high_tkr=pl.col("scale_now").fill_null(0.0) * (band[1] if band else None),
        n_errors=pl.lit(len(scaled), pl.Int32),
    ).drop("scale_now")
    total = pl.DataFrame(
        {
            "unit": [IOF_TOTAL],
            "interval_low_tkr": [total_scale * tband[0] if tband else None],
            "interval_high_tkr": [total_scale * tband[1] if tband else None],
            "n_errors": [tot.height],
        },
        schema={"unit": pl.String, "interval_low_tkr": pl.Float64, "interval_high_tkr": pl.Float64, "n_errors": pl.Int32},
    )
    return pl.concat([out, total]).sort(pl.col("unit") == IOF_TOTAL, "unit")


def lumpy_lines(actual: pl.DataFrame, year: int, month: int) -> pl.DataFrame:
    """One row per unit × cost_type booked in months 1..M of `year`: whether the line is lumpy
    (some month of 1..M has next to nothing, < 5 % of the largest), if it is paid once a
    quarter, how many payments are in (`payments`; null otherwise), and the median month of
    1..M (`median_month_tkr`; the mean where a month has no row).

    Quarterly: from M = 4 on, every month that has something lies in the same place of its quarter
    (month ≡ r mod 3) and every such month of 1..M has something, except perhaps January (a
    quarter paid in its following month has its fourth quarter accrued in December). A year then
    has four payments. Used where a line would be run-rated without a history to learn its
    profile from: quarterly rent in advance is not six months' worth in April.
    """
    cur = (
        actual.filter((pl.col("year") == year) & (pl.col("month") <= month))
        .group_by(*LINE_KEY, pl.col("month").cast(pl.Int32))
        .agg(a=pl.col("amount_tkr").sum())
    )
    if cur.is_empty():
        return pl.DataFrame(schema={"unit": pl.String, "cost_type": pl.String, "lumpy": pl.Boolean, "payments": pl.Int32,
                                    "median_month_tkr": pl.Float64})
    big = pl.col("a").abs() >= 0.05 * pl.col("a").abs().max().over(LINE_KEY)
    paid = cur.with_columns(paid=big & (pl.col("a").abs() > 0))
    per = paid.group_by(LINE_KEY).agg(
        n_paid=pl.col("paid").sum(),
        residues=pl.col("month").filter(pl.col("paid")).mod(3).n_unique(),
        r=pl.col("month").filter(pl.col("paid")).mod(3).first(),
        paid_months=pl.col("month").filter(pl.col("paid")),
        month_sum=pl.col("a").sum(),
        month_median=pl.col("a").median(),
        n_months=pl.len(),
    )
    out = []
    for row in per.iter_rows(named=True):
        n = row["n_paid"]
        lumpy = 0 < n < month
        payments = None
        if lumpy and month >= 4 and row["residues"] == 1:
            expected = {m for m in range(1, month + 1) if m % 3 == row["r"]}
            missing = expected - set(row["paid_months"])
            if missing <= {1}:
                payments = n
        med = row["month_median"] if row["n_months"] == month else row["month_sum"] / month
        out.append((row["unit"], row["cost_type"], lumpy, payments, med))
    return pl.DataFrame(out, schema={"unit": pl.String, "cost_type": pl.String, "lumpy": pl.Boolean, "payments": pl.Int32,
                                     "median_month_tkr": pl.Float64}, orient="row")


def forecast_lines(
    budget: pl.DataFrame,
    actual: pl.DataFrame,
    commits: pl.DataFrame,
    intake: pl.DataFrame,
    staffing: pl.DataFrame,
    year: int,
    month: int,
    params: ForecastParams,
    residual_months: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """One row per unit × cost_type: budget_tkr, actual_tkr (1..M), the parts and model_tkr.

    model_tkr = actual_tkr + commitments_tkr + expected_endings_tkr + new_placements_tkr
    + run_rate_tkr, where
    run_rate_tkr is the remaining months of what is not placement-driven (see the module); on a
    placement line, the residual's median month (`residual_median_month`, given as
    `residual_months`) × the months left, or residual / M where it is not given.
    """
    rest = 12 - month
    bm = budget_by_month(budget, year)
    budget_year = bm.group_by(LINE_KEY).agg(
        budget_tkr=pl.col("budget_tkr").sum(),
        budget_rest_tkr=pl.col("budget_tkr").filter(pl.col("month") > month).sum(),
    )
    act = (
        actual.filter((pl.col("year") == year) & (pl.col("month") <= month))
        .group_by(LINE_KEY)
        .agg(actual_tkr=pl.col("amount_tkr").sum())
    )
    by_line = lambda f, **aggs: f.group_by(LINE_KEY).agg(**aggs)  # noqa: E731
    commits = commits.filter(pl.col("cost_type").is_not_null())  # unknown forms are not booked
    booked = by_line(
        commits,
        placements_booked_tkr=pl.col("booked_tkr").sum(),
        commitments_tkr=pl.col("commitment_tkr").sum(),
        expected_endings_tkr=pl.col("expected_endings_tkr").sum(),
    )
    new = by_line(intake.filter(pl.col("cost_type").is_not_null()), new_placements_tkr=pl.col("new_placements_tkr").sum())
    staff = staff_run_rate(actual, year, month, params, bm).rename({"run_rate_tkr": "staff_rest_tkr"})

    keys = pl.concat(
        [f.select(LINE_KEY) for f in (budget_year, act, booked, new)]
    ).unique()
    placement_line = pl.col("cost_type").is_in(list(params.placement_cost_types))
    staff_line = pl.col("cost_type").is_in(list(params.staff_cost_types))
    method = pl.col("cost_type").replace_strict(
        {ct: params.method(ct) for ct in ALL_COST_TYPES}, default="takt", return_dtype=pl.String
    )
    zero = [
        "budget_tkr",
        "budget_rest_tkr",
        "actual_tkr",
        "placements_booked_tkr",
        "commitments_tkr",
        "expected_endings_tkr",
        "new_placements_tkr",
    ]
    df = (
        keys.join(budget_year, on=LINE_KEY, how="left")
        .join(act, on=LINE_KEY, how="left")
        .join(booked, on=LINE_KEY, how="left")
        .join(new, on=LINE_KEY, how="left")
        .join(staff, on=LINE_KEY, how="left")
        .join(lumpy_lines(actual, year, month), on=LINE_KEY, how="left")
        .join(
            residual_months if residual_months is not None else pl.DataFrame(schema=_RESIDUAL_SCHEMA),
            on=LINE_KEY,
            how="left",
        )
        .with_columns(pl.col(zero).fill_null(0.0))
        .with_columns(residual_tkr=pl.col("actual_tkr") - pl.col("placements_booked_tkr"))
    )
    run_rate = (
        pl.when(pl.lit(rest == 0))
        .then(0.0)
        # the residual (consultants, arvoden: what the register does not explain) at its median
        # month: a January without last December's lagged invoices is not its pace
        .when(placement_line)
        .then(pl.col("residual_median_tkr").fill_null(pl.col("residual_tkr") / month) * rest)
        .when(staff_line)
        .then(pl.col("staff_rest_tkr").fill_null(0.0))
        .when(method == "budget")
        .then(pl.col("budget_rest_tkr"))
        # takt of a line paid once a quarter: the payments so far × 4 (see lumpy_lines); of
        # another lumpy line: the budget of the months left (a lump is not a pace)
        .when(pl.col("payments").is_not_null())
        .then(pl.col("actual_tkr") / pl.col("payments") * 4 - pl.col("actual_tkr"))
        .when(pl.col("lumpy").fill_null(False))
        .then(pl.col("budget_rest_tkr"))
        # takt: the median month of 1..M is the pace (a July dip or a January without last
        # December's invoices is not); utfall / M where a month has no row
        .otherwise(pl.col("median_month_tkr").fill_null(pl.col("actual_tkr") / month) * rest)
    )
    has_placements = (pl.col("placements_booked_tkr") != 0) | (pl.col("commitments_tkr") != 0) | (
        pl.col("new_placements_tkr") != 0
    )
    label = (
        pl.when(placement_line & has_placements)
        .then(pl.lit("åtaganden + nya placeringar + takt för övrigt"))
        .when(staff_line)
        .then(pl.lit("takt ") + pl.col("profile").fill_null("jämn profil"))
        .when(method == "budget")
        .then(pl.lit("budgetprofil"))
        .when(pl.col("payments").is_not_null())
        .then(pl.lit("takt per kvartalsbetalning"))
        .when(pl.col("lumpy").fill_null(False))
        .then(pl.lit("budgetprofil (ojämn rad)"))
        .otherwise(pl.lit("takt"))
    )
    return (
        df.with_columns(run_rate_tkr=run_rate, method=label)
        .with_columns(
            model_tkr=pl.col("actual_tkr")
            + pl.col("commitments_tkr")
            + pl.col("expected_endings_tkr")
            + pl.col("new_placements_tkr")
            + pl.col("run_rate_tkr")
        )
        .join(
            staffing_drivers(staffing, year, month).with_columns(
                cost_type=pl.lit(params.staff_cost_types[0] if params.staff_cost_types else "")
            ),
            on=LINE_KEY,
            how="left",
        )
        .with_columns(year=pl.lit(year, pl.Int32), month=pl.lit(month, pl.Int32))
        .pipe(sort_lines)
        .select(
            "year",
            "month",
            *LINE_KEY,
            "method",
            "budget_tkr",
            "actual_tkr",
            "placements_booked_tkr",
            "residual_tkr",
            "budget_rest_tkr",
            *COMPONENTS,
            "model_tkr",
            "budgeted_fte",
            "filled_fte",
            "vacancies",
            "consultant_fte",
        )
    )


def sort_lines(lines: pl.DataFrame) -> pl.DataFrame:
    """Units alphabetically, cost lines before income lines in the contract's order."""
    order = pl.col("cost_type").replace_strict(
        {ct: i for i, ct in enumerate(ALL_COST_TYPES)}, default=len(ALL_COST_TYPES), return_dtype=pl.Int32
    )
    return lines.sort("unit", order, "cost_type")


# -- adjustments and the contract's table ----------------------------------------------------
def with_adjustments(lines: pl.DataFrame, adjustments: pl.DataFrame, month: int) -> pl.DataFrame:
    """The lines with adjustment_tkr (Σ of the chef's adjustments) and prognos_tkr = model + adj.

    `adjustments` has unit, cost_type, amount_tkr (in the line's own direction: +100 on a cost
    line = 100 tkr more cost; on an income line = 100 tkr more income). At M = 12 the year is
    utfall and adjustments are not applied. A line with only an adjustment gets a row.
    """
    adj = (
        adjustments.group_by(LINE_KEY).agg(adjustment_tkr=pl.col("amount_tkr").cast(pl.Float64).sum())
        if month < 12 and adjustments.height
        else pl.DataFrame(schema={"unit": pl.String, "cost_type": pl.String, "adjustment_tkr": pl.Float64})
    )
    num = [c for c, t in lines.schema.items() if t == pl.Float64 and c not in ("budgeted_fte", "filled_fte", "vacancies", "consultant_fte")]
    out = lines.join(adj, on=list(LINE_KEY), how="full", coalesce=True)
    year = lines["year"][0] if lines.height else None
    return out.with_columns(
        pl.col(num).fill_null(0.0),
        pl.col("adjustment_tkr").fill_null(0.0),
        pl.col("method").fill_null("endast justering"),
        year=pl.lit(year, pl.Int32),
        month=pl.lit(month, pl.Int32),
    ).with_columns(prognos_tkr=pl.col("model_tkr") + pl.col("adjustment_tkr")).pipe(sort_lines)


PROGNOS_COLUMNS = ("enhet", "kostnadsslag", "budget_tkr", "utfall_tkr", "prognos_tkr", "avvikelse_tkr")
_MONEY = (
    "budget_tkr",
    "actual_tkr",
    "prognos_tkr",
    "model_tkr",
    "adjustment_tkr",
    "placements_booked_tkr",
    *COMPONENTS,
)
_FTE = ("budgeted_fte", "filled_fte", "vacancies", "consultant_fte")


def prognos_table(lines: pl.DataFrame, unit: str | None = None, interval: pl.DataFrame | None = None) -> pl.DataFrame:
    """One row per enhet × kostnadsslag, then Netto per enhet, then the same for `IoF totalt`.

    Columns: the contract's six, then modell_tkr, justering_tkr, the model's parts and the staff
    drivers (on Personalkostnader). Netto rows are kostnader − intäkter; avvikelse is positive
    when favourable (cost: budget − prognos; income: prognos − budget; Netto: budget − prognos).
    With `interval` (Forecast.interval), Netto rows get intervall_låg_tkr and intervall_hög_tkr:
    the 80 % interval of the full-year Netto around prognos_tkr.
    """
    lines = lines.filter(pl.col("unit") == unit) if unit is not None else lines
    lines = lines.filter(pl.col("cost_type") != NET)
    total = (
        lines.group_by("cost_type")
        .agg(*[pl.col(c).sum() for c in _MONEY], *[pl.col(c).sum() for c in _FTE], pl.col("method").first())
        .with_columns(unit=pl.lit(IOF_TOTAL))
    )
    # IoF totalt's FTE are a sum only where some unit has them
    per = pl.concat([lines.select("unit", "cost_type", "method", *_MONEY, *_FTE), total.select(
        "unit", "cost_type", "method", *_MONEY, *[pl.when(pl.col(c) != 0).then(pl.col(c)) for c in _FTE]
    )], how="vertical_relaxed")
    net = (
        per.group_by("unit")
        .agg(*[(pl.col(c) * net_sign()).sum() for c in _MONEY])
        .with_columns(cost_type=pl.lit(NET), method=pl.lit(None, pl.String))
    )
    income = pl.col("cost_type").is_in(list(INCOME_TYPES))
    order_ct = pl.col("cost_type").replace_strict(
        {ct: i for i, ct in enumerate(ALL_COST_TYPES)} | {NET: 99}, default=50, return_dtype=pl.Int32
    )
    order_unit = (pl.col("unit") == IOF_TOTAL).cast(pl.Int32)
    table = (
        pl.concat([per, net], how="diagonal_relaxed")
        .with_columns(
            avvikelse_tkr=pl.when(income)
            .then(pl.col("prognos_tkr") - pl.col("budget_tkr"))
            .otherwise(pl.col("budget_tkr") - pl.col("prognos_tkr"))
        )
        .sort(order_unit, "unit", order_ct, "cost_type")
        .select(
            enhet="unit",
            kostnadsslag="cost_type",
            budget_tkr="budget_tkr",
            utfall_tkr="actual_tkr",
            prognos_tkr="prognos_tkr",
            avvikelse_tkr="avvikelse_tkr",
            modell_tkr="model_tkr",
            justering_tkr="adjustment_tkr",
            placeringar_bokade_tkr="placements_booked_tkr",
            åtaganden_tkr="commitments_tkr",
            förväntade_avslut_tkr="expected_endings_tkr",
            nya_placeringar_tkr="new_placements_tkr",
            takt_tkr="run_rate_tkr",
            metod="method",
            budgeterade_åa="budgeted_fte",
            bemannade_åa="filled_fte",
            vakanta_tjänster="vacancies",
            konsulter_åa="consultant_fte",
        )
    )
    if interval is None:
        return table
    band = interval.select(
        enhet="unit", kostnadsslag=pl.lit(NET), _lo="interval_low_tkr", _hi="interval_high_tkr"
    )
    if unit is not None:
        # the table's "IoF totalt" is then this unit's sum: its band is the unit's, not all of IoF's
        # (IoF's offsets around one unit's prognosis read 5 777–6 701 for a 6 239 unit)
        band = pl.concat([band.filter(pl.col("enhet") == unit),
                          band.filter(pl.col("enhet") == unit).with_columns(enhet=pl.lit(IOF_TOTAL))])
    return (
        table.join(band, on=["enhet", "kostnadsslag"], how="left", maintain_order="left")
        .with_columns(
            intervall_låg_tkr=pl.col("prognos_tkr") + pl.col("_lo"),
            intervall_hög_tkr=pl.col("prognos_tkr") + pl.col("_hi"),
        )
        .drop("_lo", "_hi")
    )


def net_by_unit(lines: pl.DataFrame, column: str = "prognos_tkr") -> pl.DataFrame:
    """One row per unit: the Netto (kostnader − intäkter) of `column`."""
    return lines.group_by("unit").agg((pl.col(column) * net_sign()).sum().alias(column)).sort("unit")

