"""The bridge: drivers add up to the change; hand-checked drivers; random inputs."""

from datetime import date, timedelta

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iof.compute.bridge import DRIVERS, bridge
from iof.compute.forecast import Forecast, forecast, with_adjustments

from .test_forecast import ACTUAL, BUDGET, ENTR, PERS, STAFFING, TWO, UNIT, ledger, params, placements

ADJ0 = pl.DataFrame(schema={"unit": pl.String, "cost_type": pl.String, "amount_tkr": pl.Float64})


def fc(register, actual, month, adj=ADJ0, p=None):
    f = forecast(BUDGET, actual, register, STAFFING, 2025, month, p or params())
    return Forecast(f.year, f.month, with_adjustments(f.lines, adj, month), f.placements, f.intake)


def row(table, unit):
    return table.filter(pl.col("enhet") == unit).row(0, named=True)


def test_bridge_by_hand():
    # April: P1 (HVB 4 000 kr, planned end 30 Jun) and P2 (familjehem 2 000 kr, ongoing).
    # May: P1 broke down on 10 May (Sammanbrott); the child went to SiS (P3, 9 000 kr) on 11 May
    # with planned end 10 Aug; P2's dygnskostnad rose to 2 100 kr; an adjustment of −100 tkr.
    may_reg = placements(
        [
            ("P1", "B1", UNIT, "HVB", date(2025, 1, 1), date(2025, 5, 10), date(2025, 6, 30), 4000.0, "Sammanbrott"),
            ("P2", "B2", UNIT, "Familjehem konsulentstött", date(2024, 5, 1), None, None, 2100.0, None),
            ("P3", "B1", UNIT, "HVB", date(2025, 5, 11), None, date(2025, 8, 10), 9000.0, None),
        ]
    )
    may_actual = pl.concat([ACTUAL, ledger([(2025, 5, UNIT, ENTR, (4000 * 10 + 9000 * 21 + 2100 * 31) / 1000 + 10),
                                             (2025, 5, UNIT, PERS, 500.0)])])
    adj = pl.DataFrame({"unit": [UNIT], "cost_type": [ENTR], "amount_tkr": [-100.0]})
    april, may = fc(TWO, ACTUAL, 4), fc(may_reg, may_actual, 5, adj)
    b = bridge(april, may, params())
    r = row(b, UNIT)
    # P3 followed P1's sammanbrott: 11 May–10 Aug = 92 days × 9 000 kr
    assert r["efter_sammanbrott_tkr"] == pytest.approx(92 * 9.0)
    assert r["nya_placeringar_tkr"] == 0.0
    # P1 ended 10 May instead of 30 Jun: 51 days fewer × 4 000 kr
    assert r["avslutade_placeringar_tkr"] == pytest.approx(-51 * 4.0)
    # P2: +100 kr × its 365 days in 2025
    assert r["ändrad_dygnskostnad_tkr"] == pytest.approx(365 * 0.1)
    assert r["justeringar_tkr"] == pytest.approx(-100.0)
    assert sum(r[d] for d in DRIVERS) == pytest.approx(r["förändring_tkr"], abs=1e-9)
    assert r["förändring_tkr"] == pytest.approx(r["prognos_ny_tkr"] - r["prognos_föregående_tkr"])
    t = row(b, "IoF totalt")
    assert t["förändring_tkr"] == pytest.approx(r["förändring_tkr"])


D0 = date(2024, 3, 1)
FORMS = ["HVB", "Familjehem konsulentstött", "Familjehem egen regi"]


