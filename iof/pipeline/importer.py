"""Stores validated extracts in DuckDB: a batch of files is one transaction, all or nothing."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from iof.store import audit, backup
from iof.core import domain
from iof.ingest.extracts import KINDS, Extract, Problem
from iof.ingest.ledger import read_file
from iof.store.db import Store, run
from iof.core.privacy import current_user

# kind -> (replace-period query, insert query)
_SQL = {
    "budget": ("budget_replace_period", "budget_insert"),
    "utfall": ("actual_replace_period", "actual_insert"),
    "bemanning": ("staffing_replace_period", "staffing_insert"),
    "placeringar": ("placement_replace_period", "placement_insert"),
    "arenden": ("case_replace_period", "case_insert"),
}

Progress = Callable[[float, str], None]


@dataclass
class ImportResult:
    extracts: list[Extract]
    stored: list[Extract] = field(default_factory=list)
    unchanged: list[Extract] = field(default_factory=list)
    batch_problems: list[Problem] = field(default_factory=list)
    batch_id: int | None = None
    frozen: tuple[int, int] | None = None  # the prognosis frozen before a new month was stored
    new_units: list[str] = field(default_factory=list)  # units not in the database before
    unconfirmed_units: list[str] = field(default_factory=list)  # new units still to be confirmed
    window_s: tuple[float, float] | None = None  # (wait for the write window, time inside it)

    @property
    def problems(self) -> list[Problem]:
        return [p for e in self.extracts for p in e.problems] + self.batch_problems

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def ok(self) -> bool:
        return not self.errors

    def report(self) -> str:
        """The import report in Swedish, as the CLI prints it and the app shows it."""
        lines: list[str] = []
        for e in self.extracts:
            label = domain.KIND_LABELS.get(e.kind or "", "okänd typ")
            if e.source == "huvudbok":
                label = f"huvudbok → {label.lower()}" if e.kind else "huvudbok"
            status = (
                "oförändrad (identisk fil redan importerad)"
                if e in self.unchanged
                else ("sparad" if e in self.stored else ("godkänd" if e.ok else "underkänd"))
            )
            lines.append(f"{e.file_name}: {label}, period {e.period or '–'}, {e.n_rows} rader — {status}")
            lines.extend(f"  {d}" for d in e.details)
        errors = self.errors
        confirmed = [u for u in self.new_units if u not in self.unconfirmed_units]
        if confirmed:
            lines.append(f"Nya enheter: {', '.join(confirmed)}.")
        for p in self.problems:
            lines.append(f"  {p}")
        hidden = sum(1 for e in self.extracts if len(e.errors) > 50)
        if hidden:
            lines.append("  (bara de första felen per fil visas)")
        if errors:
            lines.append(
                f"Importen avbröts: {len(errors)} fel. Ingenting från den här importen har sparats."
            )
        elif self.stored:
            rows = sum(e.n_rows for e in self.stored)
            if self.frozen:
                lines.append(f"Prognosen för {self.frozen[0]}-{self.frozen[1]:02d} frystes som den var före importen.")
            lines.append(f"Importen klar: {len(self.stored)} filer, {rows} rader sparade.")
        else:
            lines.append("Inget nytt att importera.")
        return "\n".join(lines)


def upload_limit_mb() -> float:
    """The app's upload limit in MB (iof.toml ["import"] största_uppladdning_mb)."""
    from iof.core import config

    return float(config.load().section("import").get("största_uppladdning_mb", 50))



