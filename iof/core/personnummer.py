"""The one personnummer / samordningsnummer detector, used at every entrance.

Every imported cell (of every column, numeric ones before they are parsed), every adjustment
comment, every command-line argument and every file and sheet name goes through `contains`
(or its vectorised twin `polars_candidates` followed by `contains` on the few candidates).

What counts as a personnummer here (deliberately wider than the official format, because the
question is "could a reader take this for someone's number", not "is it well-formed"):

* the text is normalised first: Unicode NFKC (full-width and other compatibility digits become
  ASCII), every other decimal digit (Arabic-Indic, …) becomes its ASCII digit, invisible format
  characters and combining marks are dropped, and every separator — any space (NBSP, thin space,
  …), any dash (hyphen, en/em dash, U+2011, U+2212 minus, …), dot, comma, colon, slash, backslash,
  plus, underscore — becomes one separator (not the semicolon: it separates CSV cells);
* then 10 or 12 digits, optionally grouped as YY(YY) MM DD NNNN with up to three separators
  between the groups, not preceded or followed by another digit;
* whose date part is a real date (samordningsnummer: day + 60). The Luhn check digit is *not*
  required: a number with a wrong check digit is still rejected (a typo in a real number is
  still that person's number). `has_valid_checksum` reports it for tests and diagnostics.

The number rules (date, Luhn) come from python-stdnum (`stdnum.se.personnummer`, `stdnum.luhn`);
only the Unicode and separator normalisation is ours.
"""

from __future__ import annotations

import re
import unicodedata

import polars as pl
from stdnum import luhn
from stdnum.exceptions import ValidationError
from stdnum.se import personnummer as _stdnum_pnr

HIDDEN = "[dolt]"

# Characters that separate digit groups, besides every Unicode space (Z*), dash (Pd) and control
# character (Cc: tab, CR, LF): the ASCII ones people type, and minus signs that are not Pd.
_EXTRA_SEPARATORS = set(".,:/\\+_·•'\u2212\u2796\u02d7\u2044\u2215\u2236\u2010\u2011\u00ad~")
_SEP = " "  # every separator becomes this before matching


def _is_separator(ch: str) -> bool:
    if ch in _EXTRA_SEPARATORS:
        return True
    cat = unicodedata.category(ch)
    return cat[0] == "Z" or cat in ("Pd", "Cc")


