"""Layering: waivers have one home, reports sit below the front ends, the CloudFormation engine
reads cloud assemblies on its own, and none of these modules import each other in a circle.

The import graph is read from the source (every import, those inside functions included, except
those only made for type checking), so a cycle hidden behind a lazy import is a cycle too. The
package itself (`serverless_guard/__init__.py`) is left out: Python runs it before any module of
the package, whatever imports what."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "serverless_guard"

# The modules whose imports used to go round in circles, and those that took over their work.
WAIVER_MODULES = (
    "serverless_guard.scan",
    "serverless_guard.evaluate",
    "serverless_guard.cdk.validate",
    "serverless_guard.engines.cloudformation.assembly",
    "serverless_guard.engines.cloudformation.cdk_framework",
    "serverless_guard.waivers",
    "serverless_guard.waivers.judge",
    "serverless_guard.waivers.baseline",
    "serverless_guard.findings",
    "serverless_guard.report",
)


def _modules() -> dict[str, Path]:
    out: dict[str, Path] = {}
    for path in SRC.rglob("*.py"):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported(tree: ast.AST) -> Iterator[str]:
    """Every module name an import statement names (and `module.name` for `from` imports),
    skipping `if TYPE_CHECKING:` blocks."""
    todo: list[ast.AST] = [tree]
    while todo:
        node = todo.pop()
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            todo.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)
        todo.extend(ast.iter_child_nodes(node))


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[name] = {m for m in _imported(tree) if m in MODULES and m not in (name, PACKAGE)}
    return graph


GRAPH = _graph()


def _cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components with more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[set[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(component)
    return found


def _reaches(start: str, graph: dict[str, set[str]]) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for nxt in graph[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_goes_through_the_waivers_reports_or_front_ends() -> None:
    watched = {
        name
        for name in MODULES
        if name.startswith((f"{PACKAGE}.waivers", f"{PACKAGE}.report", f"{PACKAGE}.cdk."))
        or name in WAIVER_MODULES
    }
    offending = [sorted(c) for c in _cycles(GRAPH) if c & watched]
    assert offending == []


PACK = f"{PACKAGE}.engines.pulumi.pack"  # a front end that lives beside its engine


@pytest.mark.parametrize(
    ("lower", "upper"),
    [
        (f"{PACKAGE}.report", f"{PACKAGE}.scan"),
        (f"{PACKAGE}.report", f"{PACKAGE}.cli"),
        (f"{PACKAGE}.report", f"{PACKAGE}.cdk"),
        (f"{PACKAGE}.waivers", f"{PACKAGE}.evaluate"),
        (f"{PACKAGE}.waivers", f"{PACKAGE}.scan"),
        (f"{PACKAGE}.waivers", f"{PACKAGE}.report"),
        (f"{PACKAGE}.waivers", f"{PACKAGE}.cdk"),
        (f"{PACKAGE}.evaluate", f"{PACKAGE}.scan"),
        (f"{PACKAGE}.evaluate", f"{PACKAGE}.cdk"),
        (f"{PACKAGE}.engines", f"{PACKAGE}.cdk"),
        (f"{PACKAGE}.engines", f"{PACKAGE}.waivers"),
        (f"{PACKAGE}.engines", f"{PACKAGE}.scan"),
        (f"{PACKAGE}.findings", f"{PACKAGE}.waivers"),
        (f"{PACKAGE}.findings", f"{PACKAGE}.engines"),
    ],
)
def test_lower_layers_never_reach_upper_ones(lower: str, upper: str) -> None:
    """Imports flow down: `lower` (and every module inside it) reaches nothing of `upper`."""
    for name in MODULES:
        if name.startswith(PACK) or not (name == lower or name.startswith(lower + ".")):
            continue
        reached = _reaches(name, GRAPH)
        assert not {m for m in reached if m == upper or m.startswith(upper + ".")}, name


@pytest.mark.parametrize("module", WAIVER_MODULES)
def test_each_module_imports_alone_in_a_fresh_interpreter(module: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", f"import {module}"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
