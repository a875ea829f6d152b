"""The ledger (huvudbok) as the finance system exports it, read through a mapping file.

A ledger export has one row per ansvar (a unit code), konto (an account of the municipal chart of
accounts, Kommun-Bas), period and amount in kronor with ledger signs: costs in debit (positive),
income in credit (negative). Optional columns verksamhet and aktivitet are read and not used, a
`version` column (or a file name with "budget") tells budget from utfall.

`data/config/kontoplan.toml` (documented where it stands) maps ansvar → enhet and konto →
kostnadsslag, with a default konto mapping from Kommun-Bas the controller overrides per account,
and rules that leave accounts or ansvar out on purpose. `read_ledger` turns one file into the
data contract's utfall and/or budget frames (tkr, income positive), so the importer stores them
exactly like contract files: same replacement of periods, same all-or-nothing batch.

Every unmapped code is one error naming the code once, with its number of rows and its amount.
What was left out by a rule is listed with its sum, and a reconciliation line shows
Σ file kr = Σ stored tkr × 1 000 (costs − income, the ledger's own sign) + left out by rule.
"""

from __future__ import annotations

import hashlib
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from iof.core import domain
from iof.ingest import extracts
from iof.core.config import ROOT
from iof.ingest.extracts import Column, Extract

KIND = "huvudbok"
DEFAULT_MAPPING = ROOT / "data" / "config" / "kontoplan.toml"
LEAVE_OUT = "utelämna"

# The ledger's columns, by their Swedish names as exported; aliases below.
COLUMNS: tuple[Column, ...] = (
    Column("ansvar", "ansvar", "text"),
    Column("konto", "konto", "text"),
    Column("belopp", "amount_kr", "dec"),
    Column("period", "period", "text", required=False),
    Column("år", "year", "int", required=False, low=2000, high=2100),
    Column("månad", "month", "int", required=False, low=0, high=12),
    Column("version", "version", "text", required=False),
    Column("verksamhet", "verksamhet", "text", required=False),
    Column("aktivitet", "aktivitet", "text", required=False),
)
HEADER_ALIASES = {
    "belopp_kr": "belopp",
    "belopp kr": "belopp",
    "belopp (kr)": "belopp",
    "budgetversion": "version",
    "ar": "år",
    "manad": "månad",
}


def canonical_header(header: list[str]) -> list[str]:
    return [HEADER_ALIASES.get(h, h) for h in header]


def is_ledger_header(header: list[str]) -> bool:
    """Ansvar, konto and belopp (kr) are what make a ledger export."""
    cols = set(canonical_header(header))
    return {"ansvar", "konto", "belopp"} <= cols


# --------------------------------------------------------------------------------------------
# The mapping file
# --------------------------------------------------------------------------------------------
class MappingError(Exception):
    """The mapping file is missing or wrong; the message is Swedish and names the key."""


@dataclass(frozen=True)
class Rule:
    table: str  # "ansvar" | "konto" | "konto_standard"
    key: str  # as written in the file
    lo: str
    hi: str
    target: str | None  # enhet or kostnadsslag; None = left out
    reason: str | None  # why left out

    @property
    def label(self) -> str:
        return f"[{self.table}] \"{self.key}\""

    def specificity(self) -> tuple[int, int, int]:
        override = 1 if self.table == "konto" else 0
        return (override, len(self.lo), -(int(self.hi) - int(self.lo)) if self.lo.isdigit() else 0)


@dataclass
class Mapping:
    path: Path
    sha256: str
    budget_versions: frozenset[str]
    actual_versions: frozenset[str]
    ansvar: list[Rule]
    konto: list[Rule]

    def resolve_ansvar(self, code: str) -> Rule | None:
        hits = [r for r in self.ansvar if _ansvar_matches(r, code)]
        return _best(hits, code)

    def resolve_konto(self, code: str) -> Rule | None:
        hits = [r for r in self.konto
                if code.isdigit() and len(code) >= len(r.lo) and r.lo <= code[: len(r.lo)] <= r.hi]
        return _best(hits, code)


def _ansvar_matches(rule: Rule, code: str) -> bool:
    if rule.lo == rule.hi:
        return code == rule.lo
    return len(code) == len(rule.lo) and rule.lo <= code <= rule.hi


