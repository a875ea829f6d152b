"""Stores validated extracts in DuckDB: a batch of files is one transaction, all or nothing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from iof.store import audit, backup
from iof.core import domain
from iof.ingest.extracts import Extract, Problem, read_extract
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
            status = (
                "oförändrad (identisk fil redan importerad)"
                if e in self.unchanged
                else ("sparad" if e in self.stored else ("godkänd" if e.ok else "underkänd"))
            )
            lines.append(f"{e.file_name}: {label}, period {e.period or '–'}, {e.n_rows} rader — {status}")
        errors = self.errors
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



def validate_files(
    paths: Sequence[str | Path],
    kind: str | None = None,
    display_names: Sequence[str] | None = None,
) -> ImportResult:
    """Read and validate every file, plus the rules across files of one batch. Stores nothing."""
    names = list(display_names) if display_names else [None] * len(paths)
    extracts = [read_extract(p, kind=kind, display_name=n) for p, n in zip(paths, names)]
    result = ImportResult(extracts)
    _check_batch(result)
    return result


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
        if not _shares_keys(same, cols):  # the usual batch: nothing to walk key by key
            continue
        seen: dict[tuple, str] = {}
        for e in same:
            for key in e.frame.select(cols).unique().iter_rows():
                if key in seen and seen[key] != e.file_name:
                    what = "samma id" if kind in ("placeringar", "arenden") else "samma period och enhet"
                    result.batch_problems.append(
                        Problem(
                            e.file_name,
                            None,
                            None,
                            f"{what} finns också i {seen[key]}; importera en av filerna i taget",
                        )
                    )
                    break
                seen[key] = e.file_name


def _shares_keys(extracts: list, cols: list[str]) -> bool:
    """True when two files (by name) of `extracts` deliver a common key: one set operation."""
    if len({e.file_name for e in extracts}) < 2:
        return False
    both = pl.concat([e.frame.select(cols).unique().with_columns(_file=pl.lit(e.file_name)) for e in extracts])
    return both.group_by(cols).agg(pl.col("_file").n_unique()).filter(pl.col("_file") > 1).height > 0


def import_files(
    store: Store,
    paths: Sequence[str | Path],
    kind: str | None = None,
    user: str | None = None,
    is_demo: bool = False,
    display_names: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Validate all files, then store them in one transaction. Nothing is stored on any error."""
    say = progress or (lambda _f, _t: None)
    say(0.0, "Läser och kontrollerar filerna …")
    result = validate_files(paths, kind=kind, display_names=display_names)
    user = user or current_user()
    if result.ok:
        _check_demo_mix(store, result, is_demo)
    if not result.ok:
        audit.log_event(store, user, "import", audit.describe_import(result), outcome="underkänd")
        return result
    incoming = sorted(
        {(int(y), int(m)) for e in result.extracts if e.kind == "utfall" for y, m in
         e.frame.select("year", "month").unique().iter_rows()}
    )
    backup.before_import(store, result)
    if not is_demo:
        from iof.pipeline.prognosis import freeze_before_new_month

        result.frozen = freeze_before_new_month(store, incoming, f"{user} (automatiskt före import)")
    with audit.failed_import_logged(store, user, result), store.transaction() as cur:
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
            cur.register("incoming", incoming)
            try:
                register = e.kind in ("placeringar", "arenden")
                run(cur, replace_sql, **({"period": e.period} if register else {}))
                run(cur, insert_sql, import_id=import_id, **({"period": e.period} if register else {}))
            finally:
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
        if result.stored:
            run(cur, "meta_set", key="is_demo", value="true" if is_demo else "false")
        audit.log_event(store, user, "import", audit.describe_import(result), cur=cur)
    say(1.0, "Klart.")
    return result


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
) -> ImportResult:
    """Write demo extract files and import them through the ordinary path, marked as demo."""
    import tempfile

    from iof.ingest.demo import write_demo_extracts

    with tempfile.TemporaryDirectory(prefix="iof-demo-") as tmp:
        target = Path(out_dir) if out_dir else Path(tmp)
        target.mkdir(parents=True, exist_ok=True)
        paths = write_demo_extracts(target, scale=scale, seed=seed, today=today)
        return import_files(store, paths, user="demo", is_demo=True, progress=progress)
