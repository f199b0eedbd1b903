"""Driving the real main window like a reviewer: wait for the page, drag over a passage."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from reviewer.core.geometry import Quad


def open_window(qtbot, pdf: Path, db_path: Path):  # type: ignore[no-untyped-def]
    from reviewer.ui.app import create_main_window

    window = create_main_window(str(pdf), db_path=db_path, author=None, remember=False)
    qtbot.addWidget(window)
    window.resize(1300, 860)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    view = window.view
    qtbot.waitUntil(lambda: view.text_flow() is not None, timeout=30000)
    return window


def wait_idle(qtbot, view) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(view.is_idle, timeout=30000)
    qtbot.wait(50)


def show_quote(qtbot, window, start: int, end: int) -> list[Quad]:  # type: ignore[no-untyped-def]
    view = window.view
    flow = view.text_flow()
    quads = flow.quads(start, end)
    first = quads[0]
    view.scroll_to(first.page, first.view_rect(view.page_geometry(first.page)), record=False)
    wait_idle(qtbot, view)
    return quads


def drag_select(qtbot, window, quads: list[Quad]) -> None:  # type: ignore[no-untyped-def]
    """Press at the start of the first quad, move, release at the end of the last one."""
    view = window.view
    first, last = quads[0], quads[-1]
    r0 = first.view_rect(view.page_geometry(first.page))
    r1 = last.view_rect(view.page_geometry(last.page))
    start = view.viewport_point(first.page, r0[0] + 0.5, (r0[1] + r0[3]) / 2).toPoint()
    end = view.viewport_point(last.page, r1[2] - 0.5, (r1[1] + r1[3]) / 2).toPoint()
    viewport = view.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    steps = 6
    for i in range(1, steps + 1):
        point = QPoint(
            start.x() + (end.x() - start.x()) * i // steps,
            start.y() + (end.y() - start.y()) * i // steps,
        )
        QApplication.sendEvent(viewport, _mouse_move(point))
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
    qtbot.wait(20)


def _mouse_move(point: QPoint):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QMouseEvent

    return QMouseEvent(
        QEvent.Type.MouseMove,
        QPointF(point),
        QPointF(point),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )


def quad_pixels(window, quad: Quad) -> list[QColor]:  # type: ignore[no-untyped-def]
    """Colours of a grid of pixels inside a quad, as the viewport shows it now."""
    view = window.view
    image: QImage = view.viewport().grab().toImage()
    dpr = image.devicePixelRatio()
    x0, y0, x1, y1 = quad.view_rect(view.page_geometry(quad.page))
    out = []
    for fx in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
        for fy in (0.3, 0.5, 0.7):
            p = view.viewport_point(quad.page, x0 + (x1 - x0) * fx, y0 + (y1 - y0) * fy)
            out.append(image.pixelColor(round(p.x() * dpr), round(p.y() * dpr)))
    return out


def blend(color: str, alpha: int, under: str = "#FFFFFF") -> QColor:
    top, base = QColor(color), QColor(under)
    a = alpha / 255

    def mix(t: int, b: int) -> int:
        return round(t * a + b * (1 - a))

    return QColor(mix(top.red(), base.red()), mix(top.green(), base.green()), mix(top.blue(), base.blue()))


def close_to(a: QColor, b: QColor, tolerance: int = 14) -> bool:
    return (
        abs(a.red() - b.red()) <= tolerance
        and abs(a.green() - b.green()) <= tolerance
        and abs(a.blue() - b.blue()) <= tolerance
    )