def validate_files(
    paths: Sequence[str | Path],
    kind: str | None = None,
    display_names: Sequence[str] | None = None,
    store: Store | None = None,
    new_units: Sequence[str] | None = None,
    is_demo: bool = False,
    mapping: str | Path | None = None,
) -> ImportResult:
    """Read and validate every file, plus the rules across files of one batch. Stores nothing.

    A ledger file is replaced by the contract extracts it becomes (utfall and/or budget); `mapping`
    is its kontoplan.toml.

    With `store`, unit names are matched to the units already stored (iof.core.unitnames): the
    stored spelling wins, a name that would share a page address with another unit is an error,
    and a genuinely new unit is listed in `new_units`. It must be confirmed: named in
    `new_units` (the CLI's --ny-enhet, the app's confirmation), except in demo data and in the
    first import into an empty database (there every unit is new). `new_units=None` only
    reports them (`unconfirmed_units`) without making them errors: the app's first look.
    """
    names = list(display_names) if display_names else [None] * len(paths)
    read = [read_file(p, kind=kind, display_name=n, mapping=mapping) for p, n in zip(paths, names)]
    extracts = [part for e in read for part in (e.parts or [e])]
    result = ImportResult(extracts)
    if store is not None:
        _resolve_units(result, store, new_units, is_demo)
    _check_batch(result)
    return result


def _resolve_units(result: ImportResult, store: Store, accepted: Sequence[str] | None, is_demo: bool) -> None:
    from iof.core import unitnames

    good = [e for e in result.extracts if e.ok and e.frame is not None]
    seen: dict[str, tuple[Extract, int]] = {}
    for e in good:
        firsts = e.frame.group_by("unit").agg(pl.col("_row").min()).sort("_row")
        for unit, row in firsts.iter_rows():
            seen.setdefault(unit, (e, row))
    stored = store.units()
    res = unitnames.resolve(list(seen), stored)
    for name, reason in res.problems.items():
        e, row = seen[name]
        e.error(reason, row=row, column="enhet")
    for e in good:
        changed = {k: v for k, v in res.mapping.items() if k != v}
        if changed:
            for k, v in changed.items():
                if k in set(e.frame["unit"].unique().to_list()):
                    e.note(f"enheten '{k}' lagras som den befintliga enheten '{v}'", column="enhet")
            e.frame = e.frame.with_columns(pl.col("unit").replace(changed))
    result.new_units = list(res.new_units)
    if is_demo or not stored:
        return  # demo data, or the first import: every unit is new and accepted
    ok = {unitnames.key(u) for u in (accepted or ())}
    result.unconfirmed_units = [u for u in res.new_units if unitnames.key(u) not in ok]
    if accepted is None:
        return
    for u in result.unconfirmed_units:
        e, row = seen[u]
        e.error(
            f"enheten '{u}' finns inte i databasen (kända enheter: {', '.join(stored[:12])}{' …' if len(stored) > 12 else ''}). Kontrollera "
            "stavningen. Är det en ny enhet ska den bekräftas: på kommandoraden med "
            f"--ny-enhet \"{u}\", i dashboarden med kryssrutan för nya enheter.",
            row=row,
            column="enhet",
        )


def _check_batch(result: ImportResult) -> None:
    """Two files of one batch may not both deliver the same period or the same id."""
    good = [e for e in result.extracts if e.ok and e.frame is not None]
    keys = {
        "budget": ["year", "unit"],
        "utfall": ["year", "month", "unit"],
        "bemanning": ["year", "month", "unit"],
        "placeringar": ["placement_id"],
        "arenden": ["case_id"],
    }
    for kind, cols in keys.items():
        same = [e for e in good if e.kind == kind]
        if len(same) < 2:
            continue  # one file: its own keys were checked by read_extract
        # Keys delivered by more than one file, found by Polars (no Python set of a city's ids).
        owners = pl.concat(
            [e.frame.select([pl.col(c).cast(pl.String) if e.frame.schema[c] == pl.Categorical else pl.col(c)
                             for c in cols]).unique().with_columns(_file=pl.lit(i)) for i, e in enumerate(same)]
        )
        shared = owners.group_by(cols).agg(pl.col("_file").sort()).filter(pl.col("_file").list.len() > 1)
        reported: set[int] = set()
        for files in shared["_file"].to_list():
            first, later = files[0], [f for f in files[1:] if f not in reported]
            for f in later:
                reported.add(f)
                what = "samma id" if kind in ("placeringar", "arenden") else "samma period och enhet"
                result.batch_problems.append(
                    Problem(
                        same[f].file_name,
                        None,
                        None,
                        f"{what} finns också i {same[first].file_name}; importera en av filerna i taget",
                    )
                )


