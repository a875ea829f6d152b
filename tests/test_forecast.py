"""Hand-computed prognosis cases a reader can check with a calculator."""

from datetime import date

import polars as pl
import pytest

from iof.compute.forecast import ForecastParams, expected_cost_days, forecast, prognos_table, with_adjustments

UNIT = "Familjehemsenheten"
ENTR = "Entreprenader och köp av verksamhet"
PERS = "Personalkostnader"
BIDR = "Bidrag och ersättningar"


def params(**kw) -> ForecastParams:
    return ForecastParams(
        booking={"HVB": ENTR, "Familjehem konsulentstött": ENTR, "Familjehem egen regi": "Övriga kostnader"},
        methods={BIDR: "budget"},
        **kw,
    )


def placements(rows) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema={
            "placement_id": pl.String,
            "child_id": pl.String,
            "unit": pl.String,
            "placement_type": pl.String,
            "start_date": pl.Date,
            "end_date": pl.Date,
            "planned_end_date": pl.Date,
            "daily_cost_kr": pl.Float64,
            "end_reason": pl.String,
        },
        orient="row",
    )


def ledger(rows) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema={"year": pl.Int32, "month": pl.Int32, "unit": pl.String, "cost_type": pl.String, "amount_tkr": pl.Float64},
        orient="row",
    )


STAFFING = pl.DataFrame(
    schema={"year": pl.Int32, "month": pl.Int32, "unit": pl.String, "budgeted_fte": pl.Float64,
            "filled_fte": pl.Float64, "vacancies": pl.Float64, "consultant_fte": pl.Float64}
)

# Two placements:
#   P1 HVB from 2025-01-01, planned end 2025-06-30, 4 000 kr/dygn
#   P2 Familjehem konsulentstött from 2024-05-01, ongoing, no planned end, 2 000 kr/dygn
TWO = placements(
    [
        ("P1", "B1", UNIT, "HVB", date(2025, 1, 1), None, date(2025, 6, 30), 4000.0, None),
        ("P2", "B2", UNIT, "Familjehem konsulentstött", date(2024, 5, 1), None, None, 2000.0, None),
    ]
)
# Utfall Jan–Apr 2025: placements' own cost (P1 4 000 kr × 31/28/31/30 days, P2 2 000 kr × same)
# plus 10 tkr a month of other purchases; staff 500 tkr a month (and 500 every month of 2024);
# a grant of 50 tkr in March.
DAYS = {1: 31, 2: 28, 3: 31, 4: 30}
ACTUAL = ledger(
    [(2025, m, UNIT, ENTR, (4000 + 2000) * d / 1000 + 10) for m, d in DAYS.items()]
    + [(2025, m, UNIT, PERS, 500.0) for m in DAYS]
    + [(2024, m, UNIT, PERS, 500.0) for m in range(1, 13)]
    + [(2025, 3, UNIT, BIDR, 50.0)]
)
BUDGET = ledger([(2025, None, UNIT, ENTR, 2000.0), (2025, None, UNIT, PERS, 6000.0), (2025, None, UNIT, BIDR, 120.0)])


def line(lines, ct):
    return lines.filter(pl.col("cost_type") == ct).row(0, named=True)


