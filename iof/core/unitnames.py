"""Unit names are identifiers: one spelling per unit, a page address per unit, never a surprise.

A unit name arrives as a cell of an extract (`enhet`) and becomes a row key in every table, a
line of every report and the address of a page in the app. So before it is stored it is
normalised (`normalise`): Unicode NFC (an NFD-decomposed "Familjerätt" is the same unit),
zero-width characters removed, every run of whitespace – line breaks and tabs included – made one
space, trimmed. What is then still wrong is refused (`problem`): other control characters, more
than MAX_LENGTH characters, a leading = + - @ (a spreadsheet formula when exported), a reserved
name (the total row "IoF totalt", the filter choice "Alla enheter", a named page's address), or a
name without a single letter or digit (no page address).

Against the units already stored (`Resolver`): a name equal after case folding maps to the
stored spelling; a name whose page address (`slug`) equals another unit's is refused; a genuinely
new unit is reported and must be accepted by the controller (iof.importer).

`page_paths` gives every unit a page address that is unique by construction (a short hash is
added on a collision), so the app's navigation can never fail because of data – even data stored
before these rules existed.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

MAX_LENGTH = 60
# Reserved: the total row, the "every unit" choice of the filters.
RESERVED = ("IoF totalt", "Alla enheter")
# The url paths of the app's named pages (app.py); a unit may not take one of them as its name.
NAMED_PAGE_PATHS = (
    "oversikt", "placeringar", "handlaggningstider", "personal", "prognossakerhet", "apt",
    "importera", "datastatus", "granskningslogg",
)
PAGE_PREFIX = "enhet-"
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_WHITESPACE = re.compile(r"\s+")  # \s in Python covers \r \n \t, no-break and narrow spaces
_FORMULA_START = ("=", "+", "-", "@")


@functools.lru_cache(maxsize=4096)  # pure; an import asks again for the same few names
def normalise(name: str) -> str:
    """NFC, zero-width characters removed, whitespace runs made one space, trimmed."""
    text = unicodedata.normalize("NFC", name).translate(_ZERO_WIDTH)
    return _WHITESPACE.sub(" ", text).strip()


def key(name: str) -> str:
    """The identity of a unit: normalised and case-folded."""
    return normalise(name).casefold()


@functools.lru_cache(maxsize=4096)  # pure; an import asks again for the same few names
def slug_base(name: str) -> str:
    """The readable part of a page address: `barn-och-ungdom` (å/ä → a, ö → o, accents dropped)."""
    s = normalise(name).lower().translate(str.maketrans("åäöæø", "aaoao"))
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def slug(name: str) -> str:
    """A unit page's address as it would be without collisions: `enhet-barn-och-ungdom`."""
    return PAGE_PREFIX + slug_base(name)


def _short_hash(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:6]


def page_paths(units: Iterable[str]) -> dict[str, str]:
    """A url path per unit, unique by construction and never a named page's path.

    The readable slug when it is free; otherwise (or when it is empty) the slug plus a short hash
    of the exact stored name; then a counter if even that is taken. Deterministic for a set of
    names, whatever their order (sorted first), so an address does not move between runs.
    """
    taken = set(NAMED_PAGE_PATHS)
    out: dict[str, str] = {}
    names = sorted(set(units))
    counts: dict[str, int] = {}
    for u in names:
        counts[slug(u)] = counts.get(slug(u), 0) + 1
    for u in names:
        base = slug(u)
        path = base
        if counts[base] > 1 or base == PAGE_PREFIX or not slug_base(u):
            path = f"{base.rstrip('-')}-{_short_hash(u)}"
        n = 2
        candidate = path
        while candidate in taken:
            candidate = f"{path}-{n}"
            n += 1
        taken.add(candidate)
        out[u] = candidate
    return out


@functools.lru_cache(maxsize=4096)  # pure; an import asks again for the same few names
def problem(name: str) -> str | None:
    """A Swedish reason why the (normalised) name cannot be a unit's name, or None."""
    if not name:
        return "enhetens namn saknas"
    bad = [c for c in name if unicodedata.category(c) in ("Cc", "Cf", "Co", "Cs", "Cn")]
    if bad:
        return "enhetens namn innehåller styrtecken eller osynliga tecken; skriv namnet utan dem"
    if len(name) > MAX_LENGTH:
        return f"enhetens namn är {len(name)} tecken långt; högst {MAX_LENGTH} tecken är tillåtet"
    if name.startswith(_FORMULA_START):
        return "enhetens namn får inte börja med =, +, - eller @ (det läses som en formel i Excel)"
    if name.casefold() in {r.casefold() for r in RESERVED}:
        return f"'{name}' är ett reserverat namn i dashboarden och kan inte vara en enhet"
    if not slug_base(name):
        return "enhetens namn måste innehålla minst en bokstav eller siffra"
    if slug_base(name) in NAMED_PAGE_PATHS:
        return (f"'{name}' får samma adress som dashboardens sida '{slug_base(name)}' och kan inte "
                "vara namnet på en enhet")
    return None


@dataclass
class Resolution:
    """What the incoming names of a batch become: spelling map, new units, problems by name."""
    mapping: dict[str, str] = field(default_factory=dict)  # incoming (normalised) -> stored spelling
    new_units: list[str] = field(default_factory=list)  # not stored yet, in first-seen order
    problems: dict[str, str] = field(default_factory=dict)  # incoming name -> Swedish reason


def resolve(incoming: Iterable[str], stored: Iterable[str]) -> Resolution:
    """Map each incoming (already normalised, already shape-checked) name to a unit.

    Equal after case folding to a stored unit → that unit's stored spelling. Otherwise new: its
    page address may not equal a stored unit's, nor another new unit's; two new spellings of
    one name (case only) become the first one seen.
    """
    res = Resolution()
    stored = list(stored)
    by_key = {key(u): u for u in stored}
    by_slug = {slug(u): u for u in stored}
    new_by_key: dict[str, str] = {}
    new_by_slug: dict[str, str] = {}
    for name in incoming:
        if name in res.mapping or name in res.problems:
            continue
        k = key(name)
        if k in by_key:
            res.mapping[name] = by_key[k]
            continue
        if k in new_by_key:
            res.mapping[name] = new_by_key[k]
            continue
        s = slug(name)
        clash = by_slug.get(s) or new_by_slug.get(s)
        if clash is not None:
            res.problems[name] = (
                f"enheten '{name}' kan inte skiljas från enheten '{clash}' (samma sidadress i "
                "dashboarden); använd samma stavning som den befintliga enheten"
            )
            continue
        new_by_key[k] = name
        new_by_slug[s] = name
        res.mapping[name] = name
        res.new_units.append(name)
    return res