def import_files(
    store: Store,
    paths: Sequence[str | Path],
    kind: str | None = None,
    user: str | None = None,
    is_demo: bool = False,
    display_names: Sequence[str] | None = None,
    progress: Progress | None = None,
    new_units: Sequence[str] = (),
    mapping: str | Path | None = None,
) -> ImportResult:
    """Validate all files, then store them in one transaction. Nothing is stored on any error.

    `mapping`: the ledger mapping file (kontoplan.toml) for ledger exports among the files."""
    say = progress or (lambda _f, _t: None)
    say(0.0, "Läser och kontrollerar filerna …")
    result = validate_files(paths, kind=kind, display_names=display_names, store=store,
                            new_units=list(new_units), is_demo=is_demo, mapping=mapping)
    user = user or current_user()
    # One write window for the rest (iof.store.gate): other processes' readers wait a moment and
    # then see the database before or after the import, never between; nothing waits while the
    # files are read and checked above.
    t0 = time.monotonic()
    with store.session(write=True):
        t1 = time.monotonic()
        try:
            return _store_in_window(store, result, user, is_demo, say)
        finally:
            result.window_s = (t1 - t0, time.monotonic() - t1)


def _store_in_window(store: Store, result: ImportResult, user: str, is_demo: bool, say: Progress) -> ImportResult:
    """Inside the write window: the demo/real check, backup, the freeze and the one transaction."""
    if result.ok:
        _check_demo_mix(store, result, is_demo)
    if not result.ok:
        audit.log_event(store, user, "import", audit.describe_import(result), outcome="underkänd")
        return result
    incoming = sorted(
        {(int(y), int(m)) for e in result.extracts if e.kind == "utfall" for y, m in
         e.frame.select("year", "month").unique().iter_rows()}
    )
    fault_point("validerad")
    try:
        backup.before_import(store, result)
    except OSError as exc:
        result.batch_problems.append(Problem(
            "importen", None, None,
            f"säkerhetskopian före importen kunde inte skrivas i {backup.backup_dir(store)} "
            f"({'skrivskyddad mapp' if isinstance(exc, PermissionError) else 'filfel'}); ingenting har sparats.",
        ))
        audit.log_event(store, user, "import", audit.describe_import(result), outcome="misslyckad")
        return result
    fault_point("säkerhetskopia")
    pending = None
    if not is_demo:
        from iof.pipeline.prognosis import prepare_freeze_before_new_month

        # Computed from what is stored now, written inside the import's transaction below:
        # a failed or killed import freezes nothing.
        pending = prepare_freeze_before_new_month(store, incoming, f"{user} (automatiskt före import)")
    try:
        with audit.failed_import_logged(store, user, result), _reset_on_failure(result), \
                store.transaction() as cur:
            _store_batch(cur, store, result, user, is_demo, pending, say)
            fault_point("före-commit")
    except (duckdb.Error, _ImportFailed) as exc:
        problem = exc.problem if isinstance(exc, _ImportFailed) else Problem(
            "importen", None, None, _swedish_db_error(exc)[0]
        )
        result.batch_problems.append(problem)
        return result
    fault_point("efter-commit")
    say(1.0, "Klart.")
    return result


@contextlib.contextmanager
def _reset_on_failure(result: ImportResult):
    """After a rollback the result says what is true: nothing stored, nothing frozen."""
    try:
        yield
    except BaseException:
        result.stored.clear()
        result.unchanged.clear()
        result.frozen = None
        result.batch_id = None
        raise


