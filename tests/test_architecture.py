"""The shape of the house: imports point inward and no two parts import each other.

Every `import` in `src/jixiao` is read with `ast` (function-local ones included, so a
cycle cannot hide in a function body). A part is a subpackage (`read`, `recognise`,
`rules`, `store`, `web` …) or a top-level module of the core (`model`, `fields` …).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "src" / "jixiao"
# The pure core: the model and everything that scores and reviews it.
CORE = {
    "model",
    "fields",
    "values",
    "vocabulary",
    "findings",
    "catalogue",
    "numbers",
    "scoring",
    "profile",
    "rules",
    "review",
    "exchange",
    "verify",
}
EDGES = {"store", "jobs", "web", "commands", "cli", "demo", "export"}


PARTS = {p.stem for p in PACKAGE.iterdir() if p.suffix == ".py" or (p / "__init__.py").exists()}


def _part(module: str) -> str | None:
    """`jixiao.read.sniff` → `read`; `jixiao.model` → `model`; None outside jixiao."""
    names = module.split(".")
    if names[0] != "jixiao" or len(names) < 2:
        return None
    return names[1]


def _module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    names = list(relative.parts)
    if names[-1] == "__init__":
        names.pop()
    return ".".join(names)


def _imports(path: Path) -> set[str]:
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def _graph() -> dict[str, set[str]]:
    """part → the other parts it imports."""
    graph: dict[str, set[str]] = defaultdict(set)
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        source = _part(_module_name(path)) or "__init__"
        for target in map(_part, _imports(path)):
            if target in PARTS and target != source:
                graph[source].add(target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one part (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return out


def test_no_two_parts_import_each_other() -> None:
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_core_never_imports_an_edge() -> None:
    graph = _graph()
    wrong = {part: sorted(graph[part] & EDGES) for part in CORE if graph[part] & EDGES}
    assert wrong == {}


def test_readers_never_know_the_recogniser() -> None:
    assert "recognise" not in _graph()["read"]


def test_the_graph_is_read_at_all() -> None:
    # A broken walker would find no edges and pass every test above.
    graph = _graph()
    assert "read" in graph["recognise"]
    assert "model" in graph["fields"]
    assert "vocabulary" in graph["read"]
