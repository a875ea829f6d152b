"""Reading and validating the monthly extract files (CSV/XLSX as Swedish Excel writes them).

`read_extract(path)` returns an `Extract`: the rows as a typed Polars frame with English code
names, the period it covers, and every problem found, each a Swedish message naming file, row
and column. Nothing here touches the database; `iof.pipeline.importer` stores what passes.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl

from iof.core import domain
from iof.core.personnummer import contains as looks_like_personnummer
from iof.core.personnummer import flagged_rows as _pnr_rows
from iof.core.privacy import mask, redact

MAX_MESSAGES_PER_FILE = 50
# The largest magnitudes the database's columns hold: DECIMAL(18, 4) money, INTEGER counts.
STORAGE_LIMIT_DEC = 99_999_999_999_999
STORAGE_LIMIT_INT = 2_147_483_647


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
        # Optional pseudonym of the child: lets a closed-and-reopened utredning count as one
        # (JO 2565-2016, iof.cases.merge_reopened_investigations).
        Column("barn_id", "child_id", "text", required=False, identifier=True),
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
    "huvudbok": "huvudbok",  # the ledger as the finance system exports it (iof.ingest.ledger)
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
    # A ledger (huvudbok) file becomes contract extracts: `parts` (utfall, budget) replace it in a
    # batch; `source` says where a part came from; `details` are extra lines of the import report
    # (what was left out by rule, the reconciliation); see iof.ingest.ledger.
    source: str = ""
    parts: list["Extract"] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    left_out: list = field(default_factory=list)
    reconciliation: object | None = None

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
# Reading raw text cells – streamed: a file is never held whole in memory (issue 11)
# --------------------------------------------------------------------------------------------
CHUNK_ROWS = 200_000  # rows typed and validated at a time
_BLOCK = 1 << 20
_BLANK_LINE = re.compile(rb"\n[ \t;,\r]*\n")


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


@dataclass
class _Scan:
    """One streamed pass over a file: its hash, encoding and shape."""
    sha256: str
    encoding: str  # "utf-8-sig" | "cp1252"
    blank_lines: bool
    head: bytes  # the first block


@dataclass(frozen=True)
class InMemoryFile:
    """An uploaded file kept in memory: it is never written to disk (issue 10)."""

    name: str  # used for its suffix only; the name shown is read_extract's display_name
    data: bytes = field(repr=False)


def _open_bytes(src: Path | InMemoryFile):
    """A binary file object over a path or an upload held in memory."""
    return io.BytesIO(src.data) if isinstance(src, InMemoryFile) else open(src, "rb")


def _open_text(src: Path | InMemoryFile, encoding: str):
    return io.TextIOWrapper(_open_bytes(src), encoding=encoding, errors="replace", newline="")


# (key, _Scan) of the last file scanned: a file is peeked at, then read (iof.ingest.ledger). One
# tuple, replaced whole: two imports in two sessions' threads never pair one file's key with
# another's scan (a list updated in place could, between the key check and the read).
_LAST_SCAN: tuple = (None, None)


def _scan(path: Path | InMemoryFile) -> _Scan:
    """sha256, UTF-8-or-not and blank lines, reading 1 MB at a time.

    Why the one-entry memo: `ledger.read_file` peeks at a file's header and then reads it; the
    second scan of a 15 MB register cost 40 ms. Keyed on the path with its size and modification
    time in nanoseconds (an upload in memory: on its bytes), so a changed file is scanned again."""
    if isinstance(path, InMemoryFile):
        key = ("mem", path.name, path.data)  # held, compared by identity first
    else:
        st = path.stat()
        key = ("file", str(path.resolve()), st.st_size, st.st_mtime_ns, st.st_ino)
    global _LAST_SCAN
    last_key, last = _LAST_SCAN
    if last_key == key:
        return last
    found = _scan_file(path)
    _LAST_SCAN = (key, found)
    return found


def _scan_file(path: Path | InMemoryFile) -> _Scan:
    import codecs

    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8, blank = True, False
    head = b""
    tail = b""
    with _open_bytes(path) as fh:
        while block := fh.read(_BLOCK):
            if not head:
                head = block
            digest.update(block)
            if utf8:
                try:
                    decoder.decode(block)
                except UnicodeDecodeError:
                    utf8 = False
            if not blank:
                window = tail + block
                blank = bool(_BLANK_LINE.search(window))
                tail = window[-256:]
        if utf8:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                utf8 = False
    return _Scan(digest.hexdigest(), "utf-8-sig" if utf8 else "cp1252", blank, head)


def _refuse_non_text(head: bytes, suffix: str) -> None:
    """A Swedish reason for bytes that are not a CSV text file (raised as _Unreadable)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(head) > 3 and head[1:4:2] == b"\x00\x00"):
        raise _Unreadable(
            "filen är sparad som UTF-16 (”Unicode-text”). Spara den i Excel som ”CSV UTF-8 "
            "(kommaavgränsad)” eller ”CSV (semikolonavgränsad)” och importera igen."
        )
    if head.startswith(b"PK\x03\x04"):
        raise _Unreadable(
            f"filen är en Excel-arbetsbok men heter {suffix or '(utan filändelse)'}. Byt filändelsen till "
            ".xlsx eller spara den som CSV."
        )
    if b"\x00" in head[:8192] or head.startswith((b"%PDF", b"\xd0\xcf\x11\xe0")):
        raise _Unreadable(
            "filen är ingen textfil (den innehåller binära data, t.ex. en PDF eller ett gammalt "
            "Excel-format). Spara extraktet som CSV eller .xlsx."
        )


