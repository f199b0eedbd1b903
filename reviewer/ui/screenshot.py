"""Render the main window to a PNG without showing it to anyone (``reviewer shot``)."""

from __future__ import annotations

import time

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint

from reviewer.core.atomic import write_bytes_atomic
from reviewer.core.errors import ReviewerError
from reviewer.core.pdf import PdfDocument
from reviewer.ui.app import application
from reviewer.ui.main_window import MainWindow

TIMEOUT = 60.0
TEXT_WAIT = 15.0


def take_screenshot(
    document: PdfDocument,
    password: str | None,
    output: str,
    page: int,
    zoom: float | str,
    size: tuple[int, int],
) -> tuple[int, int, int, int]:
    """Write the PNG; returns where the page sits in it (x, y, width, height) in pixels."""
    app = application()
    window = MainWindow(remember=False)
    try:
        window.resize(*size)
        window.show()
        app.processEvents()
        window._show_document(document, password)
        view = window.view
        app.processEvents()
        view.set_zoom(zoom)
        view.go_to_page(page, record=False)
        deadline = time.monotonic() + TIMEOUT
        text_deadline = time.monotonic() + TEXT_WAIT  # the outline may come from the text
        while time.monotonic() < deadline:
            app.processEvents()
            text_done = view.text_flow() is not None or time.monotonic() > text_deadline
            if view.is_idle() and text_done and not window.outline_pending():
                break
            time.sleep(0.01)
        else:
            raise ReviewerError("rendering did not finish in time", path=document.path)
        app.processEvents()
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