class _ImportFailed(Exception):
    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem
        # for the audit log: where, never the data (the message names no value)
        self.audit_reason = f"databasfel i {problem.file}" + (f", rad {problem.row}" if problem.row else "")


def fault_point(stage: str) -> None:
    """For the kill tests only: SIGKILL this process at `stage` when $IOF_TEST_KILL_AT names it
    (stages: validerad, säkerhetskopia, fryst, fil-N, före-commit, efter-commit)."""
    if os.environ.get("IOF_TEST_KILL_AT") == stage:
        import signal

        os.kill(os.getpid(), signal.SIGKILL)


# Columns of the stored tables, by code name → the contract's Swedish column name.
_SWEDISH_COLUMNS = {c.code: c.name for spec in KINDS.values() for c in spec}


def _swedish_db_error(exc: Exception) -> tuple[str, str | None]:
    """A DuckDB error inside an import as a Swedish sentence (never the data it quotes), and the
    code name of the column it names, if any."""
    import re

    full = str(exc)
    text = full.split("\nLINE", 1)[0]
    # The column: what DuckDB's caret marks in the quoted SQL, or a "source column …" it names.
    marked = ""
    lines = full.split("\n")
    for i, line in enumerate(lines[:-1]):
        if line.startswith("LINE") and "^" in lines[i + 1]:
            start = lines[i + 1].index("^")
            marked = line[start:start + lines[i + 1].count("^")]
    m = re.search(r"column ([^\n]+)", text)
    marked += " " + (m.group(1) if m else "")
    code = next((c for c in _SWEDISH_COLUMNS if re.search(rf"\b{c}\b", marked)), None)
    where = ""
    from iof.store.db import is_corruption

    if is_corruption(exc):
        what = "databasfilen är skadad (kontrollsumman stämmer inte); återställ en säkerhetskopia med `iof återställ`"
    elif isinstance(exc, duckdb.ConversionException) or "out of range" in text.lower() or "could not cast" in text.lower():
        what = "ett värde ryms inte i databasen (för stort tal eller fel typ)"
    elif isinstance(exc, (duckdb.IOException, duckdb.PermissionException)):
        what = "databasfilen kunde inte skrivas (fullt diskutrymme, skrivskyddad mapp eller trasig fil)"
    elif isinstance(exc, duckdb.ConstraintException):
        what = "ett värde bryter mot databasens regler (t.ex. dubblett)"
    else:
        what = f"databasfel ({type(exc).__name__})"
    return f"{what}{where}. Ingenting från den här importen har sparats.", code


def _db_problem(exc: Exception, e: Extract) -> Problem:
    """The Swedish problem for a DuckDB error while storing `e`, at the first row it can name."""
    message, code = _swedish_db_error(exc)
    row = None
    if code and e.frame is not None and code in e.frame.columns and e.frame[code].dtype.is_numeric():
        limit = 1e14
        x = pl.col(code).abs()
        if e.kind in ("budget", "utfall"):  # rows of one key are summed on insert
            keys = [k for k in ("year", "month", "unit", "cost_type") if k in e.frame.columns]
            x = pl.col(code).sum().over(keys).abs()
        hit = e.frame.filter(x >= limit)
        if hit.height:
            row = int(hit["_row"].min())
            if e.kind in ("budget", "utfall"):
                message = message.replace(". Ingenting", "; summan av raderna med samma period, enhet och "
                                          "kostnadsslag är för stor. Ingenting", 1)
    return Problem(e.file_name, row, _SWEDISH_COLUMNS.get(code) if code else None, message)