def _first_line(path: Path | InMemoryFile, encoding: str) -> str:
    with _open_text(path, encoding) as fh:
        return fh.readline().rstrip("\r\n")


CHUNK_BYTES = 16 << 20


def _last_record_end(data: bytes) -> int:
    """Index just after the last line break outside quotes (an even number of quotes before it)."""
    pos = data.rfind(b"\n")
    while pos >= 0:
        if data.count(b'"', 0, pos) % 2 == 0:
            return pos + 1
        pos = data.rfind(b"\n", 0, pos)
    return -1


def _csv_chunks(path: Path | InMemoryFile, sep: str, width: int, numbered: bool) -> Iterator[pl.DataFrame]:
    """The records of a UTF-8 CSV file, CHUNK_BYTES at a time, as c0..cN plus `_row`.

    Cut at line breaks outside quotes and parsed by Polars from memory (no memory map of the
    whole file). `numbered`: the file is our transcoded copy (no header, `_row` first); otherwise
    the header line is skipped and rows are numbered from 2 (no blank lines in such a file).
    A row with another number of fields raises _Ragged (the caller falls back to the exact reader).
    """
    names = [f"c{j}" for j in range(width)]
    cols = ["_row", *names] if numbered else names
    row = 2
    carry = b""
    skip_header = not numbered
    with _open_bytes(path) as fh:
        while True:
            block = fh.read(CHUNK_BYTES)
            data = carry + block
            if block:
                cut = _last_record_end(data)
                if cut < 0:
                    carry = data
                    continue
                body, carry = data[:cut], data[cut:]
            else:
                body, carry = data, b""
            if skip_header:
                nl = body.find(b"\n")
                body = b"" if nl < 0 else body[nl + 1:]
                skip_header = False
            if body and not body.isspace():  # (strip() would copy the whole chunk)
                frame = pl.read_csv(
                    io.BytesIO(body), separator=sep, has_header=False, infer_schema=False,
                    new_columns=cols, truncate_ragged_lines=False, quote_char='"',
                )
                del body
                if frame.width != len(cols):
                    raise _Ragged()
                if numbered:
                    frame = frame.with_columns(pl.col("_row").cast(pl.Int64)).select(*names, "_row")
                else:
                    frame = frame.with_columns(pl.int_range(row, row + frame.height, dtype=pl.Int64).alias("_row"))
                    row += frame.height
                yield frame
            if not block:
                return


class _Ragged(Exception):
    """Rows with different numbers of fields: read again with the exact reader."""