def test_two_placements_and_flat_staff_by_hand():
    fc = forecast(BUDGET, ACTUAL, TWO, STAFFING, 2025, 4, params())
    e = line(fc.lines, ENTR)
    # utfall Jan–Apr: 120 days × 6 000 kr = 720 tkr + 4 × 10 tkr = 760 tkr
    assert e["actual_tkr"] == pytest.approx(760.0)
    assert e["placements_booked_tkr"] == pytest.approx(720.0)
    # commitments from 1 May: P1 to 30 Jun = 61 days × 4 000 = 244 tkr;
    #                          P2 to 31 Dec = 245 days × 2 000 = 490 tkr
    assert e["commitments_tkr"] == pytest.approx(244.0 + 490.0)
    # expected new: each form started once in the last 12 months (365 days) and none has ended,
    # so a new one stays to 31 Dec: 245² / 2 / 365 = 82.2260... expected days
    exp_days = 245 * 245 / 2 / 365
    assert e["new_placements_tkr"] == pytest.approx(exp_days * 4000 / 1000 + exp_days * 2000 / 1000)
    # residual 40 tkr in 4 months → 8 more months at 10 tkr = 80 tkr
    assert e["run_rate_tkr"] == pytest.approx(80.0)
    assert e["model_tkr"] == pytest.approx(760 + 734 + exp_days * 6 + 80)  # 2 067.356 tkr

    s = line(fc.lines, PERS)
    # flat prior year → level 1 500 / (3/12) = 6 000; 8 months left = 4 000; 2 000 + 4 000
    assert s["model_tkr"] == pytest.approx(6000.0)

    b = line(fc.lines, BIDR)
    # income by budget profile: 50 booked + 120 × 8/12 = 130
    assert b["model_tkr"] == pytest.approx(130.0)

    table = prognos_table(with_adjustments(fc.lines, pl.DataFrame(), 4))
    assert table.columns[:6] == ["enhet", "kostnadsslag", "budget_tkr", "utfall_tkr", "prognos_tkr", "avvikelse_tkr"]
    net = table.filter((pl.col("enhet") == UNIT) & (pl.col("kostnadsslag") == "Netto")).row(0, named=True)
    assert net["prognos_tkr"] == pytest.approx(760 + 734 + exp_days * 6 + 80 + 6000 - 130)
    assert net["budget_tkr"] == pytest.approx(2000 + 6000 - 120)
    assert net["avvikelse_tkr"] == pytest.approx(7880 - net["prognos_tkr"])  # ≈ −57.36, a deficit
    inc = table.filter((pl.col("enhet") == UNIT) & (pl.col("kostnadsslag") == BIDR)).row(0, named=True)
    assert inc["avvikelse_tkr"] == pytest.approx(10.0)  # more income than budget = favourable
    assert table["enhet"].to_list()[-1] == "IoF totalt"
    assert table["kostnadsslag"].to_list()[-1] == "Netto"


def test_expected_cost_days_formula():
    # rate 1 a day, 10 days left: a long stay gives 10²/2 = 50 days; length 4 gives 4·10 − 8 = 32
    assert expected_cost_days(1.0, None, 10) == 50.0
    assert expected_cost_days(1.0, 4.0, 10) == 32.0
    assert expected_cost_days(1.0, 12.0, 10) == 50.0
    assert expected_cost_days(0.5, 4.0, 0) == 0.0


def test_month_12_equals_utfall_exactly():
    full = ledger(
        [(2025, m, UNIT, ENTR, 123.456 + m / 7) for m in range(1, 13)]
        + [(2025, m, UNIT, PERS, 500.1 + m) for m in range(1, 13)]
        + [(2025, m, UNIT, BIDR, 3.3) for m in (3, 9)]
    )
    fc = forecast(BUDGET, full, TWO, STAFFING, 2025, 12, params())
    adj = pl.DataFrame({"unit": [UNIT], "cost_type": [ENTR], "amount_tkr": [999.0]})
    lines = with_adjustments(fc.lines, adj, 12)
    for row in lines.iter_rows(named=True):
        assert row["prognos_tkr"] == row["actual_tkr"]  # exactly, no tolerance
    table = prognos_table(lines)
    assert (table["prognos_tkr"] == table["utfall_tkr"]).all()


def test_adjustments_add_exactly_and_are_shown_apart():
    fc = forecast(BUDGET, ACTUAL, TWO, STAFFING, 2025, 4, params())
    adj = pl.DataFrame(
        {
            "unit": [UNIT, UNIT, UNIT, "Barn och ungdom"],
            "cost_type": [ENTR, ENTR, BIDR, "Övriga kostnader"],
            "amount_tkr": [300.0, -125.5, 40.0, 12.0],
        }
    )
    lines = with_adjustments(fc.lines, adj, 4)
    e = line(lines, ENTR)
    assert e["adjustment_tkr"] == 174.5
    assert e["prognos_tkr"] == e["model_tkr"] + 174.5
    assert line(lines, BIDR)["prognos_tkr"] == line(fc.lines, BIDR)["model_tkr"] + 40.0
    # a line that only has an adjustment appears, with a zero model
    only = lines.filter(pl.col("unit") == "Barn och ungdom").row(0, named=True)
    assert (only["model_tkr"], only["adjustment_tkr"], only["prognos_tkr"]) == (0.0, 12.0, 12.0)
    table = prognos_table(lines)
    net = table.filter((pl.col("enhet") == UNIT) & (pl.col("kostnadsslag") == "Netto")).row(0, named=True)
    # income adjustment lowers Netto: +174.5 − 40
    assert net["justering_tkr"] == pytest.approx(134.5)
    assert net["prognos_tkr"] == pytest.approx(net["modell_tkr"] + 134.5)


