"""Memory benchmark (issue 11, finding 4): a 2-million-row placements file through the CLI.

    python benchmarks/big_import.py [--rows 2000000] [--blank-line] [--dir /tmp/iof-big]

writes placeringar_2026-10.csv as Swedish Excel would (UTF-8 with BOM, `;`, CRLF, decimal comma;
with --blank-line one empty line in the middle, the other reader path), then runs
`/usr/bin/time -v python -m iof import FILE --db NEW.duckdb` and prints the wall time and the
peak resident memory of the import process. No assertions: the figure goes into the notes.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

import polars as pl

FORMS = ["Familjehem egen regi", "Familjehem konsulentstött", "Jourhem egen regi", "Jourhem konsulentstött",
         "Nätverkshem", "HVB", "SiS", "Stödboende"]
UNITS = ["Barn och ungdom", "Familjehemsenheten", "Familjerätt", "Familjestöd", "Vuxenenheten/RVC"]


def write_file(path: Path, rows: int, blank_line: bool) -> None:
    i = pl.int_range(0, rows, eager=True)
    start = pl.date(2015, 1, 1) + pl.duration(days=(pl.col("i") * 7919) % 4000)
    frame = pl.DataFrame({"i": i}).select(
        # ids as long as a city's real ones (the file: 317 MB for 2 million rows)
        placerings_id=pl.format("PLAC-SDN{}-{}", pl.col("i") % 14, pl.col("i") + 10_000_000),
        barn_id=pl.format("BARN-{}-{}", pl.col("i") % 97, (pl.col("i") // 2) * 7919 % 100_000_007),
        enhet=pl.col("i").mod(len(UNITS)).replace_strict(dict(enumerate(UNITS)), return_dtype=pl.String),
        placeringsform=pl.col("i").mod(len(FORMS)).replace_strict(dict(enumerate(FORMS)), return_dtype=pl.String),
        startdatum=start,
        slutdatum=pl.when(pl.col("i") % 3 == 0).then(start + pl.duration(days=200)),
        planerat_slutdatum=pl.when(pl.col("i") % 5 == 0).then(start + pl.duration(days=365)),
        dygnskostnad_kr=(pl.col("i") % 9000 + 400).cast(pl.Float64) + 0.5,
        avslutsorsak=pl.when(pl.col("i") % 3 == 0).then(pl.lit("Planerad")),
        lagrum=pl.lit("LVU 2 § och 3 §, SoL 2025:400 22 kap"),
        kön=pl.when(pl.col("i") % 2 == 0).then(pl.lit("F")).otherwise(pl.lit("M")),
        födelseår=(2000 + pl.col("i") % 20),
        ensamkommande=pl.lit("nej"),
    )
    body = frame.write_csv(separator=";", decimal_comma=True, line_terminator="\r\n", date_format="%Y-%m-%d")
    if blank_line:
        mid = body.index("\r\n", len(body) // 2) + 2
        body = body[:mid] + "\r\n" + body[mid:]
    path.write_bytes(b"\xef\xbb\xbf" + body.encode("utf-8"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=2_000_000)
    ap.add_argument("--blank-line", action="store_true")
    ap.add_argument("--dir", type=Path, default=Path("/tmp/iof-big"))
    args = ap.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    src = args.dir / (f"placeringar_2026-10_{args.rows}" + ("_blank" if args.blank_line else "") + ".csv")
    if not src.exists():
        write_file(src, args.rows, args.blank_line)
    db = args.dir / f"big-{time.time_ns()}.duckdb"
    cmd = ["/usr/bin/time", "-v", sys.executable, "-m", "iof", "import", str(src), "--db", str(db)]
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr).group(1))
    print(f"{src.name}: {src.stat().st_size / 1e6:.0f} MB, {args.rows} rader, exit {done.returncode}, "
          f"{wall:.1f} s, högsta RSS {peak / 1024:.0f} MB")
    if done.returncode:
        print(done.stdout[-1500:], done.stderr[-1500:])
    db.unlink(missing_ok=True)
    Path(str(db) + ".wal").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