def _csv_cells(path: Path | InMemoryFile, scan: _Scan, workdir: Path | None) -> tuple[list[str], Callable[[], Iterator[pl.DataFrame]], Callable[[], Iterator[pl.DataFrame]] | None]:
    """(header, chunks, fallback): the cells as c0..cN plus `_row` (Excel's row number), in chunks.

    Fast: Polars parses the file itself, chunk by chunk (UTF-8, no blank lines: row number =
    record + 2). The fallback – Windows-1252, blank lines, or ragged rows found while reading –
    streams the file through Python's csv module once into a UTF-8 copy with the row numbers
    written in, blank rows dropped and short rows padded, and reads that in chunks. Either way
    memory stays bounded by the chunk size, not the file size.
    """
    first = _first_line(path, scan.encoding)
    sep = _sniff_separator(first)
    header = next(csv.reader([first], delimiter=sep), [])
    width = len(header)

    def transcoded() -> Iterator[pl.DataFrame]:
        # An upload held in memory stays in memory (workdir None): its copy is a buffer too.
        buffer = io.StringIO() if workdir is None else None
        target = workdir / "cells.csv" if workdir is not None else None
        with _open_text(path, scan.encoding) as fin, \
                (open(target, "w", encoding="utf-8", newline="") if target else contextlib.nullcontext(buffer)) as fout:
            reader = csv.reader(fin, delimiter=sep)
            writer = csv.writer(fout, delimiter=",", lineterminator="\n")
            next(reader, None)
            for i, row in enumerate(reader):
                if any(c.strip() for c in row):
                    writer.writerow([i + 2, *(row + [""] * width)[:width]])
        if target is None:
            return _csv_chunks(InMemoryFile("cells.csv", buffer.getvalue().encode("utf-8")), ",", width, numbered=True)
        return _csv_chunks(target, ",", width, numbered=True)

    if scan.encoding != "utf-8-sig" or scan.blank_lines or not header:
        return header, transcoded, None
    return header, lambda: _csv_chunks(path, sep, width, numbered=False), transcoded


class _SheetNameError(Exception):
    """A sheet name looks like a personnummer (the name is never shown)."""


def _read_xlsx_cells(path: Path, kind_hint: str | None, data: bytes | None = None
                     ) -> tuple[list[str], pl.DataFrame, list[str]]:
    """(header, cells, hidden sheet names). Only visible sheets are read: the one named after the
    kind, else the first visible one. Hidden (and very hidden) sheets are never read."""
    import fastexcel

    reader = fastexcel.read_excel(data if data is not None else str(path))
    if any(looks_like_personnummer(n) for n in reader.sheet_names):
        raise _SheetNameError
    visible: list[str] = []
    hidden: list[str] = []
    for name in reader.sheet_names:
        state = reader.load_sheet(name, n_rows=0, header_row=None).visible
        (visible if str(state).lower() == "visible" else hidden).append(name)
    if not visible:
        raise _Unreadable("arbetsboken har inget synligt blad")
    sheet: str = visible[0]
    for name in visible:
        if KIND_ALIASES.get(name.strip().lower()) and (
            kind_hint is None or KIND_ALIASES[name.strip().lower()] == kind_hint
        ):
            sheet = name
            break
    frame = reader.load_sheet(sheet, dtypes="string").to_polars()
    header = [str(c) for c in frame.columns]
    rows = [["" if v is None else str(v) for v in row] for row in frame.iter_rows()]
    return header, _cells(header, rows), hidden


class _Unreadable(Exception):
    """A file that cannot be read, with a Swedish reason."""


_HEADER_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060\u00ad\u200e\u200f"), None)


def _normalise_header(name: str) -> str:
    """NFC (an NFD 'år' is 'år'), invisible characters removed, spaces collapsed, lower case."""
    import unicodedata

    text = unicodedata.normalize("NFC", name).translate(_HEADER_INVISIBLE)
    return " ".join(text.split()).lower()


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


def _clean_number(cell: pl.Expr) -> pl.Expr:
    e = cell.str.strip_chars()
    for s in _SPACES:
        e = e.str.replace_all(s, "", literal=True)
    e = e.str.replace_all("\u2212", "-", literal=True)
    return e


def _number_value(cell: pl.Expr, kind: str) -> pl.Expr:
    """The amount or count (`kind` int or dec) in a cell ('1 234,5', '−12', '3,0'), null where it
    is not one."""
    c = _clean_number(cell).fill_null("")
    if kind == "int":
        c = c.str.replace(r"[.,]0+$", "")
        return pl.when(c.str.contains(r"^-?\d+$")).then(c.cast(pl.Int64, strict=False)).otherwise(None)
    shape = c.str.contains(r"^-?(\d+([.,]\d*)?|[.,]\d+)$") & ~(
        c.str.contains(",", literal=True) & c.str.contains(".", literal=True)
    )
    return pl.when(shape).then(c.str.replace(",", ".", literal=True).cast(pl.Float64, strict=False)).otherwise(None)


