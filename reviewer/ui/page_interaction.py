"""How a reader moves through the page view and selects text: zoom, page navigation with
history, keys and the wheel, and selection by mouse (drag, double and triple click, autoscroll).
"""

from __future__ import annotations

import html
import time

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QGuiApplication,
    QKeyEvent,
    QMouseEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QApplication, QToolTip

from reviewer.ui.layout import PageSpot, clamp_zoom, fit_page_zoom, fit_width_zoom
from reviewer.ui.qt_compat import emit


class PageInteraction:
    """Zoom, navigation and selection (mixed into PageView)."""

    def zoom(self) -> float:
        return self._zoom

    def fit_mode(self) -> str | None:
        return self._fit

    def _fit_zoom(self, page: int | None = None) -> float:
        if not self._geometries:
            return 1.0
        g = self._geometries[self._current_page if page is None else page]
        vw = self.viewport().width()  # the vertical scroll bar is always shown: no jitter
        if self._fit == "page":
            return fit_page_zoom((g.width, g.height), (self.viewport().width(), self.viewport().height()))
        return fit_width_zoom(g.width, max(50, vw))

    def set_zoom(self, zoom: float | str, anchor: QPointF | None = None) -> None:
        """A number, or "width" / "page" to fit; the point under ``anchor`` (viewport
        coordinates, default the centre) stays where it is."""
        if not self._geometries:
            return
        if isinstance(zoom, str):
            self._fit = zoom
            new_zoom = self._fit_zoom()
        else:
            self._fit = None
            new_zoom = clamp_zoom(zoom)
        if anchor is None:
            anchor = QPointF(self.viewport().width() / 2, self.viewport().height() / 2)
        vw = self.viewport().width()
        spot = self._layout.nearest_spot(anchor.x() + self._sx(), anchor.y() + self._sy(), vw)
        self._zoom = new_zoom
        self._relayout()
        cx, cy = self._layout.content_point(spot, vw)
        self.horizontalScrollBar().setValue(round(cx - anchor.x()))
        self.verticalScrollBar().setValue(round(cy - anchor.y()))
        emit(self.zoomChanged, self._zoom)
        self._update_current_page()

    def _sx(self) -> float:
        return float(self.horizontalScrollBar().value())

    def _sy(self) -> float:
        return float(self.verticalScrollBar().value())

    # --- navigation -----------------------------------------------------------------------
    def current_page(self) -> int:
        return self._current_page

    def _position(self) -> tuple[int, float]:
        page = self._layout.page_at(self._sy() + 1)
        return (
            page,
            (self._sy() - self._layout.tops[page]) / self._zoom if self._layout.tops else 0.0,
        )

    def _restore(self, position: tuple[int, float]) -> None:
        page, offset = position
        if 0 <= page < len(self._layout.tops):
            self.verticalScrollBar().setValue(round(self._layout.tops[page] + offset * self._zoom))

    def go_to_page(self, page: int, record: bool = True) -> None:
        if not self._layout.tops:
            return
        page = max(0, min(page, len(self._layout.tops) - 1))
        if record:
            self._push_history()
        self.verticalScrollBar().setValue(round(self._layout.tops[page] - self._layout.margin))
        self._update_current_page(force=page)

    def _push_history(self) -> None:
        self._back.append(self._position())
        del self._back[:-100]
        self._forward.clear()

    def go_back(self) -> None:
        if self._back:
            self._forward.append(self._position())
            self._restore(self._back.pop())

    def go_forward(self) -> None:
        if self._forward:
            self._back.append(self._position())
            self._restore(self._forward.pop())

    def can_go_back(self) -> bool:
        return bool(self._back)

    def can_go_forward(self) -> bool:
        return bool(self._forward)

    def scroll_to(
        self,
        page: int,
        view_rect: tuple[float, float, float, float] | QRectF | None = None,
        record: bool = True,
    ) -> None:
        """Bring a rectangle of a page (displayed-page points, y down) to the middle of the view."""
        if not self._layout.tops:
            return
        if record:
            self._push_history()
        if isinstance(view_rect, QRectF):
            view_rect = (view_rect.left(), view_rect.top(), view_rect.right(), view_rect.bottom())
        if view_rect is None:
            self.go_to_page(page, record=False)
            return
        vw = self.viewport().width()
        x0, y0 = self._layout.content_point(PageSpot(page, view_rect[0], view_rect[1]), vw)
        x1, y1 = self._layout.content_point(PageSpot(page, view_rect[2], view_rect[3]), vw)
        self.verticalScrollBar().setValue(round((y0 + y1) / 2 - self.viewport().height() / 2))
        if x1 - self._sx() > vw or x0 < self._sx():
            self.horizontalScrollBar().setValue(round((x0 + x1) / 2 - vw / 2))
        self._update_current_page()

    def scroll_to_offset(self, start: int, end: int) -> None:
        """Show a text-flow range (a find hit, an annotation's quote)."""
        if self._flow is None:
            return
        quads = self._flow.quads(start, end)
        if quads:
            q = quads[0]
            self.scroll_to(q.page, q.view_rect(self._geometries[q.page]), record=False)

    def _update_current_page(self, force: int | None = None) -> None:
        if not self._layout.tops:
            return
        if force is None:
            top, bottom = self._sy(), self._sy() + self.viewport().height()
            best, best_seen = self._current_page, -1.0
            for page in self._layout.visible_pages(top, bottom):
                y = self._layout.tops[page]
                h = self._layout.pixels[page][1] / self._layout.dpr
                seen = min(bottom, y + h) - max(top, y)
                if seen > best_seen + 0.5:
                    best, best_seen = page, seen
            force = best
        if force != self._current_page:
            self._current_page = force
            emit(self.currentPageChanged, force)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        vbar = self.verticalScrollBar()
        if key == Qt.Key.Key_PageDown or (key == Qt.Key.Key_Space and not event.modifiers()):
            vbar.setValue(vbar.value() + vbar.pageStep() - 40)
        elif key == Qt.Key.Key_PageUp:
            vbar.setValue(vbar.value() - vbar.pageStep() + 40)
        elif key == Qt.Key.Key_Home:
            self.go_to_page(0)
        elif key == Qt.Key.Key_End:
            self.go_to_page(self.page_count() - 1)
        elif key == Qt.Key.Key_Down:
            vbar.setValue(vbar.value() + vbar.singleStep())
        elif key == Qt.Key.Key_Up:
            vbar.setValue(vbar.value() - vbar.singleStep())
        elif key in (Qt.Key.Key_Right, Qt.Key.Key_Left) and (
            ctrl or self.horizontalScrollBar().maximum() == 0
        ):
            step = 1 if key == Qt.Key.Key_Right else -1
            self.go_to_page(self._current_page + step, record=False)
        elif key == Qt.Key.Key_Escape:
            self.clear_selection()
        else:
            super().keyPressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120.0
            if steps:
                self.set_zoom(self._zoom * (1.1**steps), anchor=event.position())
            event.accept()
            return
        super().wheelEvent(event)

    # --- compare mode: two views scrolled in step (reviewer.ui.compare_window) --------------
    def top_offset(self) -> int | None:
        """The text offset near the top of the view (the first line a reader sees there;
        None before the text is read)."""
        return self._caret_at(QPointF(self.viewport().width() / 2, 18.0))

    def put_at_top(self, page: int, view_y: float, margin: float = 12.0) -> None:
        """Like ``bring_to_top``, without a step in Back's history (the other view led)."""
        if not self._layout.tops:
            return
        _, y = self._layout.content_point(PageSpot(page, 0, view_y), self.viewport().width())
        self.verticalScrollBar().setValue(round(y - margin))
        self._update_current_page()

    # --- geometry for screenshots and tests -----------------------------------------------
    def page_rect_in_viewport(self, page: int) -> tuple[float, float, float, float]:
        """(x, y, width, height) of a page in viewport coordinates (logical pixels)."""
        x, y, w, h = self._layout.page_rect(page, self.viewport().width())
        return (x - self._sx(), y - self._sy(), w, h)

    def viewport_point(self, page: int, x: float, y: float) -> QPointF:
        """Where a displayed-page point (points, y down) is in the viewport."""
        cx, cy = self._layout.content_point(PageSpot(page, x, y), self.viewport().width())
        return QPointF(cx - self._sx(), cy - self._sy())

    # --- selection ------------------------------------------------------------------------
    def selection_range(self) -> tuple[int, int] | None:
        """The selected text as flow offsets [start, end), or None."""
        return self._selection

    def selected_text(self) -> str:
        if self._selection is None or self._flow is None:
            return ""
        return self._flow.text[self._selection[0] : self._selection[1]].strip()

    def clear_selection(self) -> None:
        if self._selection is not None:
            self._set_selection(None)

    def select_range(self, start: int, end: int) -> None:
        self._set_selection((start, end) if end > start else None)

    def _set_selection(self, selection: tuple[int, int] | None) -> None:
        if selection == self._selection:
            return
        self._selection = selection
        self._selection_quads = {}
        if selection and self._flow is not None:
            for quad in self._flow.quads(*selection):
                self._selection_quads.setdefault(quad.page, []).append(quad)
        self.viewport().update()
        emit(self.selectionChanged)

    def _caret_at(self, pos: QPointF) -> int | None:
        if self._index is None:
            return None
        spot = self._layout.nearest_spot(pos.x() + self._sx(), pos.y() + self._sy(), self.viewport().width())
        ux, uy = self._geometries[spot.page].view_to_unrotated(spot.x, spot.y)
        return self._index.caret_at(spot.page, ux, uy)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        self.setFocus()
        pos = event.position()
        if (
            time.monotonic() - self._last_double_click
            < QGuiApplication.styleHints().mouseDoubleClickInterval() / 1000
        ):
            caret = self._caret_at(pos)  # triple click: the line
            if caret is not None and self._index is not None:
                self._set_selection(self._index.line_at(caret))
            self._anchor = None
            return
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if shift and self._selection is not None:  # Shift+click extends the selection
            caret = self._caret_at(pos)
            before = caret is not None and caret <= self._selection[0]
            self._anchor = self._selection[1] if before else self._selection[0]
            self._press_pos = None
            self._extend_selection(pos)
            return
        self._press_pos = pos
        self._press_highlight = None
        item = self._highlight_at(pos)
        if item is not None:
            self._press_highlight = item.id
        self._anchor = self._caret_at(pos)
        self.clear_selection()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        caret = self._caret_at(event.position())
        if caret is not None and self._index is not None:
            self._set_selection(self._index.word_at(caret))
        self._last_double_click = time.monotonic()
        self._anchor = None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        self._last_mouse = pos
        if event.buttons() & Qt.MouseButton.LeftButton and self._anchor is not None:
            self._extend_selection(pos)
            inside = 0 <= pos.y() <= self.viewport().height()
            if not inside and not self._autoscroll.isActive():
                self._autoscroll.start()
            elif inside:
                self._autoscroll.stop()
            return
        item = self._highlight_at(pos)
        if item is not None and item.tooltip:
            rich = getattr(item, "tooltip_html", "")  # rendered Markdown, escaped by its maker
            text = rich or "<p style='white-space:pre-wrap'>" + html.escape(item.tooltip) + "</p>"
            QToolTip.showText(event.globalPosition().toPoint(), text, self)
        else:
            QToolTip.hideText()
        self.viewport().setCursor(Qt.CursorShape.PointingHandCursor if item else Qt.CursorShape.IBeamCursor)

    def _extend_selection(self, pos: QPointF) -> None:
        head = self._caret_at(pos)
        if head is None or self._anchor is None:
            return
        start, end = sorted((self._anchor, head))
        self._set_selection((start, end) if end > start else None)

    def _autoscroll_step(self) -> None:
        y = self._last_mouse.y()
        vbar = self.verticalScrollBar()
        if y < 0:
            vbar.setValue(vbar.value() - int(min(60, 5 - y)))
        elif y > self.viewport().height():
            vbar.setValue(vbar.value() + int(min(60, 5 + y - self.viewport().height())))
        else:
            self._autoscroll.stop()
        self._extend_selection(self._last_mouse)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._autoscroll.stop()
        if event.button() == Qt.MouseButton.LeftButton and self._press_pos is not None:
            moved = (event.position() - self._press_pos).manhattanLength()
            if moved < QApplication.startDragDistance() and self._press_highlight:
                emit(self.highlightClicked, self._press_highlight)
        self._press_pos = None
        self._anchor = None