def test_as_of_uses_only_what_was_known():
    # P3 starts in May: unknown at the end of April, so the April prognosis does not change.
    later = pl.concat([TWO, placements([("P3", "B3", UNIT, "HVB", date(2025, 5, 10), None, None, 9000.0, None)])])
    a = forecast(BUDGET, ACTUAL, TWO, STAFFING, 2025, 4, params()).lines
    b = forecast(BUDGET, ACTUAL, later, STAFFING, 2025, 4, params()).lines
    assert a.equals(b)


def test_expected_endings_by_hand():
    # Nätverkshem: one placement ended after 100 care days in the window (hazard 1/100 per day... plus
    # the open one's days). P1 open-ended from 2025-01-01, 1 000 kr/dygn; P0 1 Jan–10 Apr 2025 ended.
    reg = placements(
        [
            ("P0", "B0", UNIT, "Nätverkshem", date(2025, 1, 1), date(2025, 4, 10), None, 500.0, "Planerad"),
            ("P1", "B1", UNIT, "Nätverkshem", date(2025, 1, 1), None, None, 1000.0, None),
        ]
    )
    p = ForecastParams(booking={"Nätverkshem": "Övriga kostnader"})
    fc = forecast(BUDGET, ACTUAL, reg, STAFFING, 2025, 4, p)
    # care days in the last 3 years: P0 100 + P1 120 = 220; one ending → h = 1/220 per day
    h = 1 / 220
    import math

    expected = (1 - math.exp(-h * 245)) / h  # ≈ 150.2 of the 245 committed days
    row = fc.placements.filter(pl.col("placement_id") == "P1").row(0, named=True)
    assert row["remaining_days"] == 245
    assert row["expected_days"] == pytest.approx(expected)
    assert row["expected_endings_tkr"] == pytest.approx((expected - 245) * 1.0)
    line_ = fc.lines.filter(pl.col("cost_type") == "Övriga kostnader").row(0, named=True)
    assert line_["expected_endings_tkr"] == pytest.approx((expected - 245) * 1.0)
    # intake: 2 starts in 365 days, mean length 100 days (P0), mean cost 750 kr, 245 days left:
    # 2/365 × (100 × 245 − 100²/2) expected days
    new = fc.intake.row(0, named=True)
    assert new["expected_days"] == pytest.approx(expected_cost_days(2 / 365, 100.0, 245))
    assert new["expected_days"] == pytest.approx(2 / 365 * (100 * 245 - 100 * 100 / 2))
    assert new["new_placements_tkr"] == pytest.approx(2 / 365 * (100 * 245 - 5000) * 0.75)
    off = forecast(BUDGET, ACTUAL, reg, STAFFING, 2025, 4, ForecastParams(booking=p.booking, expected_endings=False))
    assert off.lines.filter(pl.col("cost_type") == "Övriga kostnader")["expected_endings_tkr"][0] == 0.0


def test_early_ending_rate_by_hand():
    from iof.compute.forecast import ending_hazards

    reg = placements(
        [
            # ended 28 Feb, four months before its planned end: 59 care days, one early ending
            ("P0", "B0", UNIT, "HVB", date(2025, 1, 1), date(2025, 2, 28), date(2025, 6, 30), 4000.0, "Sammanbrott"),
            # still placed, planned end 30 Sep: 120 care days before its planned end so far
            ("P1", "B1", UNIT, "HVB", date(2025, 1, 1), None, date(2025, 9, 30), 4000.0, None),
        ]
    )
    hz = ending_hazards(reg, 2025, 4, ForecastParams(booking={"HVB": ENTR})).row(0, named=True)
    assert hz["hazard"] == pytest.approx(1 / (59 + 120))
    assert hz["early_hazard"] == pytest.approx(1 / (59 + 120))
    p = ForecastParams(booking={"HVB": ENTR}, early_endings=True)
    row = forecast(BUDGET, ACTUAL, reg, STAFFING, 2025, 4, p).placements.filter(pl.col("placement_id") == "P1").row(0, named=True)
    h = 1 / 179
    import math

    assert row["remaining_days"] == 153  # 1 May – 30 Sep
    assert row["expected_days"] == pytest.approx((1 - math.exp(-h * 153)) / h)