def _date_value(v: pl.Expr, with_time: bool = True) -> pl.Expr:
    """A date ÅÅÅÅ-MM-DD (Excel's midnight time stripped) from a stripped cell, else null.

    with_time=False: the caller knows no cell is longer than ten bytes, so none holds a date and a
    time (at least 16); the regex that strips the time would change nothing that could parse."""
    if with_time:
        v = v.str.replace(r"[ T]00:00(:00(\.0+)?)?$", "")
    return pl.when(v.str.contains(r"^\d{4}-\d{2}-\d{2}$")).then(
        v.str.strptime(pl.Date, "%Y-%m-%d", strict=False)).otherwise(None)


def _typed(extract: Extract, raw: pl.DataFrame, spec: tuple[Column, ...]) -> pl.DataFrame | None:
    """Casts each present column; records a Swedish problem per bad cell.

    Why two paths: nearly every chunk is clean, and the exact path's column-by-column checks
    cost a query each. The clean path types every column in one query with a flag that is true
    for any cell the exact path could say something about (a superset); only a chunk with a
    flag goes through the exact path, so every message stays exactly as it was."""
    typed = _typed_clean(raw, spec)
    if typed is None:
        return _typed_exact(extract, raw, spec)
    return typed if extract.ok else None


def _typed_clean(raw: pl.DataFrame, spec: tuple[Column, ...]) -> pl.DataFrame | None:
    """The typed chunk if no cell needs a message or a note, else None.

    Two queries: the stripped cells and the typed values, then the flags on those columns (a
    flag written on the expressions would parse every date three times)."""
    from iof.core import unitnames
    from iof.core.personnummer import polars_candidates

    first, last = plausible_dates()
    present = [col for col in spec if col.name in raw.columns]
    cells = raw.select(pl.col("_row"), *(pl.col(c.name).fill_null("").str.strip_chars().alias(f"_v{i}")
                                         for i, c in enumerate(present)))
    # Date columns where no cell is longer than ÅÅÅÅ-MM-DD need no time stripped (the stripping
    # regex is a third of the typing's cost in a register of 188 000 ärenden)
    dates = [i for i, c in enumerate(present) if c.type == "date"]
    longer = cells.select(*(pl.col(f"_v{i}").str.len_bytes().max().fill_null(0).gt(10).alias(f"_v{i}")
                            for i in dates)).row(0) if dates else ()
    with_time = {i for i, flag in zip(dates, longer) if flag}
    values: list[pl.Expr] = []
    units: list[str] = []
    for i, col in enumerate(present):
        v = pl.col(f"_v{i}")
        if col.type == "text":
            value = pl.when(v == "").then(None).otherwise(v)
            if col.code == "unit":
                units.append(f"_v{i}")
        elif col.type == "enum":
            value = v.str.to_lowercase().replace_strict(
                {a.lower(): a for a in col.allowed}, default=None, return_dtype=pl.String)
        elif col.type in ("int", "dec"):
            value = _number_value(v, col.type)
        else:  # date
            value = _date_value(v, with_time=i in with_time)
        values.append(value.alias(col.code))
    typed = cells.with_columns(values)
    checks: list[pl.Expr] = []
    for i, col in enumerate(present):
        v, x = pl.col(f"_v{i}"), pl.col(col.code)
        flags = [x.is_null() & (v != "")] if col.type != "text" else []
        if col.required:
            flags.append(v == "")
        if col.type in ("int", "dec"):
            if col.low is not None:
                flags.append(x < col.low)
            if col.high is not None:
                flags.append(x > col.high)
            flags.append(x.abs() >= (STORAGE_LIMIT_DEC if col.type == "dec" else STORAGE_LIMIT_INT) + 1)
        if col.type == "date":
            flags.append((x < first) | (x > last))
        if flags:
            checks.append(pl.any_horizontal(flags).fill_null(False).any())
        # The personnummer pre-filter needs ten ASCII digits or a non-ASCII character: only
        # such cells go through its regex (a parsed ÅÅÅÅ-MM-DD holds eight digits).
        n = v.str.len_bytes()
        suspect = (n >= 10) | (n != v.str.len_chars())
        if col.type == "date":
            suspect = suspect & ~(x.is_not_null() & (n == 10))
        cand = v.filter(suspect)
        if col.type in ("text", "enum") and not col.identifier:
            cand = cand.unique()  # a handful of distinct names and words
        checks.append(polars_candidates(cand).any())
    if typed.select(pl.any_horizontal(checks)).item():
        return None
    for name in units:  # a name the exact path would refuse, or note as normalised
        for u in typed.get_column(name).unique().to_list():
            if u and (u[0] in "=+-@\t\r" or unitnames.normalise(u) != u or unitnames.problem(u) is not None):
                return None
    return typed.select("_row", *(c.code for c in present))


