"""The continuous page view: pages stacked vertically, rendered in tiles by worker processes
(light visible pages in this process, see ``local_render``).

Public API for the annotation panel (see docs/view.md):
signals ``selectionChanged()``, ``highlightClicked(str)``, ``currentPageChanged(int)``,
``zoomChanged(float)``, ``flowReady()``; methods ``document()``, ``text_flow()``,
``selection_range()``, ``clear_selection()``, ``set_highlights(items)``,
``scroll_to(page, view_rect)``, ``flash(annotation_id)``, ``current_page()``.

This module lays out and paints the pages; the rest of the view is mixed in from modules of
their own: ``page_overlays`` (highlights, find hits, selection painted over the pages),
``page_interaction`` (zoom, navigation, keys, wheel, mouse selection), ``page_text_flow`` (the
text flow built between events) and ``page_local_tiles`` (tiles drawn in this process).
"""

from __future__ import annotations

import gc
import sys
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QWidget

from reviewer.core.geometry import PageGeometry, Quad
from reviewer.core.textflow import PageText, TextFlow
from reviewer.ui.highlights import HighlightItem
from reviewer.ui.layout import PageLayout, PageSpot, clamp_zoom
from reviewer.ui.local_render import LocalRenderPolicy
from reviewer.ui.qt_compat import emit
from reviewer.ui.render_client import RenderPool, TileKey
from reviewer.ui.text_index import TextIndex

if TYPE_CHECKING:
    from reviewer.core.pdf import PdfDocument
    from reviewer.ui.head_start import HeadStart
from reviewer.ui.page_interaction import PageInteraction
from reviewer.ui.page_local_tiles import LocalTiles
from reviewer.ui.page_overlays import PageOverlays
from reviewer.ui.page_text_flow import PageTextFlow


def page_geometries(document: PdfDocument, start: int, stop: int) -> list[PageGeometry]:
    # MuPDF is loaded when a document is opened in this process, not with the module: at a
    # cold start the first screen comes from a worker before (reviewer.ui.head_start).
    from reviewer.core.pdf import page_geometries as read

    return read(document, start, stop)


BACKGROUND = QColor("#5f6368")
PLACEHOLDER = QColor("#f1f1f1")
ERROR_TILE = QColor("#fbe3e3")
PREFETCH_DELAY_MS = 15  # the workers are asked for the pages around once the view is painted
FIRST_SCREEN_PIXELS = 3_000_000  # in-process only at cold start and at reading zooms
EXACT_PAGES_AHEAD = 8  # pages past the start page whose boxes are read before the first paint
GEOMETRY_CHUNK = 500  # pages whose boxes are read per event-loop turn after the first paint


class PageView(PageOverlays, PageInteraction, PageTextFlow, LocalTiles, QAbstractScrollArea):
    selectionChanged = Signal()
    highlightClicked = Signal(str)
    currentPageChanged = Signal(int)
    zoomChanged = Signal(float)
    flowReady = Signal()
    flowGrowing = Signal(int)  # a provisional flow of the first N pages (see page_text_flow)
    previewReady = Signal(object)  # the worker's document summary (see ``preview``)
    previewFailed = Signal(str)
    firstScreenPainted = Signal()  # once per document, when its first screen is fully drawn
    textProgress = Signal(int, int)  # pages extracted, total
    renderFailed = Signal(str)

    def __init__(self, parent: QWidget | None = None, render_workers: int = 2) -> None:
        super().__init__(parent)
        # Our own viewport, set up as Qt sets up its own. The first viewport() call on Qt's makes
        # PySide6 find the Python class of a QWidget it never wrapped, which initialises every
        # QWidget subclass of QtWidgets (78 enums, 35 ms before the first page at cold start).
        viewport = QWidget()
        viewport.setObjectName("qt_scrollarea_viewport")
        viewport.setBackgroundRole(QPalette.ColorRole.Base)
        viewport.setAutoFillBackground(True)
        self.setViewport(viewport)
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
        self._forget_provisional()
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

    def take_size_before_show(self) -> None:
        """Lay the viewport out for the size this hidden view was given (Qt does it when the
        window is shown), so that the first screen's tiles can be asked for before show()."""
        if not self.isVisible():
            QApplication.sendEvent(self, QResizeEvent(self.size(), self.size()))

    def request_first_screen(self) -> None:
        """If the worker's summary of the previewed document has come, lay the pages out and
        ask for the visible tiles now: before the window is shown (see ``MainWindow.
        lay_out_before_show``) the worker renders them while the window maps and paints."""
        self._pool.deliver_now()
        if self._previewing is not None and self._layout.tops and self._request_timer.isActive():
            self._request_timer.stop()
            self._request_visible_tiles()

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



    _flow_steps: tuple[int, Any] | None = None
    _flow_timer: QTimer | None = None



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

















    def bring_to_top(self, page: int, view_y: float, margin: float = 12.0) -> None:
        """Put a displayed-page y (points, y down) at the top of the view: an outline heading."""
        if not self._layout.tops:
            return
        self._push_history()
        _, y = self._layout.content_point(PageSpot(page, 0, view_y), self.viewport().width())
        self.verticalScrollBar().setValue(round(y - margin))
        self._update_current_page()



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


























    def prefetch_pending(self) -> bool:
        """Tiles still to draw here, or the workers' prefetch not requested yet."""
        return bool(self._local_queue) or self._prefetch_timer.isActive()


