"""The core and the CLI never load PySide6: proven in a fresh interpreter."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_core_and_cli_do_not_import_pyside6() -> None:
    core_modules = sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in (ROOT / "reviewer" / "core").rglob("*.py")
    )
    packages: list[str] = []
    cli_modules = sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in (ROOT / "reviewer" / "cli").glob("*.py")
    )
    modules = core_modules + packages + cli_modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "from click.testing import CliRunner\n"
        "from reviewer.cli import main_group\n"
        "CliRunner().invoke(main_group, ['--help'])\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('PySide6'))\n"
        "print('LOADED:' + ','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert {
        "reviewer.core.store",
        "reviewer.core.exchange.service",
        "reviewer.cli",
        "reviewer.cli.exchange",
    } <= set(modules)
    assert result.stdout.strip() == "LOADED:", result.stdout + result.stderr


def test_only_pdf_module_imports_pymupdf() -> None:
    offenders = []
    for path in (ROOT / "reviewer" / "core").rglob("*.py"):
        text = path.read_text("utf-8")
        if ("import pymupdf" in text or "import fitz" in text) and path.name not in {
            "pdf.py",
            "sample_treaty.py",
            "pdf_layout.py",
            "ligature_text.py",  # the report PDF's text layer, after pdf_layout wrote it
        }:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_only_store_module_speaks_sql() -> None:
    offenders = []
    for path in (ROOT / "reviewer").rglob("*.py"):
        if path.name == "store.py":
            continue
        text = path.read_text("utf-8")
        if ".execute(" in text or "import sqlite3" in text and path.name not in {"backup.py", "lock.py"}:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