def _typed_exact(extract: Extract, raw: pl.DataFrame, spec: tuple[Column, ...]) -> pl.DataFrame | None:
    """Casts each present column; records a Swedish problem per bad cell (column by column, in
    the order of the contract: the messages and their cap depend on that order)."""
    out = {"_row": raw["_row"]}
    bad_rows_total = 0
    for col in spec:
        if col.name not in raw.columns:
            continue  # a missing required column is reported once, by read_extract
        cells = raw.select(pl.col(col.name).fill_null("").str.strip_chars().alias("v"), "_row")
        # Every column, numeric ones before they are parsed ('850101 1234' is not an amount).
        hidden = _reject_personnummer(extract, cells, col)
        if hidden:  # one message per cell, and the value is never quoted by a later check
            gone = pl.col("_row").is_in(hidden)
            raw = raw.with_columns(pl.when(gone).then(pl.lit(None)).otherwise(pl.col(col.name)).alias(col.name))
            cells = cells.with_columns(v=pl.when(gone).then(pl.lit("")).otherwise(pl.col("v")))
        empty = (cells["v"] == "") & ~cells["_row"].is_in(hidden)
        if col.required:
            for r in cells.filter(empty)["_row"].to_list()[:MAX_MESSAGES_PER_FILE]:
                extract.error("värde saknas", row=r, column=col.name)
            bad_rows_total += int(empty.sum())
        if col.type == "text":
            if col.code == "unit":  # a unit name is shown and exported everywhere: never a formula
                _reject_formula(extract, cells, col)
            values = _unit_names(extract, cells, col) if col.code == "unit" else cells["v"]
            out[col.code] = values.replace("", None)
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
            what = "ett heltal" if col.type == "int" else "ett tal (t.ex. 1 234,5)"
            value = raw.select(_number_value(pl.col(col.name), col.type).alias("x"))["x"]
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
            # What the database column holds (DECIMAL(18,4), INTEGER): beyond it the insert fails.
            limit = STORAGE_LIMIT_DEC if col.type == "dec" else STORAGE_LIMIT_INT
            huge = cells.with_columns(x=value).filter(pl.col("x").abs() >= limit + 1)
            for r, v in huge.select("_row", "v").iter_rows():
                if len(extract.errors) > MAX_MESSAGES_PER_FILE:
                    break
                extract.error(f"'{mask(v)}' är för stort; högst {limit:,.0f} kan lagras".replace(",", " "),
                              row=r, column=col.name)
            out[col.code] = value
        elif col.type == "date":
            parsed = cells.select(_date_value(pl.col("v")).alias("x"))["x"]
            bad = cells.with_columns(x=parsed).filter(pl.col("x").is_null() & (pl.col("v") != ""))
            for r, val in bad.select("_row", "v").iter_rows():
                if len(extract.errors) > MAX_MESSAGES_PER_FILE:
                    break
                extract.error(
                    f"'{mask(val)}' är inte ett giltigt datum (ÅÅÅÅ-MM-DD)", row=r, column=col.name
                )
            first, last = plausible_dates()
            odd = cells.with_columns(x=parsed).filter((pl.col("x") < first) | (pl.col("x") > last))
            for r, val in odd.select("_row", "v").iter_rows():
                if len(extract.errors) > MAX_MESSAGES_PER_FILE:
                    break
                extract.error(
                    f"'{mask(val)}' ligger utanför de rimliga datumen {first.isoformat()} – {last.isoformat()} "
                    "(skrivfel?)", row=r, column=col.name
                )
            out[col.code] = parsed
    if not extract.ok:
        return None
    frame = pl.DataFrame(out)
    return frame


