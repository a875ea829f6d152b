"""Swedish number formats, checked character by character."""

from iof import fmt

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
