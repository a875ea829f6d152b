"""Swedish number formats, checked character by character."""

from hypothesis import given, settings, strategies as st

from iof.present import fmt

NB, MINUS = "\u00a0", "\u2212"


def test_tkr_and_mnkr():
    assert fmt.tkr(1234.5) == f"1{NB}234,5{NB}tkr"
    assert fmt.mnkr(-2345.0) == f"{MINUS}2,3{NB}mnkr"
    assert fmt.tkr(-0.04) == f"0,0{NB}tkr"  # never "−0,0"
    assert fmt.number(1234567.89, 1) == f"1{NB}234{NB}567,9"
    assert fmt.signed(1500.0, "mnkr") == f"+1,5{NB}mnkr"
    assert fmt.signed(-12.0) == f"{MINUS}12,0{NB}tkr"


def test_pct_count_and_suppression():
    assert fmt.pct(12.345) == f"12,3{NB}%"
    assert fmt.count(3, threshold=5) == "<5"
    assert fmt.count(0, threshold=5) == "0"
    assert fmt.count(5, threshold=5) == "5"
    assert fmt.count(1234) == f"1{NB}234"


def test_months():
    assert fmt.year_month(2025, 3) == "mars 2025"
    assert fmt.month_name(12) == "december"


def test_parse_number_as_typed():
    assert fmt.parse_number("1 000") == 1000.0
    assert fmt.parse_number("\u2212250,5") == -250.5
    assert fmt.parse_number("-250.5") == -250.5
    assert fmt.parse_number("1.000,5") is None
    assert fmt.parse_number("tio") is None


def test_display_columns_are_formatted_outside_polars():
    import polars as pl

    frame = pl.DataFrame({"a": [1234.5, None, -2.0]})
    shown = fmt.finish(frame.select(Belopp=fmt.text(fmt.tkr, "a"), Rå="a"))
    assert shown["Belopp"].to_list() == [f"1{NB}234,5{NB}tkr", "–", f"{MINUS}2,0{NB}tkr"]
    assert shown["Rå"].to_list() == [1234.5, None, -2.0]
    empty = fmt.finish(frame.clear().select(Belopp=fmt.text(fmt.tkr, "a")))
    assert empty.schema["Belopp"] == pl.String and empty.height == 0


def test_no_python_callbacks_inside_polars_in_the_package():
    """map_elements/map_batches deadlock under concurrent Streamlit sessions (see iof.fmt.text)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    offenders = [
        f"{p.relative_to(root)}:{i}"
        for p in [*(root / "iof").rglob("*.py"), *(root / "pages").glob("*.py")]
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\.(map_elements|map_batches|map_rows)\(", line)
    ]
    assert offenders == []


def test_signed_pct_keeps_the_sign():
    from iof.present import fmt

    assert fmt.signed_pct(3.25) == "+3,2\u00a0%" or fmt.signed_pct(3.25) == "+3,3\u00a0%"
    assert fmt.signed_pct(-1.0) == "\u22121,0\u00a0%"
    assert fmt.signed_pct(0.0) == "0,0\u00a0%"
    assert fmt.signed_pct(None) == "–"


def test_swedish_date_and_time_in_running_text():
    from datetime import date, datetime

    from iof.present import fmt

    assert fmt.date_text(date(2026, 12, 2)) == "2 december 2026"
    assert fmt.when(datetime(2026, 3, 5, 9, 7)) == "5 mars 2026 kl. 09.07"


def test_accuracy_table_keeps_the_sign_of_the_error():
    import polars as pl

    from iof.present.accuracy import accuracy_display

    acc = pl.DataFrame({"enhet": ["A", "A"], "månad": [1, 2], "prognos_tkr": [90.0, 110.0],
                        "utfall_helår_tkr": [100.0, 100.0], "fel_tkr": [-10.0, 10.0], "fel_pct": [10.0, 10.0],
                        "källa": ["fryst", "fryst"]})
    assert accuracy_display(acc)["Fel %"].to_list() == ["\u221210,0\u00a0%", "+10,0\u00a0%"]


# -- rounding as a person (and Excel) rounds: half away from zero on the number as written -----------
def test_halves_round_away_from_zero():
    from iof.present import fmt

    assert fmt.mnkr(-250.0) == "\u22120,3\u00a0mnkr"  # Python's round(): −0,2
    assert fmt.mnkr(250.0) == "0,3\u00a0mnkr"
    assert fmt.number(2.5) == "3" and fmt.number(-2.5) == "\u22123" and fmt.number(0.5) == "1"
    assert fmt.number(1.005, 2) == "1,01"  # as written, not the binary 1.00499999…
    assert fmt.signed(50.0, "mnkr") == "+0,1\u00a0mnkr"  # the sign follows the shown figure
    assert fmt.amount(99.5) == "100\u00a0tkr" or fmt.amount(99.5) == "0,1\u00a0mnkr"


@settings(max_examples=2000, deadline=None)
@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=3), st.booleans())
def test_a_written_half_always_rounds_away_from_zero(k, decimals, negative):
    """±(k·10 + 5)·10^-(d+1) (e.g. 12,345 at two decimals) shows the half-up figure: 12,35."""
    from decimal import ROUND_HALF_UP, Decimal

    written = Decimal(k * 10 + 5).scaleb(-(decimals + 1)) * (-1 if negative else 1)
    expected = written.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    shown = fmt.number(float(written), decimals).replace("\u2212", "-").replace("\u00a0", "").replace(",", ".")
    assert Decimal(shown) == expected
