"""Render the main window to a PNG without showing it to anyone (``reviewer shot``)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint

from reviewer.core.atomic import write_bytes_atomic
from reviewer.core.errors import ReviewerError
from reviewer.core.pdf import PdfDocument
from reviewer.core.settings import Settings, resolve_identity
from reviewer.ui.annotating import AnnotatingController, attach_annotating
from reviewer.ui.annotation_model import GroupBy
from reviewer.ui.app import application
from reviewer.ui.event_wait import run_events_until
from reviewer.ui.main_window import MainWindow

TIMEOUT = 60.0
TEXT_WAIT = 15.0


@dataclass(frozen=True)
class PanelSetup:
    """What ``reviewer shot`` sets in the annotation panel, as a reviewer would."""

    select: str | None = None  # an annotation id (or a unique prefix) to select
    group_by: str | None = None  # a GroupBy value
    tags: tuple[str, ...] = ()  # show only annotations with any of these tags


def take_screenshot(
    document: PdfDocument,
    password: str | None,
    output: str,
    page: int,
    zoom: float | str,
    size: tuple[int, int],
    *,
    db_path: Path | None = None,
    author: str | None = None,
    panel: PanelSetup | None = None,
) -> tuple[int, int, int, int]:
    """Write the PNG; returns where the page sits in it (x, y, width, height) in pixels.

    The window is the one ``reviewer open`` shows for the database ``db_path`` (as the CLI
    resolves it): the annotating layer attached (Annotate menu and toolbar, the panel listing
    the review, highlights in their tag colours), then ``panel`` applied."""
    app = application()
    settings = Settings.load()
    window = MainWindow(settings, db_path, author, remember=False)
    try:
        window.resize(*size)
        # the name is never asked for here: --author, REVIEWER_AUTHOR, the settings or the login
        name = resolve_identity(author, settings).name
        controller = attach_annotating(window, name, db_path)
        if controller is None:
            raise ReviewerError("the review database cannot be opened for the screenshot", path=str(db_path))
        window.show()
        app.processEvents()
        window._show_document(document, password)
        view = window.view
        app.processEvents()
        view.set_zoom(zoom)
        view.go_to_page(page, record=False)
        if panel is not None:
            _set_up_panel(controller, panel, document)
        text_deadline = time.monotonic() + TEXT_WAIT  # the outline may come from the text

        def ready() -> bool:
            text_done = view.text_flow() is not None or time.monotonic() > text_deadline
            highlights_done = page in controller._loaded_pages
            return view.is_idle() and text_done and highlights_done and not window.outline_pending()

        # The loop runs all the while: page texts come from the workers one reply at a time,
        # so polling with 10 ms sleeps made the text of 1,000 pages take 8.7 s, not 2.7 s.
        if not run_events_until(ready, TIMEOUT):
            raise ReviewerError("rendering did not finish in time", path=document.path)
        for _ in range(5):  # the panel's and the highlights' last repaints
            app.processEvents()
            time.sleep(0.01)
        image = window.grab().toImage()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")  # type: ignore[call-overload]  # stubs wrong: str works
        buffer.close()
        write_bytes_atomic(output, bytes(data.data()))
        px, py, w, h = view.page_rect_in_viewport(page)
        origin = view.viewport().mapTo(window, QPoint(0, 0))
        dpr = image.devicePixelRatio()
        return (
            round((origin.x() + px) * dpr),
            round((origin.y() + py) * dpr),
            round(w * dpr),
            round(h * dpr),
        )
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()


def _set_up_panel(controller: AnnotatingController, setup: PanelSetup, document: PdfDocument) -> None:
    panel = controller.panel
    review = controller.review
    if setup.tags:
        panel.set_tag_filter([review.tag(name).name for name in setup.tags])  # unknown: an error
    if setup.group_by is not None:
        panel.set_group_by(GroupBy(setup.group_by))
    if setup.select is not None:
        annotation_id = review.resolve_id(setup.select)
        annotation = review.annotation(annotation_id)
        if annotation.document_id != document.info().sha256:
            raise ReviewerError(f"annotation {setup.select} is on another document", path=document.path)
        if not panel.select_annotation(annotation_id):
            raise ReviewerError(f"annotation {setup.select} is not listed with these --tag filters")
