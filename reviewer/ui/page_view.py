"""The continuous page view: pages stacked vertically, rendered in tiles by worker processes
(light visible pages in this process, see ``local_render``).

Public API for the annotation panel (see docs/view.md):
signals ``selectionChanged()``, ``highlightClicked(str)``, ``currentPageChanged(int)``,
``zoomChanged(float)``, ``flowReady()``; methods ``document()``, ``text_flow()``,
``selection_range()``, ``clear_selection()``, ``set_highlights(items)``,
``scroll_to(page, view_rect)``, ``flash(annotation_id)``, ``current_page()``.
"""

from __future__ import annotations

import bisect
import gc
import html
import sys
import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QToolTip, QWidget

from reviewer.core.geometry import PageGeometry, Quad
from reviewer.core.textflow import PageText, TextFlow
from reviewer.ui.highlights import HighlightItem
from reviewer.ui.layout import PageLayout, PageSpot, clamp_zoom, fit_page_zoom, fit_width_zoom
from reviewer.ui.local_render import LocalRenderPolicy
from reviewer.ui.qt_compat import emit
from reviewer.ui.render_client import RenderPool, TileKey
from reviewer.ui.text_index import TextIndex, flow_and_index_steps

if TYPE_CHECKING:
    from reviewer.core.pdf import PageRenderFeatures, PdfDocument
    from reviewer.ui.head_start import HeadStart


def page_geometries(document: PdfDocument, start: int, stop: int) -> list[PageGeometry]:
    # MuPDF is loaded when a document is opened in this process, not with the module: at a
    # cold start the first screen comes from a worker before (reviewer.ui.head_start).
    from reviewer.core.pdf import page_geometries as read

    return read(document, start, stop)


BACKGROUND = QColor("#5f6368")
PLACEHOLDER = QColor("#f1f1f1")
ERROR_TILE = QColor("#fbe3e3")
FIND_HIT = QColor(255, 213, 0, 110)
FIND_CURRENT = QColor(255, 120, 0, 150)
SELECTION = QColor(0, 120, 215, 90)
PREFETCH_DELAY_MS = 15  # the workers are asked for the pages around once the view is painted
FIRST_SCREEN_PIXELS = 3_000_000  # in-process only at cold start and at reading zooms
FLOW_SLICE_S = 0.008  # the text flow is built between events in slices this long
EXACT_PAGES_AHEAD = 8  # pages past the start page whose boxes are read before the first paint
GEOMETRY_CHUNK = 500  # pages whose boxes are read per event-loop turn after the first paint


