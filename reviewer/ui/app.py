"""Start the GUI: ``reviewer open`` calls ``run_app``; tests call ``create_main_window``."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from reviewer.core.resources import sample_treaty_path
from reviewer.core.settings import Settings
from reviewer.ui.main_window import MainWindow


def application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
        app.setApplicationName("Reviewer")
        app.setOrganizationName("Reviewer")
    return app


def initial_document(pdf: str | None, settings: Settings) -> str:
    """The PDF to show: the one asked for, else the last one opened, else the sample treaty."""
    if pdf:
        return pdf
    for recent in settings.recent_files:
        if Path(recent).is_file():
            return recent
    return str(sample_treaty_path())


def create_main_window(
    pdf: str | None = None,
    db_path: Path | None = None,
    author: str | None = None,
    password: str | None = None,
    settings: Settings | None = None,
    remember: bool = True,
) -> MainWindow:
    """A main window showing ``pdf`` (or the default document), not yet shown."""
    application()
    settings = settings or Settings.load()
    window = MainWindow(settings, db_path, author, remember=remember)
    from reviewer.ui.links import LinkFollower
    from reviewer.ui.pdf_gate import PdfGate

    window.pdf_gate = PdfGate(window)  # hostile PDFs: probe in a worker first
    window.link_follower = LinkFollower(window.view)  # type: ignore[attr-defined]
    from reviewer.ui.annotating import attach_annotating

    attach_annotating(window, author, db_path)
    window.open_document(initial_document(pdf, settings), password)
    return window


def run_app(pdf: str | None, db_path: Path, author: str | None, password: str | None) -> int:
    app = application()
    window = create_main_window(pdf, db_path, author, password)
    window.show()
    return int(app.exec())
