"""What-if: the effect on the year's prognosis of moving N children from konsulentstött jour-/
familjehem to egen regi from a given date.

The N children moved are the placements of the form, active at the end of month M, with the
most days left after the move date (the long stays a move is realistic for; ties by the higher
dygnskostnad). Days left are counted as the prognosis counts them: to a planned end still
ahead, else (no planned end, or past it) the expected days at the form's ending rate (see
`forecast.with_expected_endings`; exact days when that is switched off). From the move date (at
the earliest the day after M) those days cost the egen regi form's dygnskostnad instead: the observed mean of that
form's placements active at the end of M (when at least `min_antal` of them), else the configured
dygnskostnad in ["prognos".dygnskostnad_egen_regi]. Bought care leaves its kostnadsslag and the
cost of egen regi lands on the egen regi form's kostnadsslag, as configured.
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from iof.compute import intervals
from iof.compute.forecast import ForecastError, ForecastParams, ending_hazards, expected_remaining
from iof.core.domain import OWN_FORM
from iof.core.periods import month_end

def own_care_daily_cost(placements: pl.DataFrame, asof: date, form: str, params: ForecastParams) -> tuple[float, str]:
    """(dygnskostnad kr, source) for an egen regi form: observed mean or the configured value."""
    active = intervals.active_on(intervals.as_known_on(placements, asof), asof).filter(
        pl.col("placement_type") == form
    )
    if active.height >= params.own_care_min_count:
        return float(active["daily_cost_kr"].mean()), f"observerat medel av {active.height} placeringar"
    if form not in params.own_care_daily_cost_kr:
        raise ForecastError(f"Ingen dygnskostnad för {form} i konfigurationen och för få placeringar att mäta.")
    return params.own_care_daily_cost_kr[form], "konfigurerat värde"


def move_to_own_care(
    placements: pl.DataFrame,
    year: int,
    month: int,
    n: int,
    move_date: date,
    from_form: str,
    unit: str | None = None,
    params: ForecastParams | None = None,
) -> pl.DataFrame:
    """One row per moved placement: days moved (expected days may be fractional), dygnskostnad
    before and after, effect (tkr).

    effekt_tkr < 0 means the year's net cost goes down. kostnadsslag_från / _till say which lines
    of the prognosis move (−före on the first, +efter on the second).
    """
    params = params or ForecastParams.from_config()
    if from_form not in OWN_FORM:
        raise ForecastError(f"Flytt kan bara göras från {' eller '.join(OWN_FORM)}, inte {from_form!r}.")
    if n < 0:
        raise ForecastError("Antal barn kan inte vara negativt.")
    asof = month_end(year, month)
    to_form = OWN_FORM[from_form]
    after_cost, source = own_care_daily_cost(placements, asof, to_form, params)
    start = max(move_date, asof + timedelta(days=1))
    known = intervals.as_known_on(placements, asof)
    cands = intervals.active_on(known, asof).filter(pl.col("placement_type") == from_form)
    if unit is not None:
        cands = cands.filter(pl.col("unit") == unit)
    # Days after the move: committed days; a placement without a planned end ahead (open-ended
    # or past it) is expected to go on at its form's ending rate h, as in the prognosis:
    # P(still placed at the move) × (1 − e^(−h·R))/h.
    hz = ending_hazards(placements, year, month, params).select("placement_type", "hazard")
    open_ended = pl.col("planned_end_date").is_null() | (pl.col("planned_end_date") <= pl.lit(asof))
    to_year_end = (date(year, 12, 31) - start).days + 1
    wait = (start - asof).days - 1
    h = pl.col("hazard").fill_null(0.0)
    moved = (
        intervals.with_remaining(cands, start - timedelta(days=1))
        .join(hz, on="placement_type", how="left")
        .with_columns(
            dagar=pl.when(pl.lit(params.expected_endings) & open_ended)
            .then((-h * wait).exp() * expected_remaining(h, pl.lit(to_year_end)))
            .otherwise(pl.col("remaining_days").cast(pl.Float64))
        )
        .filter(pl.col("dagar") > 0)
        .sort(["dagar", "daily_cost_kr", "placement_id"], descending=[True, True, False])
        .head(n)
    )
    return moved.select(
        placerings_id="placement_id",
        enhet="unit",
        från_form=pl.lit(from_form),
        till_form=pl.lit(to_form),
        från_datum=pl.lit(start),
        dagar="dagar",
        dygnskostnad_före_kr="daily_cost_kr",
        dygnskostnad_efter_kr=pl.lit(after_cost),
        kostnadsslag_från=pl.lit(params.booking.get(from_form)),
        kostnadsslag_till=pl.lit(params.booking.get(to_form)),
        före_tkr=pl.col("dagar") * pl.col("daily_cost_kr") / 1000.0,
        efter_tkr=pl.col("dagar") * after_cost / 1000.0,
        källa_efter=pl.lit(source),
    ).with_columns(effekt_tkr=pl.col("efter_tkr") - pl.col("före_tkr"))


def effect_on_lines(moved: pl.DataFrame) -> pl.DataFrame:
    """One row per enhet × kostnadsslag: the change (tkr) to add to that line's prognosis."""
    if moved.is_empty():
        return pl.DataFrame(schema={"enhet": pl.String, "kostnadsslag": pl.String, "förändring_tkr": pl.Float64})
    out = pl.concat(
        [
            moved.select("enhet", kostnadsslag="kostnadsslag_från", förändring_tkr=-pl.col("före_tkr")),
            moved.select("enhet", kostnadsslag="kostnadsslag_till", förändring_tkr=pl.col("efter_tkr")),
        ]
    )
    return out.group_by("enhet", "kostnadsslag").agg(pl.col("förändring_tkr").sum()).sort("enhet", "kostnadsslag")
