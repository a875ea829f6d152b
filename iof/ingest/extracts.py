"""Reading and validating the monthly extract files (CSV/XLSX as Swedish Excel writes them).

`read_extract(path)` returns an `Extract`: the rows as a typed Polars frame with English code
names, the period it covers, and every problem found, each a Swedish message naming file, row
and column. Nothing here touches the database; `iof.pipeline.importer` stores what passes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl

from iof.core import domain
from iof.core.privacy import PERSONNUMMER_REGEX, mask, redact

MAX_MESSAGES_PER_FILE = 50


# --------------------------------------------------------------------------------------------
# The contract's columns per kind
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    name: str  # the contract's Swedish column name
    code: str  # the code name in the database and in frames
    type: str  # text | int | dec | date | enum
    required: bool = True
    allowed: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None
    identifier: bool = False  # identifies a person or case: never a personnummer


KINDS: dict[str, tuple[Column, ...]] = {
    "budget": (
        Column("år", "year", "int", low=2000, high=2100),
        Column("enhet", "unit", "text"),
        Column("kostnadsslag", "cost_type", "enum", allowed=domain.ALL_COST_TYPES),
        Column("belopp_tkr", "amount_tkr", "dec", low=0),
        Column("månad", "month", "int", required=False, low=1, high=12),
    ),
    "utfall": (
        Column("år", "year", "int", low=2000, high=2100),
        Column("månad", "month", "int", low=1, high=12),
        Column("enhet", "unit", "text"),
        Column("kostnadsslag", "cost_type", "enum", allowed=domain.ALL_COST_TYPES),
        Column("belopp_tkr", "amount_tkr", "dec"),
    ),
    "placeringar": (
        Column("placerings_id", "placement_id", "text", identifier=True),
        Column("barn_id", "child_id", "text", identifier=True),
        Column("enhet", "unit", "text"),
        Column("placeringsform", "placement_type", "enum", allowed=domain.PLACEMENT_TYPES),
        Column("startdatum", "start_date", "date"),
        Column("slutdatum", "end_date", "date", required=False),
        Column("planerat_slutdatum", "planned_end_date", "date", required=False),
        Column("dygnskostnad_kr", "daily_cost_kr", "dec", low=0),
        Column("avslutsorsak", "end_reason", "enum", required=False, allowed=domain.END_REASONS),
        Column("lagrum", "legal_basis", "text", required=False),
        Column("kön", "sex", "text", required=False),
        Column("födelseår", "birth_year", "int", required=False, low=1900, high=2100),
        Column("ensamkommande", "unaccompanied", "text", required=False),
    ),
    "bemanning": (
        Column("år", "year", "int", low=2000, high=2100),
        Column("månad", "month", "int", low=1, high=12),
        Column("enhet", "unit", "text"),
        Column("budgeterade_åa", "budgeted_fte", "dec", low=0),
        Column("bemannade_åa", "filled_fte", "dec", low=0),
        Column("vakanta_tjänster", "vacancies", "dec", low=0),
        Column("konsulter_åa", "consultant_fte", "dec", low=0),
        Column("sjukfrånvaro_pct", "sick_leave_pct", "dec", low=0, high=100),
        Column("sjukfrånvaro_dag1_14_pct", "sick_leave_short_pct", "dec", low=0, high=100),
        Column("avgångar", "leavers", "int", low=0),
        Column("handläggare_åa", "caseworker_fte", "dec", low=0),
        Column("aktuella_ärenden", "open_cases", "int", low=0),
    ),
    "arenden": (
        Column("ärende_id", "case_id", "text", identifier=True),
        Column("enhet", "unit", "text"),
        Column("ärendetyp", "case_type", "enum", allowed=domain.CASE_TYPES),
        Column("inkom_datum", "received_date", "date"),
        Column("start_datum", "start_date", "date", required=False),
        Column("avslut_datum", "closed_date", "date", required=False),
    ),
}

# Accepted spellings of a kind in --kind, file names and sheet names.
KIND_ALIASES = {
    "budget": "budget",
    "utfall": "utfall",
    "placeringar": "placeringar",
    "placering": "placeringar",
    "bemanning": "bemanning",
    "arenden": "arenden",
    "ärenden": "arenden",
    "arende": "arenden",
    "ärende": "arenden",
}

# --------------------------------------------------------------------------------------------
# Problems and the result of reading one file
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None  # the row number as Excel shows it (header = row 1)
    column: str | None
    message: str
    is_error: bool = True

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"rad {self.row}")
        if self.column is not None:
            where.append(f"kolumn {self.column}")
        prefix = "Fel" if self.is_error else "Obs"
        return f"{prefix}: {', '.join(where)}: {self.message}"


@dataclass
class Extract:
    path: Path
    file_name: str
    sha256: str
    kind: str | None = None
    frame: pl.DataFrame | None = None  # typed, code names, plus `_row`
    period: str = ""
    problems: list[Problem] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def n_rows(self) -> int:
        return 0 if self.frame is None else self.frame.height

    def error(self, message: str, row: int | None = None, column: str | None = None) -> None:
        self.problems.append(Problem(self.file_name, row, column, message))

    def note(self, message: str, row: int | None = None, column: str | None = None) -> None:
        self.problems.append(Problem(self.file_name, row, column, message, is_error=False))


# --------------------------------------------------------------------------------------------
# Reading raw text cells
# --------------------------------------------------------------------------------------------
def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 — what Swedish Excel writes."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _sniff_separator(header_line: str) -> str:
    counts = {sep: header_line.count(sep) for sep in (";", "\t", ",")}
    best = max(counts, key=lambda s: (counts[s], s == ";"))
    return best if counts[best] > 0 else ";"


def _cells(header: list[str], rows: list[list[str]]) -> pl.DataFrame:
    """Cells as strings in columns c0..cN plus `_row` (Excel's row number); blank rows dropped."""
    width = len(header)
    numbered = [
        (i + 2, (r + [""] * width)[:width])
        for i, r in enumerate(rows)
        if any(c.strip() for c in r)
    ]
    return pl.DataFrame(
        {f"c{j}": [r[1][j] for r in numbered] for j in range(width)} | {"_row": [r[0] for r in numbered]},
        schema={f"c{j}": pl.String for j in range(width)} | {"_row": pl.Int64},
    )


def _read_csv_cells(data: bytes) -> tuple[list[str], pl.DataFrame]:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    sep = _sniff_separator(first_line)
    header = next(csv.reader([first_line.rstrip("\r")], delimiter=sep), [])
    try:  # fast path: Polars' reader; row numbers are index + 2 when no line is blank
        if re.search(r"\n[ \t;,\r]*\n", text.rstrip("\r\n") + "\n"):
            raise ValueError("blank lines: keep exact row numbers with the slow path")
        body = pl.read_csv(
            io.BytesIO(text.encode("utf-8")),
            separator=sep,
            has_header=False,
            skip_rows=1,
            infer_schema=False,
            new_columns=[f"c{j}" for j in range(len(header))],
            truncate_ragged_lines=False,
        )
        if body.width != len(header):
            raise ValueError("ragged")
        return header, body.with_row_index("_row", offset=2).with_columns(pl.col("_row").cast(pl.Int64))
    except Exception:
        pass
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
    return header, _cells(header, rows[1:])


def _read_xlsx_cells(path: Path, kind_hint: str | None) -> tuple[list[str], pl.DataFrame]:
    import fastexcel

    reader = fastexcel.read_excel(str(path))
    names = reader.sheet_names
    sheet: int | str = 0
    for name in names:
        if KIND_ALIASES.get(name.strip().lower()) and (
            kind_hint is None or KIND_ALIASES[name.strip().lower()] == kind_hint
        ):
            sheet = name
            break
    frame = reader.load_sheet(sheet, dtypes="string").to_polars()
    header = [str(c) for c in frame.columns]
    rows = [["" if v is None else str(v) for v in row] for row in frame.iter_rows()]
    return header, _cells(header, rows)


def _normalise_header(name: str) -> str:
    return name.replace("\ufeff", "").strip().lower()


# --------------------------------------------------------------------------------------------
# Kind detection
# --------------------------------------------------------------------------------------------
def _kind_from_name(file_name: str) -> str | None:
    stem = file_name.lower()
    for alias, kind in KIND_ALIASES.items():
        if re.search(rf"(^|[^a-zåäö]){alias}([^a-zåäö]|$)", stem):
            return kind
    return None


def detect_kind(header: list[str], file_name: str) -> tuple[str | None, str | None]:
    """(kind, None) or (None, Swedish reason). Header columns decide; the file name breaks ties."""
    cols = set(header)
    fits = [k for k, spec in KINDS.items() if {c.name for c in spec if c.required} <= cols]
    if len(fits) == 1:
        return fits[0], None
    if len(fits) > 1:
        by_name = _kind_from_name(file_name)
        if by_name in fits:
            return by_name, None
        labels = " eller ".join(domain.KIND_LABELS[k].lower() for k in fits)
        return None, (
            f"kolumnerna passar både {labels}. Ange typ med --kind eller låt filnamnet "
            f"innehålla typen (t.ex. {fits[0]}_2025.csv)."
        )
    by_name = _kind_from_name(file_name)
    if by_name:
        return by_name, None  # missing columns are then reported one by one
    return None, (
        "kunde inte känna igen vilken sorts fil det är utifrån kolumnrubrikerna. "
        "Förväntade rubriker finns i datakontraktet; ange typ med --kind."
    )


# --------------------------------------------------------------------------------------------
# Typing and validating cells
# --------------------------------------------------------------------------------------------
_SPACES = ["\u00a0", "\u202f", "\u2009", " "]


def _clean_number(col: str) -> pl.Expr:
    e = pl.col(col).str.strip_chars()
    for s in _SPACES:
        e = e.str.replace_all(s, "", literal=True)
    e = e.str.replace_all("\u2212", "-", literal=True)
    return e


def _typed(extract: Extract, raw: pl.DataFrame, spec: tuple[Column, ...]) -> pl.DataFrame | None:
    """Casts each present column; records a Swedish problem per bad cell."""
    out = {"_row": raw["_row"]}
    bad_rows_total = 0
    for col in spec:
        if col.name not in raw.columns:
            if col.required:
                extract.error(f"obligatorisk kolumn '{col.name}' saknas", row=1, column=col.name)
            continue
        cells = raw.select(pl.col(col.name).fill_null("").str.strip_chars().alias("v"), "_row")
        empty = cells["v"] == ""
        if col.required:
            for r in cells.filter(empty)["_row"].to_list()[:MAX_MESSAGES_PER_FILE]:
                extract.error("värde saknas", row=r, column=col.name)
            bad_rows_total += int(empty.sum())
        if col.type == "text":
            # Every text column, not only ids: enhet, lagrum, kön … must not carry one either.
            _reject_personnummer(extract, cells, col)
            out[col.code] = cells["v"].replace("", None)
        elif col.type == "enum":
            canon = {a.lower(): a for a in col.allowed}
            lowered = cells["v"].str.to_lowercase()
            value = lowered.replace_strict(canon, default=None, return_dtype=pl.String)
            bad = cells.filter(value.is_null() & ~empty)
            for r, v in bad.select("_row", "v").iter_rows():
                if len(extract.errors) > MAX_MESSAGES_PER_FILE:
                    break
                extract.error(
                    f"okänt värde '{mask(v)}'; tillåtna värden: {', '.join(col.allowed)}",
                    row=r,
                    column=col.name,
                )
            out[col.code] = value
        elif col.type in ("int", "dec"):
            num = raw.select(_clean_number(col.name).fill_null("").alias("c"))
            if col.type == "int":
                num = num.with_columns(pl.col("c").str.replace(r"[.,]0+$", ""))
                shape = pl.col("c").str.contains(r"^-?\d+$")
                cast = pl.col("c").cast(pl.Int64, strict=False)
                what = "ett heltal"
            else:
                shape = pl.col("c").str.contains(r"^-?(\d+([.,]\d*)?|[.,]\d+)$") & ~(
                    pl.col("c").str.contains(",", literal=True) & pl.col("c").str.contains(".", literal=True)
                )
                cast = pl.col("c").str.replace(",", ".", literal=True).cast(pl.Float64, strict=False)
                what = "ett tal (t.ex. 1 234,5)"
            value = num.select(pl.when(shape).then(cast).otherwise(None).alias("x"))["x"]
            # 8501011234 is a valid number: reject it here; other bad numbers are masked below.
            _reject_personnummer(extract, cells.filter(value.is_not_null()), col)
            bad = cells.with_columns(x=value).filter(pl.col("x").is_null() & (pl.col("v") != ""))
            for r, v in bad.select("_row", "v").iter_rows():
                if len(extract.errors) > MAX_MESSAGES_PER_FILE:
                    break
                extract.error(f"'{mask(v)}' är inte {what}", row=r, column=col.name)
            rng = cells.with_columns(x=value).filter(
                (pl.lit(col.low is not None) & (pl.col("x") < (col.low if col.low is not None else 0)))
                | (pl.lit(col.high is not None) & (pl.col("x") > (col.high if col.high is not None else 0)))
            )
            for r, v in rng.select("_row", "v").iter_rows():
                if len(extract.errors) > MAX_MESSAGES_PER_FILE:
                    break
                if col.low == 0 and col.high is None:
                    msg = f"'{mask(v)}' får inte vara negativt"
                else:
                    msg = f"'{mask(v)}' ligger utanför det tillåtna intervallet {_fmt_range(col)}"
                extract.error(msg, row=r, column=col.name)
            out[col.code] = value
        elif col.type == "date":
            v = cells["v"].str.replace(r"[ T]00:00(:00(\.0+)?)?$", "")
            parsed = v.str.strptime(pl.Date, "%Y-%m-%d", strict=False)
            parsed = pl.select(
                pl.when(v.str.contains(r"^\d{4}-\d{2}-\d{2}$")).then(parsed).otherwise(None).alias("x")
            )["x"]
            bad = cells.with_columns(x=parsed).filter(pl.col("x").is_null() & (pl.col("v") != ""))
            for r, val in bad.select("_row", "v").iter_rows():
                if len(extract.errors) > MAX_MESSAGES_PER_FILE:
                    break
                extract.error(
                    f"'{mask(val)}' är inte ett giltigt datum (ÅÅÅÅ-MM-DD)", row=r, column=col.name
                )
            out[col.code] = parsed
    if not extract.ok:
        return None
    frame = pl.DataFrame(out)
    return frame


def _reject_personnummer(extract: Extract, cells: pl.DataFrame, col: Column) -> None:
    """An error (that never shows the value) for each cell shaped like a personnummer."""
    flagged = cells.filter(pl.col("v").str.contains(PERSONNUMMER_REGEX))
    for r in flagged["_row"].to_list()[:MAX_MESSAGES_PER_FILE]:
        extract.error(
            "värdet liknar ett personnummer eller samordningsnummer och har inte lästs in "
            "(värdet visas inte). "
            + ("Endast pseudonymer får förekomma." if col.identifier else "Personnummer får inte förekomma i extrakten."),
            row=r,
            column=col.name,
        )


def _fmt_range(col: Column) -> str:
    lo = "" if col.low is None else f"{col.low:g}"
    hi = "" if col.high is None else f"{col.high:g}"
    return f"{lo}–{hi}"


def _check_rows(extract: Extract, frame: pl.DataFrame) -> None:
    """Rules across columns and rows of one file."""
    kind = extract.kind
    if kind == "placeringar":
        for r in frame.filter(pl.col("end_date") < pl.col("start_date"))["_row"].to_list():
            extract.error("slutdatum är före startdatum", row=r, column="slutdatum")
        for r in frame.filter(pl.col("planned_end_date") < pl.col("start_date"))["_row"].to_list():
            extract.error("planerat_slutdatum är före startdatum", row=r, column="planerat_slutdatum")
        _unique(extract, frame, "placement_id", "placerings_id")
    elif kind == "arenden":
        for r in frame.filter(pl.col("closed_date") < pl.col("received_date"))["_row"].to_list():
            extract.error("avslut_datum är före inkom_datum", row=r, column="avslut_datum")
        if "start_date" in frame.columns:
            for r in frame.filter(pl.col("start_date") < pl.col("received_date"))["_row"].to_list():
                extract.error("start_datum är före inkom_datum", row=r, column="start_datum")
        _unique(extract, frame, "case_id", "ärende_id")
    elif kind == "bemanning":
        _unique(extract, frame, ["year", "month", "unit"], "enhet", what="enhet och månad")
        for r in frame.filter(pl.col("filled_fte") > pl.col("budgeted_fte") + pl.col("vacancies") + 1e-9)[
            "_row"
        ].to_list()[:0]:
            pass  # over-staffing happens (temporary staff); not an error
    elif kind == "budget":
        if "month" in frame.columns:
            keys = ["year", "unit", "cost_type"]
            mixed = (
                frame.group_by(keys)
                .agg(
                    annual=pl.col("month").is_null().any(),
                    monthly=pl.col("month").is_not_null().any(),
                    first_row=pl.col("_row").min(),
                )
                .filter(pl.col("annual") & pl.col("monthly"))
            )
            for r in mixed["first_row"].to_list():
                extract.error(
                    "samma enhet och kostnadsslag har både årsbudget (utan månad) och "
                    "månadsbudget; välj det ena",
                    row=r,
                    column="månad",
                )
    elif kind == "utfall":
        negative = frame.filter(pl.col("amount_tkr") < 0).height
        if negative:
            extract.note(
                f"{negative} rader har negativt belopp (t.ex. rättelser eller "
                "periodiseringar); de lagras som de är"
            )


def _unique(extract: Extract, frame: pl.DataFrame, keys, column: str, what: str | None = None) -> None:
    keys = [keys] if isinstance(keys, str) else keys
    if not frame.select(keys).is_duplicated().any():  # the usual file: no list per key to build
        return
    dup = (
        frame.group_by(keys)
        .agg(rows=pl.col("_row").sort())
        .filter(pl.col("rows").list.len() > 1)
        .sort(pl.col("rows").list.first())
    )
    for rows in dup["rows"].to_list()[:MAX_MESSAGES_PER_FILE]:
        first = rows[0]
        for r in rows[1:]:
            extract.error(
                f"samma {what or column} förekommer redan på rad {first}; värdet måste vara unikt",
                row=r,
                column=column,
            )


# --------------------------------------------------------------------------------------------
# Periods
# --------------------------------------------------------------------------------------------
def _period(extract: Extract, frame: pl.DataFrame) -> str:
    kind = extract.kind
    if kind == "budget":
        years = sorted(frame["year"].unique().to_list())
        return ",".join(str(y) for y in years)
    if kind in ("utfall", "bemanning"):
        ym = frame.select((pl.col("year") * 100 + pl.col("month")).alias("ym"))["ym"]
        lo, hi = int(ym.min()), int(ym.max())
        a, b = f"{lo // 100}-{lo % 100:02d}", f"{hi // 100}-{hi % 100:02d}"
        return a if a == b else f"{a}..{b}"
    m = re.search(r"(20\d{2})-?(0[1-9]|1[0-2])", extract.file_name)
    if m:
        return f"{m.group(1)}-{m.group(2)}"
    date_cols = [c for c in frame.columns if c.endswith("_date") and c != "planned_end_date"]
    latest = max(
        (d for d in (frame[c].max() for c in date_cols) if d is not None), default=date.today()
    )
    latest = min(latest, date.today())
    return f"{latest.year}-{latest.month:02d}"


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------
def read_extract(path: str | Path, kind: str | None = None, display_name: str | None = None) -> Extract:
    """Read, recognise and validate one extract file. Never raises on bad content."""
    path = Path(path)
    name = redact(display_name or path.name)  # a file name is echoed everywhere: never a personnummer
    try:
        data = path.read_bytes()
    except OSError:
        ex = Extract(path, name, "")
        ex.error("filen kunde inte läsas (finns den?)")
        return ex
    ex = Extract(path, name, hashlib.sha256(data).hexdigest())
    if kind is not None:
        kind = KIND_ALIASES.get(kind.strip().lower())
        if kind is None:
            ex.error(f"okänd typ; välj en av {', '.join(KINDS)}")
            return ex
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            header, cells = _read_xlsx_cells(path, kind or _kind_from_name(name))
        elif suffix in (".csv", ".txt", ".tsv", ""):
            header, cells = _read_csv_cells(data)
        else:
            ex.error(f"filtypen {suffix} stöds inte; använd .csv eller .xlsx")
            return ex
    except Exception as exc:  # a corrupt workbook is a user problem, not a bug
        ex.error(f"filen kunde inte läsas som {suffix or 'csv'} ({type(exc).__name__})")
        return ex
    header = [_normalise_header(h) for h in header]
    if not header or not any(header):
        ex.error("filen är tom eller saknar rubrikrad", row=1)
        return ex
    if kind is None:
        kind, reason = detect_kind(header, name)
        if kind is None:
            ex.error(reason or "okänd filtyp", row=1)
            return ex
    ex.kind = kind
    spec = KINDS[kind]
    known = {c.name for c in spec}
    seen: set[str] = set()
    for h in header:
        if h in seen and h:
            ex.error(f"kolumnen '{mask(h)}' förekommer två gånger", row=1, column=mask(h))
        seen.add(h)
    ex.extra_columns = [mask(h) for h in header if h and h not in known]
    if ex.extra_columns:
        ex.note(f"extra kolumner ignoreras: {', '.join(ex.extra_columns)}", row=1)
    cells = cells.filter(
        pl.any_horizontal([pl.col(c).fill_null("").str.strip_chars() != "" for c in cells.columns if c != "_row"])
    ) if cells.width > 1 else cells
    if cells.height == 0:
        ex.error("filen har inga datarader", row=2)
        return ex
    # Keep only known columns (first occurrence).
    idx = {h: i for i, h in reversed(list(enumerate(header))) if h in known}
    raw = cells.select([pl.col(f"c{i}").alias(h) for h, i in idx.items()] + ["_row"])
    if not ex.ok:
        return ex
    frame = _typed(ex, raw, spec)
    if frame is None:
        return ex
    for col in spec:  # optional columns absent from the file become nulls
        if col.code not in frame.columns:
            dtype = {"int": pl.Int64, "dec": pl.Float64, "date": pl.Date}.get(col.type, pl.String)
            frame = frame.with_columns(pl.lit(None, dtype=dtype).alias(col.code))
    _check_rows(ex, frame)
    if not ex.ok:
        return ex
    ex.frame = frame.select([c.code for c in spec] + ["_row"])
    ex.period = _period(ex, ex.frame)
    return ex
