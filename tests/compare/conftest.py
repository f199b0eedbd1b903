"""The two treaties of ``treaty_pair`` as PDFs, in two house styles, shared by this folder."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("treaty_pair", Path(__file__).with_name("treaty_pair.py"))
assert _spec and _spec.loader
treaty_pair = importlib.util.module_from_spec(_spec)
sys.modules["treaty_pair"] = treaty_pair
_spec.loader.exec_module(treaty_pair)


@pytest.fixture(scope="session")
def built_treaties(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("treaties")
    return {
        "a_regional": treaty_pair.regional_pdf(treaty_pair.A, folder / "a-regional.pdf"),
        "b_un": treaty_pair.un_pdf(treaty_pair.B, folder / "b-un.pdf"),
        "a_un": treaty_pair.un_pdf(treaty_pair.A, folder / "a-un.pdf"),
        "b_regional": treaty_pair.regional_pdf(treaty_pair.B, folder / "b-regional.pdf"),
    }


@pytest.fixture
def pair(built_treaties: dict[str, Path], tmp_path: Path) -> tuple[Path, Path]:
    """Copies of A (regional style) and B (UN style) for one test."""
    a = tmp_path / "convention-a.pdf"
    b = tmp_path / "convention-b.pdf"
    shutil.copyfile(built_treaties["a_regional"], a)
    shutil.copyfile(built_treaties["b_un"], b)
    return a, b


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    from reviewer.cli import main

    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err
