"""Helpers for driving the real main window with pytest-qt."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# ../shared next to the checkout, or two levels up for a git worktree in a subfolder
CORPUS = next(
    (
        p / "shared" / "corpus" / "pdfs"
        for p in (ROOT.parent, ROOT.parent.parent)
        if (p / "shared" / "corpus").is_dir()
    ),
    ROOT.parent / "shared" / "corpus" / "pdfs",
)


def corpus_file(name: str) -> Path:
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"corpus file {name} not available (../shared is missing)")
    return path


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Callable[[str], Path]:
    """A copy of a corpus file in tmp_path (the original is never opened by the app)."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        if not target.exists():
            shutil.copyfile(corpus_file(name), target)
        return target

    return copy


@pytest.fixture
def make_window(qtbot) -> Iterator[Callable[..., object]]:
    from reviewer.ui.app import create_main_window

    windows = []

    def make(pdf: Path | None = None, password: str | None = None, size: tuple[int, int] = (1100, 800)):
        window = create_main_window(str(pdf) if pdf else None, password=password)
        window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()
        window.deleteLater()


def wait_rendered(qtbot, window, timeout: int = 20000) -> None:
    qtbot.waitUntil(window.view.is_idle, timeout=timeout)


def wait_text(qtbot, window, timeout: int = 30000) -> None:
    qtbot.waitUntil(lambda: window.view.text_flow() is not None, timeout=timeout)