class PageView(QAbstractScrollArea):
    selectionChanged = Signal()
    highlightClicked = Signal(str)
    currentPageChanged = Signal(int)
    zoomChanged = Signal(float)
    flowReady = Signal()
    previewReady = Signal(object)  # the worker's document summary (see ``preview``)
    previewFailed = Signal(str)
    firstScreenPainted = Signal()  # once per document, when its first screen is fully drawn
    textProgress = Signal(int, int)  # pages extracted, total
    renderFailed = Signal(str)

    def __init__(self, parent: QWidget | None = None, render_workers: int = 2) -> None:
        super().__init__(parent)
        # Background threads (text flow, find) hand the GIL back every 2 ms instead of 5 ms,
        # so the event loop waits less behind them.
        sys.setswitchinterval(min(sys.getswitchinterval(), 0.002))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().setMouseTracking(True)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self._pool = RenderPool(render_workers, self)
        self._pool.tileReady.connect(self._on_tile)
        self._pool.textReady.connect(self._on_text)
        self._pool.failed.connect(self._on_pool_failed)
        self._pool.opened.connect(self._on_opened_in_worker)
        self._pool.tileTimed.connect(self._on_tile_timed)
        self._pool.featuresReady.connect(self._on_features)
        self._doc: PdfDocument | None = None
        self._generation = 0
        self._geometries: list[PageGeometry] = []
        self._labels: list[str] = []
        self._zoom = 1.0
        self._fit: str | None = None
        self._layout = PageLayout([], 1.0)
        self._page_texts: dict[int, PageText] = {}
        self._flow: TextFlow | None = None
        self._index: TextIndex | None = None
        self._selection: tuple[int, int] | None = None
        self._selection_quads: dict[int, list[Quad]] = {}
        self._anchor: int | None = None
        self._press_pos: QPointF | None = None
        self._press_highlight: str | None = None
        self._last_double_click = 0.0
        self._highlights: list[HighlightItem] = []
        self._highlights_by_page: dict[int, list[tuple[HighlightItem, Quad]]] = {}
        self._find_hits: list[tuple[int, int]] = []
        self._find_current = -1
        self._find_quads: dict[int, list[tuple[int, Quad]]] = {}
        self._back: list[tuple[int, float]] = []
        self._forward: list[tuple[int, float]] = []
        self._flash_id: str | None = None
        self._flash_until = 0.0
        self._current_page = 0
        self._request_timer = QTimer(self)
        self._request_timer.setSingleShot(True)
        self._request_timer.setInterval(0)
        self._request_timer.timeout.connect(self._request_visible_tiles)
        self._local = LocalRenderPolicy()
        self._local_doc: PdfDocument | None = None
        self._local_queue: list[TileKey] = []
        self._local_timer = QTimer(self)
        self._local_timer.setSingleShot(True)
        self._local_timer.setInterval(0)
        self._local_timer.timeout.connect(self._render_next_local)
        self._prefetch_timer = QTimer(self)
        self._prefetch_timer.setSingleShot(True)
        self._prefetch_timer.setInterval(PREFETCH_DELAY_MS)
        self._prefetch_timer.timeout.connect(self._request_prefetch)
        self.local_renders = 0  # tiles drawn in this process since the document opened
        self._autoscroll = QTimer(self)
        self._autoscroll.setInterval(30)
        self._autoscroll.timeout.connect(self._autoscroll_step)
        self._last_mouse = QPointF()

    # --- document -------------------------------------------------------------------------
    def set_document(
        self,
        document: PdfDocument,
        password: str | None = None,
        page: int = 0,
        zoom: float | str = 1.0,
    ) -> None:
        """Show a document (already opened by the caller); the workers open it themselves."""
        if self._previewing is not None and self._adopt_previewed(document, password):
            return
        self._previewing = None
        self._generation += 1
        self._doc = document
        count = document.page_count
        # The boxes of the pages up to a screen past the start page are read now; the others
        # (a 5,000-page report: 100 ms) after the first paint, sized meanwhile like the last
        # page read. Pages above the reading position are exact, so nothing visible moves.
        exact = page_geometries(document, 0, max(0, page) + EXACT_PAGES_AHEAD) if count else []
        self._geometries = exact + [exact[-1]] * (count - len(exact)) if exact else []
        self._geometry_exact = len(exact)
        self._first_screen_announced = False
        self._labels = [document.page_label(i) for i in range(count)]
        self._page_texts = {}
        self._flow = None
        self._index = None
        self._selection = None
        self._selection_quads = {}
        self._highlights = []
        self._highlights_by_page = {}
        self._find_hits = []
        self._find_current = -1
        self._find_quads = {}
        self._back.clear()
        self._forward.clear()
        self._password = password
        self._pool.cache.clear()  # tile keys name pages, not documents
        if self._pool.started:
            self._open_in_workers()
        # else: at cold start the first screen is drawn here and the workers start after it
        # (booting three Python processes would slow down the first paint on a small laptop)
        self._lay_out_at(page, zoom)
        gc.freeze()

    def _lay_out_at(self, page: int, zoom: float | str) -> None:
        """Lay the pages out at ``zoom`` (a number, "width" or "page") and show ``page``."""
        if isinstance(zoom, str):
            self._fit = zoom
            self._zoom = self._fit_zoom(page) if zoom in ("width", "page") else 1.0
        else:
            self._fit = None
            self._zoom = clamp_zoom(zoom)
        self._relayout()
        self.go_to_page(page, record=False)
        emit(self.zoomChanged, self._zoom)

    # --- preview: the first screen before this process has MuPDF ---------------------------
    _previewing: tuple[str, int, float | str] | None = None

    def preview(self, head: HeadStart, page: int = 0, zoom: float | str = "width") -> None:
        """Show the document a head-start worker is opening, before this process opens it: the
        layout comes from the worker's summary (``previewReady``), the first screen from its
        tiles. ``set_document`` with the same file then keeps what is on screen.
        ``previewFailed`` says the worker could not (the caller then opens the file itself)."""
        self._generation += 1
        self._doc = None
        self._previewing = (head.path, page, zoom)
        self._geometries = []
        self._geometry_exact = 0
        self._labels = []
        self._layout = PageLayout([], 1.0)
        self._first_screen_announced = False
        self._pool.cache.clear()
        self._pool.adopt(head)

    def clear(self) -> None:
        """Show no document (a previewed file was refused when the window opened it)."""
        self._generation += 1
        self._doc = None
        self._previewing = None
        self._geometries = []
        self._geometry_exact = 0
        self._labels = []
        self._pool.cache.clear()
        self._relayout()
        self.viewport().update()

    def _on_opened_in_worker(self, generation: int, summary: dict[str, Any]) -> None:
        if self._previewing is None or self._doc is not None:
            return
        path, page, zoom = self._previewing
        boxes = summary.get("geometries") or []
        count = int(summary.get("page_count") or 0)
        covered = bool(boxes) and 0 <= page < count and len(boxes) >= min(count, page + EXACT_PAGES_AHEAD)
        if "error" in summary or not covered:
            self._previewing = None
            emit(self.previewFailed, str(summary.get("error") or "no summary"))
            return
        exact = [PageGeometry(tuple(mb), tuple(cb), int(rotation)) for mb, cb, rotation in boxes]
        self._geometries = exact + [exact[-1]] * (count - len(exact))
        self._geometry_exact = len(exact)
        labels = summary.get("labels")
        self._labels = list(labels) if labels else [str(i + 1) for i in range(count)]
        self._lay_out_at(page, zoom)
        emit(self.previewReady, summary)

    def _on_pool_failed(self, message: str) -> None:
        if self._previewing is not None and self._doc is None:
            # not the reader's problem yet: the window opens the file itself and says why
            # (a password to ask, a damaged file) in its own words
            self._previewing = None
            emit(self.previewFailed, message)
            return
        emit(self.renderFailed, message)

    def _adopt_previewed(self, document: PdfDocument, password: str | None) -> bool:
        """``set_document`` for the file being previewed: keep the layout, the position, the
        zoom and the tiles; start the other workers and the text."""
        import os

        path = self._previewing[0] if self._previewing else ""
        self._previewing = None
        if not self._geometries or os.path.abspath(path) != os.path.abspath(document.path):
            return False
        if document.page_count != len(self._geometries):
            return False
        self._doc = document
        self._password = password
        self._labels = [document.page_label(i) for i in range(document.page_count)]
        self._open_in_workers()
        if self._first_screen_announced:
            generation = self._generation
            QTimer.singleShot(0, lambda: self._complete_geometry(generation))
        gc.freeze()
        return True

    def _open_in_workers(self) -> None:
        if self._doc is None:
            return
        self._pool.open(self._doc.path, self._password)
        self._pool.request_texts(list(range(self._doc.page_count)))
        if not self._geometries:
            self._start_flow_build()  # no page text will come
        self._schedule_requests()

    _password: str | None = None

    def document(self) -> PdfDocument | None:
        return self._doc

    def text_flow(self) -> TextFlow | None:
        """The document's text flow once built in the background (``flowReady``), else None.
        Call this rather than ``document().flow()``, which would extract on the GUI thread."""
        return self._flow

    def page_geometry(self, page: int) -> PageGeometry:
        if self._geometry_exact <= page < len(self._geometries) and self._doc is not None:
            return page_geometries(self._doc, page, page + 1)[0]  # still an estimate in the layout
        return self._geometries[page]

    _geometry_exact = 0

    def _complete_geometry(self, generation: int) -> None:
        """Read the remaining page boxes, a chunk per event-loop turn, then lay out again."""
        if generation != self._generation or self._doc is None:
            return
        count = len(self._geometries)
        if self._geometry_exact >= count:
            return
        stop = min(count, self._geometry_exact + GEOMETRY_CHUNK)
        self._geometries[self._geometry_exact : stop] = page_geometries(self._doc, self._geometry_exact, stop)
        self._geometry_exact = stop
        if stop < count:
            QTimer.singleShot(0, lambda: self._complete_geometry(generation))
            return
        position = self._position()
        self._relayout()
        self._restore(position)

    def page_label(self, page: int) -> str:
        return self._labels[page] if 0 <= page < len(self._labels) else str(page + 1)

    def page_count(self) -> int:
        return len(self._geometries)

    def shutdown(self) -> None:
        self._pool.shutdown()

    def is_idle(self) -> bool:
        """Every tile of the visible pages is drawn (used by ``reviewer shot`` and tests)."""
        if self._previewing is not None and not self._layout.tops:
            return False  # the worker's summary has not come yet: nothing is drawn
        needed = self._wanted_tiles(ahead=False)
        return all(k in self._pool.cache for k in needed)

    def tile_errors(self) -> dict[TileKey, str]:
        return dict(self._pool.errors)

    # --- text -----------------------------------------------------------------------------
    def _on_text(self, page_text: PageText) -> None:
        if (
            self._doc is None
            or page_text.number >= len(self._geometries)
            or page_text.number in self._page_texts  # a page asked again after a worker crash
        ):
            return
        self._page_texts[page_text.number] = page_text
        total = len(self._geometries)
        # Millions of glyph boxes would make every full garbage collection walk them
        # (300-470 ms with the GIL held on a 752-page report): park them out of its way.
        # (They hold no reference cycles, so reference counting still frees them.)
        gc.freeze()
        emit(self.textProgress, len(self._page_texts), total)
        if len(self._page_texts) == total:
            self._start_flow_build()

    def _start_flow_build(self) -> None:
        """Build the flow and its index from the page texts this window keeps anyway, a slice
        of at most FLOW_SLICE_S at a time between events. (In the text worker it meant a second
        copy of everything there and a third in transit: +250 MB at 1,000 pages. In a thread
        the GUI thread waited for the GIL at every Qt call it made: 60-70 ms stalls.)"""
        pages = [self._page_texts[i] for i in range(len(self._geometries))]
        self._flow_steps = (self._generation, flow_and_index_steps(pages))
        if self._flow_timer is None:
            self._flow_timer = QTimer(self)
            self._flow_timer.setInterval(0)
            self._flow_timer.timeout.connect(self._flow_step)
        self._flow_timer.start()

    _flow_steps: tuple[int, Any] | None = None
    _flow_timer: QTimer | None = None

    def _flow_step(self) -> None:
        timer = self._flow_timer
        assert timer is not None  # it is what calls this
        if self._flow_steps is None or self._flow_steps[0] != self._generation:
            self._flow_steps = None  # another document was opened since
            timer.stop()
            return
        generation, steps = self._flow_steps
        deadline = time.perf_counter() + FLOW_SLICE_S
        try:
            while time.perf_counter() < deadline:
                next(steps)
        except StopIteration as finished:
            self._flow_steps = None
            timer.stop()
            flow, index = finished.value
            self._on_flow_built(generation, flow, index)
        except Exception:
            self._flow_steps = None  # a bug: said once, not on every tick
            timer.stop()
            raise

    def _on_flow_built(self, generation: int, flow: TextFlow, index: TextIndex) -> None:
        if generation != self._generation or self._doc is None:
            return
        from reviewer.core.pdf import adopt_page_texts

        adopt_page_texts(self._doc, flow.pages, flow)
        gc.freeze()
        self._flow = flow
        self._index = index
        emit(self.flowReady)

    # --- layout and zoom ------------------------------------------------------------------
    def _dpr(self) -> float:
        return float(self.viewport().devicePixelRatioF()) or 1.0

    def _relayout(self) -> None:
        sizes = [(g.width, g.height) for g in self._geometries]
        self._layout = PageLayout(sizes, self._zoom, self._dpr())
        vw = self.viewport().width()
        vh = self.viewport().height()
        vbar = self.verticalScrollBar()
        hbar = self.horizontalScrollBar()
        vbar.setRange(0, max(0, int(self._layout.content_height - vh)))
        vbar.setPageStep(vh)
        vbar.setSingleStep(40)
        hbar.setRange(0, max(0, int(self._layout.content_width - vw)))
        hbar.setPageStep(vw)
        hbar.setSingleStep(40)
        self._find_quads = {}
        self.viewport().update()
        self._schedule_requests()

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

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        if self.is_idle():  # everything in view is drawn already: paint at once
            self.viewport().update()
        else:  # painted by the request pass, after it drew the light pages that came into
            self._paint_after_requests = True  # view: no placeholder first (render-local)
        self._update_current_page()
        self._schedule_requests()

    _paint_after_requests = False

    def resizeEvent(self, event: QResizeEvent) -> None:
        position = self._position() if self._layout.tops else None
        if self._fit:
            self._zoom = self._fit_zoom()
            emit(self.zoomChanged, self._zoom)
        self._relayout()
        if position:
            self._restore(position)

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

    def event(self, event: Any) -> bool:
        if (
            event.type() == event.Type.NativeGesture
            and event.gestureType() == Qt.NativeGestureType.ZoomNativeGesture
        ):  # trackpad pinch
            anchor = self.viewport().mapFromGlobal(event.globalPosition())
            self.set_zoom(self._zoom * (1.0 + event.value()), anchor=anchor)
            return True
        return super().event(event)

    # --- tiles ----------------------------------------------------------------------------
    def _schedule_requests(self) -> None:
        if not self._request_timer.isActive():
            self._request_timer.start()

    def _wanted_tiles(self, ahead: bool = True) -> list[TileKey]:
        if not self._layout.tops:
            return []
        vw, vh = self.viewport().width(), self.viewport().height()
        top, left = self._sy(), self._sx()
        spans = [(top, top + vh)]
        if ahead:
            spans.append((top + vh, top + 2 * vh))
            spans.append((top - vh / 2, top))
        layout = self._layout
        scale = round(layout.scale, 5)
        keys: list[TileKey] = []
        seen: set[TileKey] = set()
        for y0, y1 in spans:
            for page in layout.visible_pages(max(0.0, y0), y1):
                px, py, w, h = layout.page_rect(page, vw)
                vx0 = max(0.0, left - px) * layout.dpr
                vx1 = min(w, left + vw - px) * layout.dpr
                vy0 = max(0.0, y0 - py) * layout.dpr
                vy1 = min(h, y1 - py) * layout.dpr
                if vx1 <= vx0 or vy1 <= vy0:
                    continue
                for clip in layout.tiles(page, (vx0, vy0, vx1, vy1)):
                    key = (page, scale, clip)
                    if key not in seen:
                        seen.add(key)
                        keys.append(key)
        return keys

    def _request_visible_tiles(self) -> None:
        """Draw what the reader waits for first, then ask for the rest: visible tiles of
        light pages here (``_render_next_local``), visible tiles of heavy pages from the
        workers at once, and the prefetch a moment later, after the view is painted (sending
        requests costs the window 1-2 ms: the workers take the CPU on a two-core laptop and
        their reader threads take the GIL)."""
        wanted = self._wanted_tiles()
        self._local_queue = self._local_tiles(wanted)
        local = set(self._local_queue)
        visible = set(self._wanted_tiles(ahead=False))
        waiting = [k for k in wanted if k in visible and k not in local and k not in self._pool.cache]
        if waiting:  # only the workers draw these: ask now (with the prefetch, unless busy here)
            self._pool.request_tiles(waiting if local else wanted)
        elif local:  # what was queued for the previous position would compete with this
            self._pool.request_tiles([])
        if local:
            self._render_next_local()  # paints
        elif self._paint_after_requests:
            self._paint_after_requests = False
            self.viewport().repaint()
        # (not postponed again by every scroll step while the view scrolls)
        if (local or not waiting) and not self._prefetch_timer.isActive():
            self._prefetch_timer.start()

    def _request_prefetch(self) -> None:
        if self._request_timer.isActive():
            return  # a request pass is due: it decides what is drawn here, then comes back
        if self._local_queue:
            self._prefetch_timer.start()
            return
        self._pool.request_tiles(self._wanted_tiles())

    def _on_tile(self, key: TileKey) -> None:
        if not self._first_screen_announced and self.is_idle():
            self.viewport().repaint()  # the first screen's last tile: now, not at the next frame
        else:
            self.viewport().update()

    # --- painting -------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._pool.warm and self._doc is not None and not self._first_screen_pending:
            # Drawn right after this paint, with the layout the window has settled on by then
            # (a cold start paints and resizes a few times before the first screen is final),
            # then painted from the cache; the workers start once it has been drawn.
            self._first_screen_pending = True
            QTimer.singleShot(0, self._first_screen)
        painter = QPainter(self.viewport())
        painter.fillRect(self.viewport().rect(), BACKGROUND)
        if not self._layout.tops:
            painter.end()
            return
        layout = self._layout
        vw, vh = self.viewport().width(), self.viewport().height()
        sx, sy = self._sx(), self._sy()
        scale = round(layout.scale, 5)
        dpr = layout.dpr
        complete = True
        for page in layout.visible_pages(sy, sy + vh):
            px, py, w, h = layout.page_rect(page, vw)
            ox, oy = px - sx, py - sy
            page_rect = QRectF(ox, oy, w, h)
            if page_rect.bottom() < 0 or page_rect.top() > vh:
                continue
            painter.fillRect(page_rect, PLACEHOLDER)
            vis = (
                max(0.0, sx - px) * dpr,
                max(0.0, sy - py) * dpr,
                min(w, sx + vw - px) * dpr,
                min(h, sy + vh - py) * dpr,
            )
            clips = layout.tiles(page, vis)
            missing = [c for c in clips if (page, scale, c) not in self._pool.cache]
            if missing:
                complete = False
                self._paint_fallback(painter, page, scale, ox, oy)
                if len(missing) == len(clips) and not self._pool.cache.keys_for_page(page):
                    painter.setPen(QColor("#9a9a9a"))
                    painter.drawText(page_rect, Qt.AlignmentFlag.AlignCenter, f"{self.page_label(page)}")
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
            for clip in clips:
                got = self._pool.cache.get((page, scale, clip))
                if got is None:
                    continue
                image, rect = got
                target = QRectF(ox + rect[0] / dpr, oy + rect[1] / dpr, rect[2] / dpr, rect[3] / dpr)
                if image is None:
                    self._paint_error(painter, page_rect, (page, scale, clip))
                else:
                    # at the screen's pixel ratio, drawn at a point: a 1:1 blit, no resampling
                    if image.devicePixelRatio() != dpr:
                        image.setDevicePixelRatio(dpr)
                    painter.drawImage(target.topLeft(), image)
            self._paint_overlays(painter, page, ox, oy)
        painter.end()
        if complete and not self._first_screen_announced and layout.tops:
            self._first_screen_announced = True
            generation = self._generation
            QTimer.singleShot(0, lambda: self._after_first_screen(generation))

    _first_screen_announced = True  # until a document is set

    def _after_first_screen(self, generation: int) -> None:
        if generation != self._generation:
            return
        self._complete_geometry(generation)
        emit(self.firstScreenPainted)

    _first_screen_pending = False

    def _first_screen(self) -> None:
        self._first_screen_pending = False
        if self._doc is None or self._pool.warm:
            return
        if self._render_first_screen():
            # now, not at the next frame tick: update() waits for the window's next frame
            # (up to 16 ms), which a reader opening a document would wait for too
            self.viewport().repaint()
        if not self._pool.started and not self._workers_scheduled:
            self._workers_scheduled = True
            QTimer.singleShot(0, self._open_in_workers)

    _workers_scheduled = False

    def _render_first_screen(self) -> bool:
        """At cold start the workers are still importing MuPDF: draw the first screen here,
        once, so the first page appears as fast as a bare PyMuPDF viewer would show it."""
        assert self._doc is not None
        from reviewer.core.pdf import render_tile

        keys = [k for k in self._wanted_tiles(ahead=False) if k not in self._pool.cache]
        pixels = sum((c[2] - c[0]) * (c[3] - c[1]) for _, _, c in keys)
        if not keys or pixels > FIRST_SCREEN_PIXELS:
            return False
        for page, scale, clip in keys:
            try:
                x, y, w, h, stride, samples = render_tile(self._doc, page, scale, clip)
            except Exception:
                return False  # the workers will draw it, or draw the error tile
            image = QImage(samples, w, h, stride, QImage.Format.Format_RGB888)
            self._pool.cache.put(
                (page, scale, clip),
                image.convertToFormat(QImage.Format.Format_RGB32),
                None,
                (x, y, w, h),
            )
        return True

    def _paint_fallback(self, painter: QPainter, page: int, scale: float, ox: float, oy: float) -> None:
        """While a page renders at the new zoom, stretch what we have at another zoom."""
        others = [k for k in self._pool.cache.keys_for_page(page) if k[1] != scale]
        if not others:
            return
        best = min(others, key=lambda k: abs(k[1] - scale))[1]
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        factor = scale / best / self._layout.dpr
        for key in others:
            if key[1] != best:
                continue
            got = self._pool.cache.get(key)
            if got is None:
                continue
            image, rect = got
            if image is None:
                continue
            painter.drawImage(
                QRectF(ox + rect[0] * factor, oy + rect[1] * factor, rect[2] * factor, rect[3] * factor),
                image,
            )

    def _paint_error(self, painter: QPainter, page_rect: QRectF, key: TileKey) -> None:
        painter.fillRect(page_rect, ERROR_TILE)
        painter.setPen(QColor("#8b0000"))
        message = self._pool.errors.get(key, "")
        painter.drawText(
            page_rect.adjusted(12, 12, -12, -12),
            Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
            f"Page {self.page_label(key[0])} could not be drawn.\n{message[:200]}",
        )

    def _quad_rect(self, quad: Quad, geometry: PageGeometry, ox: float, oy: float) -> QRectF:
        x0, y0, x1, y1 = quad.view_rect(geometry)
        z = self._zoom
        return QRectF(ox + x0 * z, oy + y0 * z, (x1 - x0) * z, (y1 - y0) * z)

    def _paint_overlays(self, painter: QPainter, page: int, ox: float, oy: float) -> None:
        geometry = self._geometries[page]
        painter.setPen(Qt.PenStyle.NoPen)
        outlines: dict[str, tuple[HighlightItem, QPainterPath]] = {}
        for item, quad in self._highlights_by_page.get(page, ()):
            rect = self._quad_rect(quad, item.geometry.get(page, geometry), ox, oy)
            colors = item.colors or ["#FFD54F"]
            band = rect.height() / len(colors)
            for i, name in enumerate(colors):
                color = QColor(name)
                color.setAlpha(110 if not item.selected else 150)
                painter.fillRect(QRectF(rect.left(), rect.top() + i * band, rect.width(), band), color)
            if item.selected or (item.id == self._flash_id and time.monotonic() < self._flash_until):
                path = outlines.setdefault(item.id, (item, QPainterPath()))[1]
                path.addRect(rect.adjusted(-1, -2, 1, 2))
        # one outline around each selected or flashed annotation's lines (annotating area):
        # a rectangle per line drew a stroke through the line above it
        for annotation_id, (_item, path) in outlines.items():
            flashing = annotation_id == self._flash_id
            painter.setPen(QPen(QColor("#d32f2f") if flashing else QColor(0, 0, 0, 160), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            path.setFillRule(Qt.FillRule.WindingFill)  # overlapping lines merge, no holes
            painter.drawPath(path.simplified())
        painter.setPen(Qt.PenStyle.NoPen)
        for hit_index, quad in self._find_hits_on(page):
            color = FIND_CURRENT if hit_index == self._find_current else FIND_HIT
            painter.fillRect(self._quad_rect(quad, geometry, ox, oy), color)
        for quad in self._selection_quads.get(page, ()):
            painter.fillRect(self._quad_rect(quad, geometry, ox, oy), SELECTION)

    # --- highlights (annotation panel API) ------------------------------------------------
    def set_highlights(self, items: list[HighlightItem]) -> None:
        self._highlights = list(items)
        by_page: dict[int, list[tuple[HighlightItem, Quad]]] = {}
        for item in self._highlights:
            for quad in item.quads:
                by_page.setdefault(quad.page, []).append((item, quad))
        self._highlights_by_page = by_page
        self.viewport().update()

    def flash(self, annotation_id: str) -> None:
        """Outline one highlight for a moment, to show where it is."""
        self._flash_id = annotation_id
        self._flash_until = time.monotonic() + 1.2
        self.viewport().update()
        QTimer.singleShot(1300, self.viewport().update)

    def _highlight_at(self, pos: QPointF) -> HighlightItem | None:
        spot = self._layout.hit(pos.x() + self._sx(), pos.y() + self._sy(), self.viewport().width())
        if spot is None:
            return None
        geometry = self._geometries[spot.page]
        for item, quad in reversed(self._highlights_by_page.get(spot.page, [])):
            x0, y0, x1, y1 = quad.view_rect(item.geometry.get(spot.page, geometry))
            if x0 <= spot.x <= x1 and y0 <= spot.y <= y1:
                return item
        return None

    # --- find hits ------------------------------------------------------------------------
    def set_find_hits(self, hits: list[tuple[int, int]], current: int = -1) -> None:
        self._find_hits = hits
        self._find_current = current
        self._find_quads = {}
        self.viewport().update()

    def set_find_current(self, current: int) -> None:
        self._find_current = current
        if 0 <= current < len(self._find_hits):
            self.scroll_to_offset(*self._find_hits[current])
        self.viewport().update()

    def _find_hits_on(self, page: int) -> list[tuple[int, Quad]]:
        if not self._find_hits or self._flow is None:
            return []
        cached = self._find_quads.get(page)
        if cached is not None:
            return cached
        flow = self._flow
        start = flow.page_start[page] if page < len(flow.page_start) else 0
        end = flow.page_start[page + 1] if page + 1 < len(flow.page_start) else len(flow.text)
        first = max(0, bisect.bisect_left(self._find_hits, (start, -1)) - 1)
        result: list[tuple[int, Quad]] = []
        for i in range(first, len(self._find_hits)):
            s, e = self._find_hits[i]
            if s >= end:
                break
            if e <= start:
                continue
            result.extend((i, q) for q in flow.quads(s, e) if q.page == page)
        self._find_quads[page] = result
        return result

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
            text = "<p style='white-space:pre-wrap'>" + html.escape(item.tooltip) + "</p>"
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

    # --- geometry for screenshots and tests -----------------------------------------------
    def page_rect_in_viewport(self, page: int) -> tuple[float, float, float, float]:
        """(x, y, width, height) of a page in viewport coordinates (logical pixels)."""
        x, y, w, h = self._layout.page_rect(page, self.viewport().width())
        return (x - self._sx(), y - self._sy(), w, h)

    def viewport_point(self, page: int, x: float, y: float) -> QPointF:
        """Where a displayed-page point (points, y down) is in the viewport."""
        cx, cy = self._layout.content_point(PageSpot(page, x, y), self.viewport().width())
        return QPointF(cx - self._sx(), cy - self._sy())

    # --- render-local: light visible pages drawn in this process --------------------------
    def _local_tiles(self, wanted: list[TileKey]) -> list[TileKey]:
        """The visible tiles this process draws itself (the current page first): those of
        pages predicted light (``local_render``). Prefetching stays with the workers."""
        doc = self._doc
        if doc is None or not self._pool.started or doc.is_repaired:
            return []  # at cold start ``_first_screen`` draws; a repaired file may be hostile
        from reviewer.core.pdf import page_render_features

        if self._local_doc is not doc:
            self._local_doc = doc
            self._local.reset()
            self.local_renders = 0
            # read by the workers while they idle, so a far jump need not read them here
            self._pool.request_features(list(range(doc.page_count)))
        visible = set(self._wanted_tiles(ahead=False))
        chosen = [
            k for k in wanted if k in visible and k not in self._pool.cache and not self._pool.is_in_flight(k)
        ]
        chosen.sort(key=lambda k: k[0] != self._current_page)
        result = []
        for key in chosen:
            page, _scale, (x0, y0, x1, y1) = key
            features = self._local.features(page)
            if features is None:
                features = page_render_features(doc, page)
                self._local.remember_features(page, features)
            if self._local.renders_locally(page, (x1 - x0) * (y1 - y0), features):
                result.append(key)
        return result

    def _render_next_local(self) -> None:
        """One tile per call; the event loop runs (and paints) between two."""
        while self._local_queue:
            key = self._local_queue.pop(0)
            if key not in self._pool.cache and not self._pool.is_in_flight(key):
                self._render_locally(key)
                break
        if self._local_queue:
            self._local_timer.start()

    def _render_locally(self, key: TileKey) -> None:
        assert self._doc is not None
        from reviewer.core.pdf import render_tile_view

        page, scale, clip = key
        pixels = (clip[2] - clip[0]) * (clip[3] - clip[1])
        features = self._local.features(page)
        predicted = sum(self._local.predict(page, pixels, features)) if features else 0.0
        started = time.thread_time()
        try:
            x, y, w, h, stride, samples, pixmap = render_tile_view(self._doc, page, scale, clip)
        except Exception as exc:  # noqa: BLE001 - a page MuPDF cannot draw: the error tile
            self._pool.put_error(key, f"{type(exc).__name__}: {exc}")
        else:
            # MuPDF's pixels as they are, kept alive by the cache with the image: converting
            # them to the screen's format costs 1-2 ms more than drawing them converted
            image = QImage(samples, w, h, stride, QImage.Format.Format_RGB888)
            self._pool.put_rendered(key, image, (x, y, w, h), pixmap)
        self._local.record_local(page, pixels, (time.thread_time() - started) * 1000, predicted)
        self.local_renders += 1
        # painted now, not one event-loop turn later: the reader waits for this page
        self._paint_after_requests = False
        self.viewport().repaint()

    def prefetch_pending(self) -> bool:
        """Tiles still to draw here, or the workers' prefetch not requested yet."""
        return bool(self._local_queue) or self._prefetch_timer.isActive()

    def _on_features(self, found: dict[int, PageRenderFeatures]) -> None:
        if self._local_doc is self._doc:
            for page, features in found.items():
                if self._local.features(page) is None:
                    self._local.remember_features(page, features)

    def _on_tile_timed(self, key: TileKey, cpu_ms: float) -> None:
        if cpu_ms < 0:
            return  # the worker loaded fonts for it: not what the page costs
        clip = key[2]
        self._local.record(key[0], (clip[2] - clip[0]) * (clip[3] - clip[1]), cpu_ms)
