"""The house's rules, read from the code's own imports (``ast``): no import cycles, no import
across the layers the wrong way, nothing loose at the package root, big modules say why, and
the picture in docs/architecture.md shows the imports as they are."""

from __future__ import annotations

import ast
import re
import textwrap
from pathlib import Path

from tests.architecture.import_graph import (
    cycles,
    imports_of,
    module_names,
    room_edges,
    room_of,
    wrong_way_imports,
)

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "reviewer"
SIZE_LIMIT = 700
SIZE_REASON = "Over 700 lines:"


def write_package(base: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = base / "reviewer" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), "utf-8")
    for folder in [base / "reviewer", *(p for p in (base / "reviewer").rglob("*") if p.is_dir())]:
        (folder / "__init__.py").touch()
    return base / "reviewer"


def test_no_import_cycles_in_reviewer() -> None:
    assert cycles(PACKAGE) == []


def test_the_cycle_check_finds_a_cycle_through_a_lazy_or_type_only_import(tmp_path: Path) -> None:
    package = write_package(
        tmp_path,
        {
            "core/a.py": "from reviewer.core import b\n",
            "core/b.py": "def later():\n    from reviewer.core.c import thing\n",
            "core/c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from reviewer.core.a import x\n",
            "core/d.py": "from reviewer.core import a\n",  # imports into the cycle, not part of it
        },
    )
    assert cycles(package) == [["reviewer.core.a", "reviewer.core.b", "reviewer.core.c"]]
    (package / "core" / "c.py").write_text("thing = 1\n")
    assert cycles(package) == []


def test_no_import_crosses_the_layers_the_wrong_way() -> None:
    assert wrong_way_imports(PACKAGE) == []


def test_the_layer_check_finds_each_wrong_way_import(tmp_path: Path) -> None:
    package = write_package(
        tmp_path,
        {
            "core/model.py": "x = 1\n",
            "core/store.py": "from reviewer.ui import panel\n",  # core -> ui
            "ui/panel.py": "from reviewer.core import model\nfrom reviewer.cli.context import y\n",  # ui -> cli
            "cli/context.py": "y = 1\n",
            "cli/shot.py": "def shot():\n    from reviewer.ui import panel\n",  # lazily: allowed
            "cli/eager.py": "from reviewer.ui.panel import z\n",  # the app at import: refused
        },
    )
    assert wrong_way_imports(package) == [
        "reviewer.cli.eager:1 -> reviewer.ui.panel",
        "reviewer.core.store:1 -> reviewer.ui.panel",
        "reviewer.ui.panel:2 -> reviewer.cli.context",
    ]


def test_the_package_root_holds_only_the_three_layers() -> None:
    entries = sorted(p.name for p in PACKAGE.iterdir() if p.name != "__pycache__")
    assert entries == ["__init__.py", "__main__.py", "cli", "core", "ui"]


def test_no_module_over_700_lines_without_a_reason_in_its_docstring() -> None:
    unexplained = []
    for name, path in module_names(PACKAGE).items():
        lines = path.read_text("utf-8").count("\n")
        if lines <= SIZE_LIMIT:
            continue
        docstring = ast.get_docstring(ast.parse(path.read_text("utf-8"))) or ""
        if not any(line.startswith(SIZE_REASON) for line in docstring.splitlines()):
            unexplained.append(f"{name} ({lines} lines)")
    assert unexplained == []


def diagram_edges(text: str) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """The Mermaid block's edges between rooms: (all, dotted) as (module, module) pairs."""
    block = re.search(r"```mermaid\n(.*?)```", text, re.S)
    assert block, "docs/architecture.md has no mermaid block"
    nodes = dict(re.findall(r"^\s*(\w+)\[\"?(reviewer[\w.]*)", block.group(1), re.M))
    edges, dotted = set(), set()
    for source, arrow, target in re.findall(r"^\s*(\w+)\s*(-->|-\.->)(?:\|[^|]*\|)?\s*(\w+)", block.group(1), re.M):
        pair = (nodes[source], nodes[target])
        edges.add(pair)
        if arrow == "-.->":
            dotted.add(pair)
    return edges, dotted


def test_the_architecture_diagram_shows_the_imports_as_they_are() -> None:
    drawn, dotted = diagram_edges((ROOT / "docs" / "architecture.md").read_text("utf-8"))
    assert drawn == room_edges(PACKAGE)
    lazy_only = {
        pair
        for pair in drawn
        if all(imp.lazy for imp in imports_of(PACKAGE) if (room_of(imp.source), room_of(imp.target)) == pair)
    }
    assert dotted <= lazy_only  # a dotted arrow means "only inside functions"