def _unit_names(extract: Extract, cells: pl.DataFrame, col: Column) -> pl.Series:
    """The unit column normalised (iof.core.unitnames); a refused name is an error at its first row."""
    from iof.core import unitnames

    firsts = cells.filter(pl.col("v") != "").group_by("v").agg(pl.col("_row").min().alias("r")).sort("r")
    mapping: dict[str, str] = {}
    for raw, r in firsts.iter_rows():
        name = unitnames.normalise(raw)
        mapping[raw] = name
        reason = unitnames.problem(name)
        if reason is not None:
            if len(extract.errors) <= MAX_MESSAGES_PER_FILE:
                extract.error(reason.replace(f"'{name}'", f"'{mask(name)}'"), row=r, column=col.name)
        elif name != raw:
            extract.note(f"enhetsnamnet skrivs som '{mask(name)}' (överflödiga blanksteg, radbrytningar, "
                         "osynliga tecken eller annan Unicode-form borttagna)", row=r, column=col.name)
    return cells["v"].replace(mapping)


def plausible_dates(today: date | None = None) -> tuple[date, date]:
    """The dates an extract may hold (iof.toml ["import"]): 1990-01-01 to ten years ahead."""
    from iof.core import config

    section = config.load().section("import")
    first = date.fromisoformat(str(section.get("tidigaste_datum", "1990-01-01")))
    today = today or date.today()
    years = int(section.get("senaste_år_framåt", 10))
    try:
        last = today.replace(year=today.year + years)
    except ValueError:  # 29 February
        last = today.replace(year=today.year + years, day=28)
    return first, last


def _reject_personnummer(extract: Extract, cells: pl.DataFrame, col: Column) -> list[int]:
    """An error (that never shows the value) for each cell shaped like a personnummer; returns
    their rows."""
    flagged = _pnr_rows(cells, "v", "_row")
    for r in flagged[:MAX_MESSAGES_PER_FILE]:
        extract.error(
            "värdet liknar ett personnummer eller samordningsnummer och har inte lästs in "
            "(värdet visas inte). "
            + ("Endast pseudonymer får förekomma." if col.identifier else "Personnummer får inte förekomma i extrakten."),
            row=r,
            column=col.name,
        )
    return flagged


