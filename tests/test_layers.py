"""The layer rule of iof/__init__.py, read from the code: no layer imports a higher one, nothing
but the web layer (and pages/, app.py) imports Streamlit, and there is no import cycle."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ALLOWED = {  # layer -> the layers it may import (besides itself)
    "core": set(),
    "ingest": {"core"},
    "store": {"core"},
    "compute": {"core"},
    "pipeline": {"core", "ingest", "store", "compute"},
    "present": {"core", "compute"},
    "web": {"core", "ingest", "store", "compute", "pipeline", "present"},
    "cli": {"core", "ingest", "store", "compute", "pipeline", "present"},
}


def _modules() -> dict[str, Path]:
    out = {}
    for f in (ROOT / "iof").rglob("*.py"):
        name = ".".join(f.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        out[name] = f
    return out


def _imports(path: Path) -> list[str]:
    """Every module name imported anywhere in the file (also inside functions)."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names += [node.module] + [f"{node.module}.{a.name}" for a in node.names]
    return names


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "iof" and parts[1] in ALLOWED else None


def test_every_module_lives_in_a_layer():
    loose = [m for m in _modules() if _layer(m) is None and m not in ("iof", "iof.__main__")]
    assert loose == [], f"modules outside the layers: {loose}"


def test_no_layer_imports_a_higher_one():
    wrong = []
    for module, path in _modules().items():
        here = _layer(module)
        if here is None:
            continue
        for name in _imports(path):
            there = _layer(name)
            if there and there != here and there not in ALLOWED[here]:
                wrong.append(f"{module} imports {name} ({here} → {there})")
    assert wrong == []


def test_only_the_web_layer_imports_streamlit():
    users = [m for m, p in _modules().items()
             if _layer(m) != "web" and any(n.split(".")[0] == "streamlit" for n in _imports(p))]
    assert users == []


def test_pages_use_only_web_and_present_and_start_with_the_frame_guard():
    for page in sorted((ROOT / "pages").glob("*.py")):
        layers = {_layer(n) for n in _imports(page)} - {None}
        assert layers <= {"web", "present", "core"}, f"{page.name} imports {layers}"
        # the first statement after the imports asks for the context (which runs the frame guard)
        body = [n for n in ast.parse(page.read_text(encoding="utf-8")).body
                if not isinstance(n, (ast.Import, ast.ImportFrom))
                and not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
        first = ast.unparse(body[0])
        if page.name == "enhet.py":  # a module of page functions: render() asks, and run as a script it guards
            text = page.read_text(encoding="utf-8")
            assert "ctx = frame.context()" in text and "frame.guard()" in text
        else:
            assert "frame.context(" in first, f"{page.name} starts with {first!r}, not the page context"


def test_pages_make_fragments_through_the_frame():
    """A part that reruns alone is `@frame.fragment`, never a bare `st.fragment`: Streamlit shows a
    fragment's exceptions in place, so only the frame's wrapper turns StaleData into a rerun."""
    bare = [page.name for page in sorted((ROOT / "pages").glob("*.py"))
            if "st.fragment" in page.read_text(encoding="utf-8")]
    assert bare == []


def test_every_table_goes_through_widgets_table():
    """One way to show a table (widgets.table: a Polars frame as Arrow, no pandas on the way)."""
    direct = [str(f.relative_to(ROOT)) for f in sorted([*(ROOT / "pages").glob("*.py"), *(ROOT / "iof").rglob("*.py")])
              if "st.dataframe(" in f.read_text(encoding="utf-8") and f.name != "widgets.py"]
    assert direct == []


def test_no_import_cycles():
    mods = _modules()
    graph = {m: {n for n in _imports(p) if n in mods and n != m} for m, p in mods.items()}
    # a package's __init__ is not an edge target unless imported by name
    state: dict[str, int] = {}
    cycles = []

    def visit(m: str, trail: list[str]) -> None:
        state[m] = 1
        for n in graph[m]:
            if state.get(n) == 1:
                cycles.append(trail[trail.index(n):] + [n] if n in trail else [m, n])
            elif n not in state:
                visit(n, trail + [n])
        state[m] = 2

    for m in graph:
        if m not in state:
            visit(m, [m])
    assert cycles == []


def test_every_migration_has_a_number_of_its_own():
    """The migration runner keys on the number: a second 006 would silently never run."""
    numbers = [p.name[:3] for p in (ROOT / "queries" / "schema").glob("[0-9][0-9][0-9]_*.sql")]
    assert len(numbers) == len(set(numbers)), sorted(numbers)