@st.composite
def scenario(draw):
    month = draw(st.integers(2, 12))
    asof_prev = date(2025, month - 1, 28)
    n = draw(st.integers(0, 6))
    rows = []
    for i in range(n):
        start = D0 + timedelta(days=draw(st.integers(0, (asof_prev - D0).days)))
        end = draw(st.one_of(st.none(), st.integers(0, 400).map(lambda k: start + timedelta(days=k))))
        planned = draw(st.one_of(st.none(), st.integers(0, 400).map(lambda k: start + timedelta(days=k))))
        reason = "Sammanbrott" if end is not None and draw(st.booleans()) else None
        rows.append([f"P{i}", f"B{draw(st.integers(0, 3))}", draw(st.sampled_from(["A", "B"])),
                     draw(st.sampled_from(FORMS)), start, end, planned, float(draw(st.integers(300, 9000))), reason])
    prev = placements([tuple(r) for r in rows])
    # this month: some costs and planned ends change, some rows vanish, new ones arrive
    curr_rows = []
    for r in rows:
        if draw(st.integers(0, 9)) == 0:
            continue
        r = list(r)
        if draw(st.booleans()):
            r[7] = float(draw(st.integers(300, 9000)))
        if draw(st.booleans()):
            r[6] = r[4] + timedelta(days=draw(st.integers(0, 500)))
        curr_rows.append(tuple(r))
    for j in range(draw(st.integers(0, 3))):
        start = date(2025, month, 1) - timedelta(days=draw(st.integers(0, 40)))
        curr_rows.append((f"N{j}", f"B{draw(st.integers(0, 3))}", draw(st.sampled_from(["A", "B", "C"])),
                          draw(st.sampled_from(FORMS)), start, None, None, float(draw(st.integers(300, 9000))), None))
    curr = placements(curr_rows)
    money = st.floats(-500, 5000, allow_nan=False)
    cts = [ENTR, PERS, "Övriga kostnader", "Lokalkostnader", "Bidrag och ersättningar"]
    actual = ledger([(y, m, u, ct, draw(money)) for y in (2024, 2025) for m in range(1, 13)
                     for u in ("A", "B") for ct in cts if draw(st.integers(0, 3)) > 0])
    def adj():
        k = draw(st.integers(0, 3))
        return pl.DataFrame({"unit": [draw(st.sampled_from(["A", "B", "C"])) for _ in range(k)],
                             "cost_type": [draw(st.sampled_from(cts)) for _ in range(k)],
                             "amount_tkr": [draw(money) for _ in range(k)]},
                            schema=ADJ0.schema)
    return month, prev, curr, actual, adj(), adj()


@settings(max_examples=120, deadline=None, print_blob=True)
@given(scenario())
def test_bridge_adds_up_to_the_change_for_random_inputs(s):
    month, prev_reg, curr_reg, actual, adj0, adj1 = s
    a = fc(prev_reg, actual, month - 1, adj0)
    b = fc(curr_reg, actual, month, adj1)
    out = bridge(a, b, params(), curr_reg)
    for r in out.iter_rows(named=True):
        assert sum(r[d] for d in DRIVERS) == pytest.approx(r["förändring_tkr"], abs=1e-6)
        assert r["förändring_tkr"] == pytest.approx(r["prognos_ny_tkr"] - r["prognos_föregående_tkr"], abs=1e-6)


def test_dashboard_labels_every_bridge_driver():
    # the waterfall and the analysis text draw one bar per labelled driver: all must be there
    from iof.present.dashboard import DRIVER_LABELS

    assert set(DRIVER_LABELS) == set(DRIVERS)


def test_overrun_days_are_not_a_changed_planned_end():
    # J stays in jourhem past its planned end (31 Mar): May's 31 days were expected, not committed.
    reg = placements([("J", "BJ", UNIT, "HVB", date(2025, 1, 1), None, date(2025, 3, 31), 3000.0, None)])
    april, may = fc(reg, ACTUAL, 4), fc(reg, ACTUAL, 5)
    r = row(bridge(april, may, params()), UNIT)
    assert r["ändrat_planerat_slut_tkr"] == 0.0
    assert r["avslutade_placeringar_tkr"] == 0.0
    # with no endings observed the rate is 0: expected to stay to 31 Dec in both months, so the
    # realised 31 days and the smaller expected remainder cancel exactly
    assert r["förväntade_avslut_tkr"] == pytest.approx(0.0, abs=1e-9)
    assert sum(r[d] for d in DRIVERS) == pytest.approx(r["förändring_tkr"], abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(scenario())
def test_december_equals_utfall_exactly_for_random_inputs(s):
    _, _, curr_reg, actual, _, adj = s
    lines = fc(curr_reg, actual, 12, adj).lines
    booked = actual.filter(pl.col("year") == 2025).group_by("unit", "cost_type").agg(pl.col("amount_tkr").sum())
    got = lines.join(booked, on=["unit", "cost_type"], how="left").with_columns(pl.col("amount_tkr").fill_null(0.0))
    assert (got["prognos_tkr"] == got["actual_tkr"]).all()  # exactly: nothing is added in December
    assert got["prognos_tkr"].to_list() == pytest.approx(got["amount_tkr"].to_list(), abs=1e-9)
