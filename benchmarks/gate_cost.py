"""What the gate costs a request (issue 14): short connections vs one held open, at city scale.

    python benchmarks/gate_cost.py /tmp/city.duckdb      # a database from `iof demo --scale city`

Prints the median and 95th percentile (ms) of: opening the file read-only; a quiet click (the
app's per-run checks: generation, units, demo marker, cache version — remembered per generation);
the same checks when the generation changed (the first click after an import); and the cold
loads of a page (the five extracts) through short connections and through a held connection.
"""

from __future__ import annotations

import statistics
import sys
import time

import duckdb

from iof.store.db import Store


def _ms(fn, n: int) -> str:
    xs = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        xs.append((time.perf_counter() - t) * 1000)
    xs.sort()
    return f"median {statistics.median(xs):6.1f} ms, p95 {xs[int(0.95 * (n - 1))]:6.1f} ms"


def main(db: str) -> None:
    cfg = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    print(f"databas: {db}")
    print("öppna + stäng skrivskyddat         ", _ms(lambda: duckdb.connect(db, read_only=True, config=cfg).close(), 40))
    app = Store(db, read_only=True, hold=False)

    def checks():
        app.pin()
        app.units(), app.is_demo(), app.is_empty(), app.cache_version()
        app.unpin()

    checks()
    print("tyst klick (inget ändrat)          ", _ms(checks, 200), f"— öppnade {app.opened} gång(er) totalt")

    def changed():
        app.gate.bump()  # as after a write by another process
        checks()

    print("första klicket efter en import     ", _ms(changed, 20))

    def cold_short():
        for name in ("budget", "actual", "placements", "staffing", "cases"):
            getattr(app, name)()

    print("sidans fem extrakt, korta anslutn. ", _ms(cold_short, 10))
    with Store(db, read_only=True) as held:
        def cold_held():
            for name in ("budget", "actual", "placements", "staffing", "cases"):
                getattr(held, name)()

        print("sidans fem extrakt, hållen anslutn.", _ms(cold_held, 10))
    app.close()


if __name__ == "__main__":
    main(sys.argv[1])
