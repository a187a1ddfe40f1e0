"""The package layout holds: no import cycles, every module imports on its own, packages say
what they own, and migrations are named by their functions."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from radar.store.migrations import MigrationSteps, migrations

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SRC / "radar"


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _type_checking_only(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def runtime_imports(path: Path) -> set[str]:
    """radar modules that `path` imports when it runs (top level or in a function), resolved
    to the module itself: `from radar.brief import digest` is radar.brief.digest."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if _type_checking_only(child):
                continue
            if isinstance(child, ast.Import):
                found.update(a.name for a in child.names if a.name.startswith("radar"))
            elif isinstance(child, ast.ImportFrom) and (child.module or "").startswith("radar"):
                base = child.module or ""
                for alias in child.names:
                    sub = f"{base}.{alias.name}"
                    found.add(sub if sub in MODULES else base)
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return {name for name in found if name in MODULES}


def test_no_module_imports_itself_back_through_others() -> None:
    graph = {name: runtime_imports(path) for name, path in MODULES.items()}
    for name, path in MODULES.items():
        if path.name == "__init__.py":  # a package re-exporting its own modules is not a cycle
            graph[name] = {d for d in graph[name] if not d.startswith(name + ".")}
    cycles: list[list[str]] = []

    def walk(node: str, trail: list[str], done: set[str]) -> None:
        if node in trail:
            cycles.append([*trail[trail.index(node) :], node])
            return
        if node in done:
            return
        for target in sorted(graph[node]):
            walk(target, [*trail, node], done)
        done.add(node)

    done: set[str] = set()
    for name in sorted(graph):
        walk(name, [], done)
    assert cycles == [], " ; ".join(" -> ".join(c) for c in cycles)


def test_every_module_imports_on_its_own() -> None:
    probe = """
import importlib, json, sys
failed = {}
for name in sys.argv[1:]:
    for loaded in [m for m in sys.modules if m == "radar" or m.startswith("radar.")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except Exception as exc:
        failed[name] = repr(exc)
print(json.dumps(failed))
"""
    names = [n for n in MODULES if not n.endswith("__main__")]
    result = subprocess.run(
        [sys.executable, "-c", probe, *names],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(SRC), "PATH": ""},
        check=True,
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {}


@pytest.mark.parametrize(
    "package", sorted(n for n, p in MODULES.items() if p.name == "__init__.py" and "." in n)
)
def test_each_package_says_what_it_owns(package: str) -> None:
    doc = ast.get_docstring(ast.parse(MODULES[package].read_text(encoding="utf-8")))
    assert doc and len(doc.split()) >= 8, f"{package}/__init__.py needs a docstring"


def test_migrations_are_named_by_their_functions_in_order() -> None:
    assert all(name.startswith(f"m{i:03d}_") for i, name in enumerate(migrations.names, 1))
    steps = MigrationSteps("probe")

    @steps
    def m001_first(db: object) -> None: ...

    def m003_skips_a_number(db: object) -> None: ...

    def m001_first_again(db: object) -> None: ...

    with pytest.raises(ValueError, match="m002_"):
        steps(m003_skips_a_number)
    with pytest.raises(ValueError, match="m002_"):
        steps(m001_first_again)
    assert steps.names == ("m001_first",)