def _normalise_map(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, the index it came from in `text`."""
    out: list[str] = []
    origin: list[int] = []
    for i, raw in enumerate(text):
        for ch in unicodedata.normalize("NFKC", raw):  # per character: positions map back
            if "0" <= ch <= "9":
                out.append(ch)
            else:
                cat = unicodedata.category(ch)
                if cat in ("Cf", "Mn", "Me"):  # zero-width space, soft hyphen, combining marks
                    continue
                if cat == "Nd":
                    out.append(str(unicodedata.decimal(ch)))
                elif _is_separator(ch):
                    out.append(_SEP)
                else:
                    out.append(ch)
            origin.append(i)
    return "".join(out), origin


def normalise(text: str) -> str:
    """NFKC; other decimal digits as ASCII; invisible marks dropped; every separator as ' '."""
    return _normalise_map(text)[0]


_S = r" {0,3}"
# Candidate starts: a digit not preceded by a digit (separators may precede it).
_START = re.compile(r"(?<![0-9])[0-9]")
_P12 = re.compile(rf"([0-9]{{4}}){_S}([0-9]{{2}}){_S}([0-9]{{2}}){_S}([0-9]{{4}})(?![0-9])")
_P10 = re.compile(rf"([0-9]{{2}}){_S}([0-9]{{2}}){_S}([0-9]{{2}}){_S}([0-9]{{4}})(?![0-9])")
# A 12-digit candidate must not be a 10-digit one preceded by a 2-digit group.
_P12_GROUPED_CENTURY = re.compile(rf"([0-9]{{2}}){_S}([0-9]{{2}}){_S}([0-9]{{2}}){_S}([0-9]{{2}}){_S}([0-9]{{4}})(?![0-9])")


def _date_ok(year: str, month: str, day: str) -> bool:
    """A real calendar date (samordningsnummer: day + 60), checked by python-stdnum."""
    d = int(day)
    if d > 60:
        d -= 60
    if len(year) == 2:
        # Century unknown: a 29 February is real if any century makes it a leap year.
        probe = f"20{year}" if int(year) % 4 == 0 else f"19{year}"
    else:
        probe = year
    try:
        _stdnum_pnr.get_birth_date(f"{probe}{month}{d:02d}-0000")
    except (ValidationError, ValueError):
        return False
    return True


_DATE_AFTER = re.compile(r"[0-9]{4} {1,3}([0-9]{2}) {1,3}([0-9]{2})(?![0-9])")


def _serial_starts_a_date(norm: str, serial_start: int) -> bool:
    """'2025-01-01 – 2025-03-31' is a date range, not 20250101-2025: the 'serial' begins a date."""
    m = _DATE_AFTER.match(norm, serial_start)
    return bool(m) and _date_ok(norm[serial_start:serial_start + 4], m.group(1), m.group(2))


def _spans(norm: str):
    """(start, end, digits) of every personnummer-shaped run in normalised text."""
    for start in _START.finditer(norm):
        pos = start.start()
        found = None
        for pat in (_P12_GROUPED_CENTURY, _P12):
            m = pat.match(norm, pos)
            if m:
                g = m.groups()
                year, month, day, serial = ("".join(g[:2]), g[2], g[3], g[4]) if len(g) == 5 else g
                if _date_ok(year, month, day) and not _serial_starts_a_date(norm, m.start(len(g))):
                    found = (m.start(), m.end(), year + month + day + g[-1])
                    break
        if found is None:
            m = _P10.match(norm, pos)
            if m:
                year, month, day, serial = m.groups()
                if _date_ok(year, month, day) and not _serial_starts_a_date(norm, m.start(4)):
                    found = (m.start(), m.end(), year + month + day + serial)
        if found:
            yield found


def contains(value: object) -> bool:
    """True if `value` (any text: a cell, a comment, a file name, an argument) contains something
    that looks like a personnummer or samordningsnummer in any form."""
    if value is None:
        return False
    text = str(value)
    if not any(ch.isdigit() or ord(ch) > 127 for ch in text):
        return False
    return next(_spans(normalise(text)), None) is not None


def has_valid_checksum(digits: str) -> bool:
    """Luhn over the last 10 digits (for tests and diagnostics; never needed to reject)."""
    return luhn.is_valid(digits[-10:])


def redact(text: str) -> str:
    """`text` with every personnummer shape replaced by `[dolt]` (for file names, log lines,
    user names); the rest of the text is kept as it was."""
    text = str(text)
    if not contains(text):
        return text
    norm, origin = _normalise_map(text)
    out, last = [], 0
    for start, end, _ in _spans(norm):
        a, b = origin[start], origin[end - 1] + 1
        if a < last:
            continue
        out.append(text[last:a])
        out.append(HIDDEN)
        last = b
    out.append(text[last:])
    return "".join(out)


def mask(value: object, limit: int = 40) -> str:
    """A value safe to echo in a message: `[dolt värde]` if it looks like a personnummer, and
    long values cut."""
    text = "" if value is None else str(value)
    if contains(text):
        return "[dolt värde]"
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------------------------
# Vectorised pre-filter for Polars (no Python callback inside Polars: those deadlocked the app
# under load). A superset of `contains`: every text with an ASCII digit structure that could be
# a personnummer, and every text with a non-ASCII character that is not a letter (full-width
# digits, odd dashes and spaces, invisible characters). `contains` then decides on the few.
# --------------------------------------------------------------------------------------------
_ASCII_SEP = r"[\x00-\x1f\x7f .,:/\\+_'~-]"
PREFILTER_REGEX = (
    r"(?:^|[^0-9])[0-9]{2}(?:" + _ASCII_SEP + r"{0,3}[0-9]{2}){3}" + _ASCII_SEP + r"{0,3}[0-9]{2}"
    r"|[^\x00-\x7F\p{L}]"
)


def polars_candidates(expr: pl.Expr) -> pl.Expr:
    """Boolean expression: True where the text might hold a personnummer (check with `contains`)."""
    return expr.fill_null("").str.contains(PREFILTER_REGEX)


def flagged_rows(frame: pl.DataFrame, value: str, row: str) -> list:
    """The `row` values of `frame` whose `value` column holds a personnummer in any form:
    vectorised pre-filter, then the exact check on the candidates only (in Python, outside
    Polars)."""
    cand = frame.filter(polars_candidates(pl.col(value))).select(value, row)
    return [r for v, r in cand.iter_rows() if contains(v)]