def _store_batch(cur, store: Store, result: ImportResult, user: str, is_demo: bool, pending, say: Progress) -> None:
    """Everything an import writes, in the transaction of `cur`: the frozen prognosis, the files,
    the import log and the audit event."""
    if pending is not None:
        from iof.pipeline.prognosis import write_snapshot

        write_snapshot(cur, pending)
        result.frozen = (pending.year, pending.month)
        fault_point("fryst")
    batch_id = run(cur, "next_batch_id")[0][0]
    result.batch_id = batch_id
    total = len(result.extracts)
    for i, e in enumerate(result.extracts):
        say(0.1 + 0.9 * i / total, f"Sparar {e.file_name} ({i + 1} av {total}) …")
        latest = run(cur, "import_latest_sha", kind=e.kind, period=e.period)
        if latest and latest[0][0] == e.sha256:
            result.unchanged.append(e)
            continue
        import_id = run(cur, "next_import_id")[0][0]
        replace_sql, insert_sql = _SQL[e.kind]
        incoming = e.frame.drop("_row")
        cur.register("incoming", incoming.to_arrow(compat_level=pl.CompatLevel.newest()))
        try:
            register = e.kind in ("placeringar", "arenden")
            run(cur, replace_sql, **({"period": e.period} if register else {}))
            run(cur, insert_sql, import_id=import_id, **({"period": e.period} if register else {}))
        except duckdb.Error as exc:
            raise _ImportFailed(_db_problem(exc, e)) from None
        finally:
            with contextlib.suppress(duckdb.Error):  # an aborted transaction refuses it; rollback follows
                cur.unregister("incoming")
        run(
            cur,
            "import_log_insert",
            import_id=import_id,
            batch_id=batch_id,
            file_name=e.file_name,
            sha256=e.sha256,
            kind=e.kind,
            period=e.period,
            n_rows=e.n_rows,
            imported_by=user,
            is_demo=is_demo,
        )
        result.stored.append(e)
        fault_point(f"fil-{i + 1}")
    if result.stored:
        run(cur, "meta_set", key="is_demo", value="true" if is_demo else "false")
    audit.log_event(store, user, "import", audit.describe_import(result), cur=cur)


def _check_demo_mix(store: Store, result: ImportResult, is_demo: bool) -> None:
    """Demo data and real data never share a database (a demo marker must never lie)."""
    if store.is_empty():
        return
    if store.is_demo() and not is_demo:
        result.batch_problems.append(
            Problem(
                str(store.path.name),
                None,
                None,
                "databasen innehåller demodata. Verkliga extrakt importeras till en egen databas "
                "(ange --db eller IOF_DB), så att demodata och verkliga uppgifter aldrig blandas.",
            )
        )
    elif not store.is_demo() and is_demo:
        result.batch_problems.append(
            Problem(
                str(store.path.name),
                None,
                None,
                "databasen innehåller verkliga uppgifter; demodata skrivs bara till en tom databas.",
            )
        )


def import_log(store: Store) -> pl.DataFrame:
    return store.query("import_log_all")


def load_demo(
    store: Store,
    scale: str = "district",
    seed: int = 1,
    today=None,
    out_dir: Path | None = None,
    progress: Progress | None = None,
    ledger: bool = False,
    freeze_history: bool = True,
) -> ImportResult:
    """Write demo extract files and import them through the ordinary path, marked as demo.

    `ledger=True`: budget and utfall as ledger exports, read through the demo's kontoplan.toml.
    `freeze_history`: the latest year's earlier months are frozen as a database run month by month
    has them (prognosis.freeze_earlier_months); the pages read the year's path from them."""
    import tempfile

    from iof.ingest.demo import write_demo_extracts

    with tempfile.TemporaryDirectory(prefix="iof-demo-") as tmp:
        target = Path(out_dir) if out_dir else Path(tmp)
        target.mkdir(parents=True, exist_ok=True)
        paths = write_demo_extracts(target, scale=scale, seed=seed, today=today, ledger=ledger)
        mapping = target / "kontoplan.toml" if ledger else None
        result = import_files(store, paths, user="demo", is_demo=True, progress=progress, mapping=mapping)
    if result.ok and freeze_history:
        from iof.pipeline.prognosis import freeze_earlier_months

        freeze_earlier_months(store, created_by="demo")
    return result
