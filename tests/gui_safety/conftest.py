"""Fixtures for the GUI safety tests: captured message boxes, two versions of a treaty."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from reviewer.core.sample_treaty import (
    SAMPLE_TREATY,
    build_treaty_pdf,
    reworded,
    with_article_inserted,
    with_version_note,
    without_paragraph,
)
from tests.gui_safety.treaty_versions import DELETED_PASSAGE, INSERTED, WIDEST, TreatyVersions  # noqa: F401

HERE = str(Path(__file__).parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)

@dataclass
class Dialogs:
    """Every message box shown: its text; answers Yes/No as told."""

    texts: list[str] = field(default_factory=list)
    answer_yes: bool = True

    def last(self) -> str:
        assert self.texts, "no dialog was shown"
        return self.texts[-1]


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> Dialogs:
    captured = Dialogs()

    def fake_exec(box: QMessageBox) -> int:
        captured.texts.append(box.text())
        buttons = box.standardButtons()
        if buttons & QMessageBox.StandardButton.Yes:
            yes = QMessageBox.StandardButton.Yes
            return int((yes if captured.answer_yes else QMessageBox.StandardButton.No).value)
        return int(QMessageBox.StandardButton.Ok.value)

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    return captured


@pytest.fixture(scope="session")
def treaty_versions(tmp_path_factory: pytest.TempPathFactory) -> TreatyVersions:
    folder = tmp_path_factory.mktemp("treaty")
    v2 = without_paragraph(SAMPLE_TREATY, 19, 2)
    v2 = with_article_inserted(v2, 1, 1, INSERTED)
    v2 = reworded(v2, WIDEST, WIDEST.replace("widest", "widest possible"))
    v2 = with_version_note(v2, "Adopted text, version 2")
    v1_pdf, v2_pdf = folder / "treaty-v1.pdf", folder / "treaty-v2.pdf"
    build_treaty_pdf(SAMPLE_TREATY, v1_pdf)
    build_treaty_pdf(v2, v2_pdf)
    return TreatyVersions(v1_pdf, v2_pdf)
