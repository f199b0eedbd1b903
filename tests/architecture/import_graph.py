"""Reviewer's import graph, read from the code's own imports with ``ast`` (nothing is run).

Every import counts: at module level, inside functions (lazy) and under ``TYPE_CHECKING``,
because each one ties two modules together whether or not it runs at start-up.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Import:
    source: str  # importing module
    target: str  # imported module (the deepest one that exists in the package)
    line: int
    lazy: bool  # inside a function body


def module_names(package_dir: Path) -> dict[str, Path]:
    """``{"reviewer.core.store": Path(...)}`` for every module below ``package_dir``."""
    names: dict[str, Path] = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = path.relative_to(package_dir.parent).with_suffix("").parts
        name = ".".join(parts)
        names[name.removesuffix(".__init__")] = path
    return names


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def _targets(node: ast.Import | ast.ImportFrom, current: str, modules: dict[str, Path]) -> list[str]:
    if isinstance(node, ast.Import):
        candidates = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            package = current if modules[current].name == "__init__.py" else current.rpartition(".")[0]
            parts = package.split(".")
            parts = parts[: len(parts) - (node.level - 1)]
            base = ".".join(parts) + (f".{node.module}" if node.module else "")
        # ``from package import module`` names the submodule; ``from module import name`` the module
        candidates = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
    found = [_resolve(c, modules) for c in candidates]
    return [t for t in found if t is not None and t != current]


def imports_of(package_dir: Path) -> list[Import]:
    modules = module_names(package_dir)
    found: list[Import] = []
    for name, path in modules.items():
        tree = ast.parse(path.read_text("utf-8"), filename=str(path))
        lazy_lines: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Import | ast.ImportFrom):
                        lazy_lines.add(inner.lineno)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                for target in _targets(node, name, modules):
                    found.append(Import(name, target, node.lineno, node.lineno in lazy_lines))
    return found


def cycles(package_dir: Path) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    edges: dict[str, set[str]] = {name: set() for name in module_names(package_dir)}
    for imp in imports_of(package_dir):
        edges[imp.source].add(imp.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = 0

    def visit(start: str) -> None:  # iterative: no recursion limit on a long chain
        nonlocal counter
        work: list[tuple[str, list[str]]] = [(start, sorted(edges[start]))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, todo = work[-1]
            if todo:
                nxt = todo.pop()
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, sorted(edges[nxt])))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))

    for name in sorted(edges):
        if name not in index:
            visit(name)
    return sorted(groups)


LAYERS = ("core", "ui", "cli")  # a layer may import the ones before it


def layer_of(module: str, root: str = "reviewer") -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == root and parts[1] in LAYERS else None


def wrong_way_imports(package_dir: Path) -> list[str]:
    """core → ui/cli, ui → cli, and cli → ui at module level (the command line loads the app
    lazily, inside ``open`` and ``shot``): each as ``source:line -> target``."""
    root = package_dir.name
    problems = []
    for imp in imports_of(package_dir):
        source, target = layer_of(imp.source, root), layer_of(imp.target, root)
        if source is None or target is None or source == target:
            continue
        upward = LAYERS.index(target) > LAYERS.index(source)
        eager_app = source == "cli" and target == "ui" and not imp.lazy
        if upward or eager_app:
            problems.append(f"{imp.source}:{imp.line} -> {imp.target}")
    return problems


def room_of(module: str) -> str:
    """The room a module belongs to in docs/architecture.md: its package below the layer
    (``reviewer.core.exchange``), or the layer itself."""
    parts = module.split(".")
    if len(parts) >= 3 and parts[1] == "core" and parts[2] in ("exchange", "report"):
        return ".".join(parts[:3])
    return ".".join(parts[:2])


def room_edges(package_dir: Path) -> set[tuple[str, str]]:
    edges = set()
    for imp in imports_of(package_dir):
        a, b = room_of(imp.source), room_of(imp.target)
        if a != b and a != package_dir.name and b != package_dir.name:
            edges.add((a, b))
    return edges