def _reject_formula(extract: Extract, cells: pl.DataFrame, col: Column) -> None:
    """An error for each cell a spreadsheet could evaluate as a formula (=, +, -, @, tab, CR)."""
    risky = cells.filter(pl.col("v").str.contains(r"^[=+\-@\t\r]"))
    for r in risky["_row"].to_list()[:MAX_MESSAGES_PER_FILE]:
        extract.error(
            "värdet börjar med =, +, -, @ eller ett tabbtecken och kan tolkas som en formel i Excel; "
            "ändra namnet i källsystemet (värdet visas inte)",
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
    # Only the duplicated keys are grouped (a hash set over all rows, lists for the few duplicates).
    key = pl.col(keys[0]) if len(keys) == 1 else pl.struct(keys)
    # 64-bit hashes first (small), then the exact keys of the few candidates.
    candidates = frame.select(*keys, "_row").filter(key.hash().is_duplicated())
    dup = (
        candidates.filter(key.is_duplicated())
        .group_by(keys)
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
def read_extract(path: str | Path | InMemoryFile, kind: str | None = None, display_name: str | None = None) -> Extract:
    """Read, recognise and validate one extract file (a path, or an upload held in memory).
    Never raises on bad content.

    The file is streamed: hashed and checked 1 MB at a time, then read, typed and validated
    CHUNK_ROWS rows at a time; only the typed rows are kept (issue 11: bounded memory). An
    upload held in memory is never written to disk (issue 10)."""
    import tempfile

    src = path if isinstance(path, InMemoryFile) else Path(path)
    path = Path(src.name) if isinstance(src, InMemoryFile) else src
    name = redact(display_name or path.name)  # a file name is echoed everywhere: never a personnummer
    try:
        scan = _scan(src)
    except OSError:
        ex = Extract(path, name, "")
        ex.error("filen kunde inte läsas (finns den, och får du läsa den?)")
        return ex
    ex = Extract(path, name, scan.sha256)
    if kind is not None:
        kind = KIND_ALIASES.get(kind.strip().lower())
        if kind is None:
            ex.error(f"okänd typ; välj en av {', '.join(KINDS)}, huvudbok")
            return ex
    suffix = path.suffix.lower()
    with (contextlib.nullcontext(None) if isinstance(src, InMemoryFile)
          else tempfile.TemporaryDirectory(prefix="iof-extract-")) as workdir:
        try:
            _read_and_validate(ex, src, suffix, scan, kind, Path(workdir) if workdir else None)
        except _SheetNameError:
            ex.frame = None
            ex.error("ett bladnamn i arbetsboken liknar ett personnummer eller samordningsnummer; "
                     "filen har inte lästs in (namnet visas inte)")
        except _Unreadable as exc:
            ex.frame = None
            ex.error(f"filen kunde inte läsas: {exc}")
        except Exception as exc:  # a corrupt file is a user problem, not a bug
            ex.frame = None
            ex.error(f"filen kunde inte läsas som {suffix.lstrip('.') or 'csv'}: {_reason(exc)}")
    return ex


def _reason(exc: Exception) -> str:
    """A Swedish reason for a reader's exception (its own text may quote the data: not shown)."""
    text = str(exc).lower()
    if "zip" in text or "not a valid" in text or "invalid" in text and "xlsx" in text:
        return "filen är skadad eller inte en riktig arbetsbok"
    if "ragged" in text or "fields" in text or "expected" in text:
        return "raderna har olika antal kolumner"
    return f"oväntat format ({type(exc).__name__}); spara filen på nytt som CSV eller .xlsx"


def _read_and_validate(ex: Extract, path: Path | InMemoryFile, suffix: str, scan: _Scan, kind: str | None,
                       workdir: Path | None) -> None:
    fallback = None
    if suffix in (".xlsx", ".xlsm"):
        data = path.data if isinstance(path, InMemoryFile) else None
        header, eager, hidden = _read_xlsx_cells(Path(path.name) if data else path,
                                                 kind or _kind_from_name(ex.file_name), data)
        if hidden:
            ex.note(f"dolda blad lästes inte: {', '.join(mask(h) for h in hidden)}")
        cells = lambda: iter([eager])  # noqa: E731
    elif suffix in (".csv", ".txt", ".tsv", ""):
        _refuse_non_text(scan.head, suffix)
        header, cells, fallback = _csv_cells(path, scan, workdir)
    else:
        ex.error(f"filtypen {suffix} stöds inte; använd .csv eller .xlsx")
        return
    header = [_normalise_header(h) for h in header]
    if not header or not any(header):
        ex.error("filen är tom eller saknar rubrikrad", row=1)
        return
    if kind is None:
        kind, reason = detect_kind(header, ex.file_name)
        if kind is None:
            ex.error(reason or "okänd filtyp", row=1)
            return
    if kind not in KINDS:  # e.g. named huvudbok_… and read as a contract file
        ex.error("filen har inte huvudbokens kolumner (ansvar, konto, belopp)", row=1)
        return
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
    for col in spec:
        if col.required and col.name not in header:
            ex.error(f"obligatorisk kolumn '{col.name}' saknas", row=1, column=col.name)
    # Keep only known columns (first occurrence).
    idx = {h: i for i, h in reversed(list(enumerate(header))) if h in known}
    header_findings = list(ex.problems)
    try:
        parts, n_data = _typed_in_chunks(ex, cells(), idx, spec, len(header))
    except (_Ragged, pl.exceptions.ComputeError, pl.exceptions.ShapeError):
        if fallback is None:
            raise
        # ragged rows: the exact reader pads them, as Excel shows them
        ex.problems = header_findings
        parts, n_data = _typed_in_chunks(ex, fallback(), idx, spec, len(header))
    if n_data == 0:
        ex.error("filen har inga datarader", row=2)
        return
    if not ex.ok:
        return
    frame = pl.concat(parts, how="vertical", rechunk=False) if len(parts) > 1 else parts[0]
    del parts
    for col in spec:  # optional columns absent from the file become nulls
        if col.code not in frame.columns:
            dtype = {"int": pl.Int64, "dec": pl.Float64, "date": pl.Date}.get(col.type, pl.String)
            frame = frame.with_columns(pl.lit(None, dtype=dtype).alias(col.code))
    _check_rows(ex, frame)
    if not ex.ok:
        return
    ex.frame = frame.select([c.code for c in spec] + ["_row"])
    ex.period = _period(ex, ex.frame)


def _compact(frame: pl.DataFrame, spec) -> pl.DataFrame:
    """Repeated words (enhet, placeringsform, lagrum …) as categoricals: a few bytes per row
    instead of the text, so that a city's register stays small in memory. Ids stay text."""
    repeated = [c.code for c in spec if c.type in ("enum", "text") and not c.identifier and c.code in frame.columns]
    return frame.with_columns(pl.col(c).cast(pl.Categorical) for c in repeated)


def _typed_in_chunks(
    ex: Extract, chunks: Iterator[pl.DataFrame], idx: dict[str, int], spec, width: int
) -> tuple[list[pl.DataFrame], int]:
    """Types and validates one chunk at a time; (typed parts, number of data rows)."""
    parts: list[pl.DataFrame] = []
    n_data = 0
    not_blank = (
        pl.any_horizontal([pl.col(f"c{j}").fill_null("").str.strip_chars() != "" for j in range(width)])
        if width else pl.lit(True)
    )
    keep = [pl.col(f"c{i}").alias(h) for h, i in idx.items()] + [pl.col("_row")]
    for chunk in chunks:
        raw = chunk.filter(not_blank).select(keep)
        del chunk
        if raw.height == 0:
            continue
        n_data += raw.height
        if len(ex.errors) > MAX_MESSAGES_PER_FILE:
            continue  # the report shows the first errors only; count the rows, type no more
        typed = _typed(ex, raw, spec)
        del raw
        if typed is not None and ex.ok:
            parts.append(_compact(typed, spec))
        else:
            parts.clear()
    return parts, n_data


# --------------------------------------------------------------------------------------------
# For the ledger reader (iof.ingest.ledger): the header alone, and the whole file's cells
# --------------------------------------------------------------------------------------------
def peek_header(path: str | Path | InMemoryFile, kind_hint: str | None = None) -> list[str] | None:
    """The normalised header of a file (reads the first line / the chosen sheet), or None if it
    cannot be read: enough to tell a ledger export from a contract extract."""
    src = path if isinstance(path, InMemoryFile) else Path(path)
    suffix = Path(src.name).suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            data = src.data if isinstance(src, InMemoryFile) else None
            header, _, _ = _read_xlsx_cells(Path(src.name) if data else src, kind_hint, data)
        else:
            scan = _scan(src)
            _refuse_non_text(scan.head, suffix)
            first = _first_line(src, scan.encoding)
            header = next(csv.reader([first], delimiter=_sniff_separator(first)), [])
    except Exception:  # unreadable: read_extract says why
        return None
    return [_normalise_header(h) for h in header]


def open_extract(path: str | Path | InMemoryFile, kind: str | None = None, display_name: str | None = None
                 ) -> tuple[Extract, list[str] | None, pl.DataFrame | None]:
    """The file's extract, header and all its cells (c0..cN, `_row`); (extract with an error, None,
    None) if unreadable. Reads the whole file: for ledger exports, which are read as one frame."""
    src = path if isinstance(path, InMemoryFile) else Path(path)
    path = Path(src.name) if isinstance(src, InMemoryFile) else src
    data = src.data if isinstance(src, InMemoryFile) else None
    name = redact(display_name or path.name)
    try:
        scan = _scan(src)
    except OSError:
        ex = Extract(path, name, "")
        ex.error("filen kunde inte läsas (finns den, och får du läsa den?)")
        return ex, None, None
    ex = Extract(path, name, scan.sha256)
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            header, cells, hidden = _read_xlsx_cells(path, KIND_ALIASES.get((kind or "").strip().lower()), data)
            if hidden:
                ex.note(f"dolda blad lästes inte: {', '.join(mask(h) for h in hidden)}")
        elif suffix in (".csv", ".txt", ".tsv", ""):
            _refuse_non_text(scan.head, suffix)
            header, chunks, _ = _csv_cells(src, scan, None)  # the copy, if any, in memory
            parts = list(chunks())
            cells = pl.concat(parts) if parts else None
        else:
            ex.error(f"filtypen {suffix} stöds inte; använd .csv eller .xlsx")
            return ex, None, None
    except _SheetNameError:
        ex.error("ett bladnamn i arbetsboken liknar ett personnummer eller samordningsnummer; "
                 "filen har inte lästs in (namnet visas inte)")
        return ex, None, None
    except _Unreadable as exc:
        ex.error(f"filen kunde inte läsas: {exc}")
        return ex, None, None
    except Exception as exc:  # a corrupt file is a user problem, not a bug
        ex.error(f"filen kunde inte läsas som {suffix.lstrip('.') or 'csv'}: {_reason(exc)}")
        return ex, None, None
    header = [_normalise_header(h) for h in header]
    if not header or not any(header) or cells is None:
        ex.error("filen är tom eller saknar rubrikrad", row=1)
        return ex, None, None
    return ex, header, cells