def _best(hits: list[Rule], code: str) -> Rule | None:
    if not hits:
        return None
    hits.sort(key=lambda r: r.specificity(), reverse=True)
    top = hits[0]
    rivals = [r for r in hits[1:] if r.specificity() == top.specificity() and
              (r.target, r.reason) != (top.target, top.reason)]
    if rivals:
        raise MappingError(
            f"kontoplanen har två lika precisa regler för '{code}': {top.label} och {rivals[0].label}; "
            "ta bort eller precisera en av dem"
        )
    return top


def mapping_path(path: str | os.PathLike | None = None) -> Path:
    """--kontoplan wins, then $IOF_KONTOPLAN, then data/config/kontoplan.toml."""
    if path:
        return Path(path)
    env = os.environ.get("IOF_KONTOPLAN")
    return Path(env) if env else DEFAULT_MAPPING


def load_mapping(path: str | os.PathLike | None = None) -> Mapping:
    p = mapping_path(path)
    try:
        data = p.read_bytes()
    except OSError:
        raise MappingError(f"kontoplanen {p} kunde inte läsas (finns den?)") from None
    try:
        raw = tomllib.loads(data.decode("utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise MappingError(f"kontoplanen {p} är inte giltig TOML: {exc}") from None
    head = raw.get("huvudbok", {})
    budget_versions = frozenset(str(v).strip().lower() for v in head.get("budgetversioner", ["budget"]))
    actual_versions = frozenset(str(v).strip().lower() for v in head.get("utfallsversioner", ["", "utfall"]))
    units = _rules(p, raw, "ansvar", kind="ansvar")
    accounts = _rules(p, raw, "konto_standard", kind="konto") + _rules(p, raw, "konto", kind="konto")
    return Mapping(p, hashlib.sha256(data).hexdigest(), budget_versions, actual_versions, units, accounts)


def _rules(path: Path, raw: dict, table: str, kind: str) -> list[Rule]:
    section = raw.get(table, {})
    if not isinstance(section, dict):
        raise MappingError(f"kontoplanen {path}: [{table}] ska vara en tabell")
    out = []
    for key, value in section.items():
        where = f"kontoplanen {path}: [{table}] \"{key}\""
        k = str(key).strip()
        lo, _, hi = k.partition("-")
        lo, hi = lo.strip(), (hi.strip() or lo.strip())
        if not lo or len(lo) != len(hi) or lo > hi:
            raise MappingError(f"{where}: ett intervall skrivs \"1200-1249\" med lika långa gränser, lägst först")
        if kind == "konto" and not (lo.isdigit() and hi.isdigit()):
            raise MappingError(f"{where}: ett konto eller en kontogrupp är siffror")
        if isinstance(value, dict):
            reason = value.get(LEAVE_OUT)
            if not isinstance(reason, str) or not reason.strip() or len(value) != 1:
                raise MappingError(f"{where}: skriv {{ \"utelämna\" = \"skäl\" }} med ett skäl")
            out.append(Rule(table, k, lo, hi, None, reason.strip()))
        elif isinstance(value, str) and value.strip():
            target = value.strip()
            if kind == "konto":
                canon = {c.lower(): c for c in domain.ALL_COST_TYPES}
                if target.lower() not in canon:
                    raise MappingError(
                        f"{where}: okänt kostnadsslag '{target}'; tillåtna: {', '.join(domain.ALL_COST_TYPES)}"
                    )
                target = canon[target.lower()]
            out.append(Rule(table, k, lo, hi, target, None))
        else:
            raise MappingError(f"{where}: värdet ska vara ett namn eller {{ \"utelämna\" = \"skäl\" }}")
    return out


# --------------------------------------------------------------------------------------------
# Reading a ledger file
# --------------------------------------------------------------------------------------------
@dataclass
class LeftOut:
    rule: str
    reason: str
    rows: int
    amount_kr: float


@dataclass
class Reconciliation:
    part: str  # "utfall" | "budget"
    file_kr: float
    stored_tkr_ledger_sign: float  # Σ costs − Σ income, tkr
    left_out_kr: float

    @property
    def difference_kr(self) -> float:
        return self.file_kr - self.stored_tkr_ledger_sign * 1000 - self.left_out_kr

    @property
    def ok(self) -> bool:
        return abs(self.difference_kr) < 0.005

    def line(self) -> str:
        return (
            f"Avstämning {self.part}: summa i filen {kr(self.file_kr)} kr = sparat "
            f"{tkr3(self.stored_tkr_ledger_sign)} tkr × 1 000 (kostnader − intäkter) + utelämnat enligt regel "
            f"{kr(self.left_out_kr)} kr"
            + (" — stämmer." if self.ok else f" — DIFFERENS {kr(self.difference_kr)} kr.")
        )


def kr(value: float) -> str:
    """Plain Swedish kronor with öre for report lines: `−1 234 567,50`."""
    text = f"{abs(value):,.2f}".replace(",", " ").replace(".", ",")
    return ("−" if round(value, 2) < 0 else "") + text


def tkr3(value: float) -> str:
    """tkr to the öre (five decimals), trailing zeros after the third dropped: `294,76625`, `156 323,400`."""
    text = f"{abs(value):,.5f}".replace(",", " ").replace(".", ",")
    text = text[:-2] + text[-2:].rstrip("0")
    return ("−" if round(value, 5) < 0 else "") + text


_PERIOD = re.compile(r"^(\d{4})-?(\d{2})$")


def read_ledger(ex: Extract, header: list[str], cells: pl.DataFrame, mapping: str | os.PathLike | None,
                budget_by_name: bool) -> Extract:
    """Fill `ex` from a ledger file: on success `ex.parts` holds the utfall/budget extracts."""
    ex.source = KIND
    header = canonical_header(header)
    try:
        plan = load_mapping(mapping)
    except MappingError as exc:
        ex.error(str(exc))
        return ex
    # One hash for file + mapping: the same file read through a changed mapping is a new import.
    ex.sha256 = hashlib.sha256((ex.sha256 + plan.sha256).encode()).hexdigest()

    known = {c.name for c in COLUMNS}
    seen: set[str] = set()
    for h in header:
        if h in seen and h:
            ex.error(f"kolumnen '{extracts.mask(h)}' förekommer två gånger", row=1, column=extracts.mask(h))
        seen.add(h)
    ex.extra_columns = [extracts.mask(h) for h in header if h and h not in known]
    if ex.extra_columns:
        ex.note(f"extra kolumner ignoreras: {', '.join(ex.extra_columns)}", row=1)
    if "period" not in seen and "år" not in seen:
        ex.error("kolumnen 'period' (ÅÅÅÅMM) eller 'år' (med 'månad') saknas", row=1, column="period")
    if cells.width > 1:
        cells = cells.filter(pl.any_horizontal(
            [pl.col(c).fill_null("").str.strip_chars() != "" for c in cells.columns if c != "_row"]))
    if cells.height == 0:
        ex.error("filen har inga datarader", row=2)
    if not ex.ok:
        return ex
    idx = {h: i for i, h in reversed(list(enumerate(header))) if h in known}
    raw = cells.select([pl.col(f"c{i}").alias(h) for h, i in idx.items()] + ["_row"])
    frame = extracts._typed(ex, raw, COLUMNS)
    if frame is None:
        return ex
    for col in COLUMNS:
        if col.code not in frame.columns:
            dtype = {"int": pl.Int64, "dec": pl.Float64}.get(col.type, pl.String)
            frame = frame.with_columns(pl.lit(None, dtype=dtype).alias(col.code))

    frame = _periods(ex, frame, set(raw.columns))
    if frame is None:
        return ex
    frame = _versions(ex, frame, plan, budget_by_name)
    if frame is None:
        return ex
    mapped = _map_codes(ex, frame, plan)
    if mapped is None:
        return ex
    frame, rules = mapped
    parts = _parts(ex, frame, rules)
    # Notes about the file (extra columns …) go with the first part; the parts replace the file.
    parts[0].problems[:0] = ex.problems
    ex.problems = []
    ex.parts = parts
    return ex


def _periods(ex: Extract, frame: pl.DataFrame, present: set[str]) -> pl.DataFrame | None:
    """year and month from `period` (ÅÅÅÅMM, ÅÅÅÅ-MM) or from `år` + `månad`; month 00 = whole year."""
    if "period" in present:
        m = frame["period"].fill_null("").str.extract_groups(r"^(\d{4})-?(\d{2})$")
        year = m.struct.field("1").cast(pl.Int64, strict=False)
        month = m.struct.field("2").cast(pl.Int64, strict=False)
        bad = frame.with_columns(y=year, mo=month).filter(
            pl.col("y").is_null() | ~pl.col("y").is_between(2000, 2100) | ~pl.col("mo").is_between(0, 12)
        )
        for r, v in bad.select("_row", "period").iter_rows():
            if len(ex.errors) > extracts.MAX_MESSAGES_PER_FILE:
                break
            ex.error(f"'{extracts.mask(v or '')}' är inte en period ÅÅÅÅMM (t.ex. 202510)", row=r, column="period")
        frame = frame.with_columns(year=year, month=month)
    else:
        for r in frame.filter(pl.col("year").is_null())["_row"].to_list()[: extracts.MAX_MESSAGES_PER_FILE]:
            ex.error("värde saknas", row=r, column="år")
    if not ex.ok:
        return None
    return frame.with_columns(pl.when(pl.col("month") == 0).then(None).otherwise(pl.col("month")).alias("month"))


def _versions(ex: Extract, frame: pl.DataFrame, plan: Mapping, budget_by_name: bool) -> pl.DataFrame | None:
    if frame["version"].is_null().all():  # no version column, or an empty one: the file name decides
        part = pl.lit("budget" if budget_by_name else "utfall")
        return frame.with_columns(part=part)
    v = frame["version"].fill_null("").str.strip_chars().str.to_lowercase()
    frame = frame.with_columns(
        part=pl.when(v.is_in(list(plan.budget_versions))).then(pl.lit("budget"))
        .when(v.is_in(list(plan.actual_versions))).then(pl.lit("utfall"))
        .otherwise(None),
        _v=frame["version"].fill_null(""),
    )
    unknown = (frame.filter(pl.col("part").is_null())
               .group_by("_v").agg(n=pl.len(), kr=pl.col("amount_kr").sum(), first=pl.col("_row").min())
               .sort("first"))
    for value, n, amount, first in unknown.iter_rows():
        ex.error(
            f"okänd version '{extracts.mask(value)}' ({n} rader, {kr(amount)} kr). Lägg till den i "
            f"kontoplanen under [huvudbok] budgetversioner eller utfallsversioner",
            row=first, column="version",
        )
    return None if not ex.ok else frame.drop("_v")


def _map_codes(ex: Extract, frame: pl.DataFrame, plan: Mapping) -> tuple[pl.DataFrame, dict[str, Rule]] | None:
    """Resolve each distinct code once (no Python per row), join back, report the unmapped."""
    rules: dict[str, Rule] = {}
    try:
        ansvar = {c: plan.resolve_ansvar(c) for c in frame["ansvar"].unique().to_list()}
        konto = {c: plan.resolve_konto(c) for c in frame["konto"].unique().to_list()}
    except MappingError as exc:
        ex.error(str(exc))
        return None
    for what, col, table in (("ansvar", "ansvar", ansvar), ("konto", "konto", konto)):
        missing = [c for c, r in table.items() if r is None]
        if not missing:
            continue
        groups = (frame.filter(pl.col(col).is_in(missing))
                  .group_by(col).agg(n=pl.len(), kr=pl.col("amount_kr").sum(), first=pl.col("_row").min())
                  .sort("first"))
        where = "[ansvar]" if what == "ansvar" else "[konto]"
        for code, n, amount, first in groups.iter_rows():
            ex.error(
                f"{what} '{extracts.mask(code)}' finns inte i kontoplanen ({n} rader, {kr(amount)} kr). "
                f"Lägg till det under {where} i {plan.path.name}",
                row=first, column=what,
            )
    if not ex.ok:
        return None
    for table in (ansvar, konto):
        rules.update({r.label: r for r in table.values() if r is not None})
    a = pl.DataFrame(
        {"ansvar": list(ansvar), "unit": [r.target for r in ansvar.values()],
         "a_rule": [r.label for r in ansvar.values()]},
        schema={"ansvar": pl.String, "unit": pl.String, "a_rule": pl.String},
    )
    k = pl.DataFrame(
        {"konto": list(konto), "cost_type": [r.target for r in konto.values()],
         "k_rule": [r.label for r in konto.values()]},
        schema={"konto": pl.String, "cost_type": pl.String, "k_rule": pl.String},
    )
    frame = frame.join(a, on="ansvar", how="left").join(k, on="konto", how="left")
    # An ansvar rule that leaves out wins over the konto (the whole ansvar is outside IoF).
    left_rule = pl.when(pl.col("unit").is_null()).then(pl.col("a_rule")) \
        .when(pl.col("cost_type").is_null()).then(pl.col("k_rule")).otherwise(None)
    return frame.with_columns(left_rule=left_rule), rules


def _parts(ex: Extract, frame: pl.DataFrame, rules: dict[str, Rule]) -> list[Extract]:
    """One contract extract per part present (utfall first, then budget), each with its report lines."""
    parts: list[Extract] = []
    names = sorted(frame["part"].unique().to_list(), key=lambda p: p != "utfall")
    income = list(domain.INCOME_TYPES)
    for part in names:
        rows = frame.filter(pl.col("part") == part)
        pe = Extract(ex.path, ex.file_name if len(names) == 1 else f"{ex.file_name} ({part})", ex.sha256)
        pe.kind, pe.source = part, KIND
        if part == "utfall":
            for r in rows.filter(pl.col("month").is_null())["_row"].to_list()[: extracts.MAX_MESSAGES_PER_FILE]:
                pe.error("utfall kräver en månad (period ÅÅÅÅMM med månad 01–12)", row=r, column="period")
        kept = rows.filter(pl.col("left_rule").is_null())
        # Ledger signs → the contract's: costs as they are, income (credit, negative) turned positive.
        sign = pl.when(pl.col("cost_type").is_in(income)).then(-1.0).otherwise(1.0)
        out = (
            kept.group_by("year", "month", "unit", "cost_type")
            .agg((pl.col("amount_kr").sum() / 1000.0).alias("ledger_tkr"), pl.col("_row").min())
            .with_columns((sign * pl.col("ledger_tkr")).alias("amount_tkr"))
            .sort("year", "month", "unit", "cost_type", nulls_last=False)
            .select(pl.col("year").cast(pl.Int64), pl.col("month").cast(pl.Int64), "unit", "cost_type",
                    "amount_tkr", "_row")
        )
        if part == "budget":
            negative = out.filter(pl.col("amount_tkr") < 0)
            for r, unit, ct, y, m, v in negative.select(
                    "_row", "unit", "cost_type", "year", "month", "amount_tkr").iter_rows():
                when = f"{y}" if m is None else f"{y}-{m:02d}"
                pe.error(
                    f"budgeten för {unit}, {ct}, {when} blir negativ ({tkr3(v)} tkr) med huvudbokens "
                    "tecken; kontrollera kontona (en intäkt på ett kostnadskonto?)",
                    row=r, column="belopp",
                )
            out = out.select("year", "unit", "cost_type", "amount_tkr", "month", "_row")
        if pe.ok:
            extracts._check_rows(pe, out)
        left = (rows.filter(pl.col("left_rule").is_not_null())
                .group_by("left_rule").agg(n=pl.len(), kr=pl.col("amount_kr").sum())
                .sort("left_rule"))
        pe.left_out = [LeftOut(rule, rules[rule].reason or "", n, amount) for rule, n, amount in left.iter_rows()]
        # What is stored, back in the ledger's sign (costs − income), from the frame that is stored.
        stored = out.select(
            (pl.when(pl.col("cost_type").is_in(income)).then(-pl.col("amount_tkr"))
             .otherwise(pl.col("amount_tkr"))).sum()
        ).item()
        pe.reconciliation = Reconciliation(
            part, float(rows["amount_kr"].sum()), float(stored or 0.0),
            float(left["kr"].sum()) if left.height else 0.0,
        )
        for lo in pe.left_out:
            pe.details.append(f"Utelämnat enligt {lo.rule}: {lo.rows} rader, {kr(lo.amount_kr)} kr — {lo.reason}")
        pe.details.append(pe.reconciliation.line())
        if not pe.reconciliation.ok:
            pe.error("avstämningen går inte ihop (ett fel i importen); ingenting sparas")
        if pe.ok:
            pe.frame = out
            pe.period = extracts._period(pe, out)
        parts.append(pe)
    return parts


# --------------------------------------------------------------------------------------------
# The demo's ledger: the same figures as the demo's contract files, as a finance system exports
# them (ansvar codes, Kommun-Bas accounts, kr with ledger signs), plus rows left out by rule.
# --------------------------------------------------------------------------------------------
# Accounts a demo kostnadsslag is booked on, with shares (the last takes the rest, in whole kr).
DEMO_ACCOUNTS: dict[str, tuple[tuple[str, float], ...]] = {
    "Personalkostnader": (("5111", 0.69), ("5611", 0.31)),  # månadslöner, sociala avgifter
    "Övriga personalkostnader": (("5811", 0.55), ("7511", 0.45)),  # utbildning, inhyrd personal
    "Lokalkostnader": (("6011", 0.9), ("6211", 0.1)),  # lokalhyror, energi
    "Entreprenader och köp av verksamhet": (("4561", 0.75), ("4611", 0.25)),  # köp av huvudverksamhet
    "Övriga kostnader": (("4011", 0.3), ("6411", 0.3), ("7611", 0.4)),
    "Taxor och avgifter": (("3111", 1.0),),
    "Hyresintäkter": (("3411", 1.0),),
    "Bidrag och ersättningar": (("3511", 1.0),),
    "Försäljning": (("3611", 1.0),),
    "Övriga externa intäkter": (("3911", 1.0),),
}
DEMO_LEFT_OUT_ANSVAR = "1900"  # förvaltningsgemensamt, left out by an [ansvar] rule


def demo_ansvar(units: list[str]) -> dict[str, str]:
    """unit -> its ansvar range "1010-1019": 100 codes per district, 10 per unit, in sorted order."""
    out = {}
    for i, unit in enumerate(sorted(units)):
        base = 1000 + 100 * (i // 5) + 10 * (i % 5 + 1)
        out[unit] = f"{base}-{base + 9}"
    return out


def write_demo_mapping(out_dir: Path, ranges: dict[str, str]) -> Path:
    """The default kontoplan.toml with the demo's ansvar filled in (and one left-out ansvar)."""
    text = DEFAULT_MAPPING.read_text(encoding="utf-8")
    lines = [f'"{r}" = "{u}"' for u, r in sorted(ranges.items(), key=lambda kv: kv[1])]
    lines.append(f'"{DEMO_LEFT_OUT_ANSVAR}" = {{ "utelämna" = "Förvaltningsgemensamt (demo): följs inte upp här" }}')
    text = text.replace("\n[ansvar]\n", "\n[ansvar]\n# Demons ansvar (skrivna av iof demo --ledger).\n"
                        + "\n".join(lines) + "\n", 1)
    path = Path(out_dir) / "kontoplan.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _split(total_kr: int, shares: tuple[tuple[str, float], ...]) -> list[tuple[str, int]]:
    out, rest = [], total_kr
    for konto, share in shares[:-1]:
        part = int(round(total_kr * share))
        out.append((konto, part))
        rest -= part
    out.append((shares[-1][0], rest))
    return out


def demo_ledger_rows(frame: pl.DataFrame, ranges: dict[str, str], budget: bool) -> pl.DataFrame:
    """Contract rows (år, månad, enhet, kostnadsslag, belopp_tkr) → ledger rows in kr.

    Each amount is split over the accounts of its kostnadsslag, alternating between the two
    first ansvar codes of the unit's range; a cost line gets a booking and its reversal (debit and
    credit), and each unit and month rows that the mapping leaves out (internal income on 33xx,
    avskrivningar on 79xx with öre, a förvaltningsgemensamt ansvar)."""
    rows: list[tuple] = []
    for i, (y, m, unit, ct, tkr_amount) in enumerate(
            frame.select("år", "månad", "enhet", "kostnadsslag", "belopp_tkr").iter_rows()):
        lo = int(ranges[unit].split("-")[0])
        ansvar = str(lo + (i % 2))
        total = int(round(tkr_amount * 1000))
        sign = -1 if domain.is_income(ct) else 1
        for j, (konto, part) in enumerate(_split(total, DEMO_ACCOUNTS[ct])):
            if part == 0:
                continue
            if j == 0 and sign > 0 and not budget and part > 10_000:
                rows.append((y, m, ansvar, konto, sign * (part + 4_250)))  # a wrong booking …
                rows.append((y, m, ansvar, konto, -4_250))  # … and its correction (credit)
            else:
                rows.append((y, m, ansvar, konto, sign * part))
    if not budget:
        months = frame.select("år", "månad", "enhet").unique().sort("år", "månad", "enhet")
        for k, (y, m, unit) in enumerate(months.iter_rows()):
            lo = int(ranges[unit].split("-")[0])
            rows.append((y, m, str(lo), "3311", -(20_000 + 137 * (k % 50))))  # intern intäkt
            rows.append((y, m, str(lo + 1), "7911", 3_456.78 + k % 7))  # avskrivning, öre
            if k % 5 == 0:
                rows.append((y, m, DEMO_LEFT_OUT_ANSVAR, "6411", 1_200 + k % 11))
    return pl.DataFrame(rows, schema={"år": pl.Int64, "månad": pl.Int64, "ansvar": pl.String,
                                      "konto": pl.String, "belopp": pl.Float64}, orient="row")


def write_demo_ledger(out_dir: Path, budget: pl.DataFrame, actual: pl.DataFrame, years: list[int],
                      fmt_number) -> list[Path]:
    """budget_huvudbok_ÅÅÅÅ.csv and huvudbok_ÅÅÅÅ.csv per year, and kontoplan.toml beside them."""
    out_dir = Path(out_dir)
    units = sorted(set(budget["enhet"].to_list()) | set(actual["enhet"].to_list()))
    ranges = demo_ansvar(units)
    write_demo_mapping(out_dir, ranges)
    paths = []
    for y in years:
        b = demo_ledger_rows(budget.filter(pl.col("år") == y), ranges, budget=True)
        text = b.select(
            pl.col("år").cast(pl.String).alias("År"),
            pl.col("månad").cast(pl.String).alias("Månad"),
            pl.col("ansvar").alias("Ansvar"), pl.col("konto").alias("Konto"),
            pl.lit("510").alias("Verksamhet"), pl.lit("Budget").alias("Version"),
            pl.Series("Belopp", [fmt_number(v, 2) for v in b["belopp"].to_list()], dtype=pl.String),
        )
        paths.append(_write_csv(out_dir / f"budget_huvudbok_{y}.csv", text))
    for y in years:
        a = demo_ledger_rows(actual.filter(pl.col("år") == y), ranges, budget=False)
        text = a.select(
            pl.col("ansvar").alias("Ansvar"), pl.col("konto").alias("Konto"),
            pl.lit("510").alias("Verksamhet"), pl.lit("").alias("Aktivitet"),
            (pl.col("år") * 100 + pl.col("månad")).cast(pl.String).alias("Period"),
            pl.Series("Belopp", [fmt_number(v, 2) for v in a["belopp"].to_list()], dtype=pl.String),
        )
        paths.append(_write_csv(out_dir / f"huvudbok_{y}.csv", text))
    return paths


def _write_csv(path: Path, frame: pl.DataFrame) -> Path:
    frame.write_csv(path, include_bom=True, separator=";", line_terminator="\r\n", null_value="",
                    quote_style="necessary")
    return path


# --------------------------------------------------------------------------------------------
# Any extract file: a ledger export or a contract file, recognised from its header
# --------------------------------------------------------------------------------------------
def read_file(path: str | Path, kind: str | None = None, display_name: str | None = None,
              mapping: str | os.PathLike | None = None) -> Extract:
    """Read one file of any kind. A ledger export (ansvar, konto, belopp — or --kind huvudbok, or a
    file named huvudbok_… ) goes through the mapping; its utfall/budget extracts are in `parts`.
    Every other file is a contract extract, read (streamed) by extracts.read_extract."""
    forced = extracts.KIND_ALIASES.get(kind.strip().lower()) if kind else None
    if forced is not None and forced != KIND:
        return extracts.read_extract(path, kind, display_name)
    name = Path(display_name or (path.name if isinstance(path, extracts.InMemoryFile) else Path(path).name)).name
    header = None if forced == KIND else extracts.peek_header(path)
    by_name = (extracts._kind_from_name(name) == KIND
               and (header is None or extracts.detect_kind(header, name)[0] not in extracts.KINDS))
    if forced == KIND or (header is not None and is_ledger_header(header)) or by_name:
        ex, header, cells = extracts.open_extract(path, kind, display_name)
        if header is None:
            return ex
        return read_ledger(ex, header, cells, mapping, budget_by_name="budget" in ex.file_name.lower())
    return extracts.read_extract(path, kind, display_name)
