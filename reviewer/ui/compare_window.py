"""Compare mode: two treaties side by side in one window (File → Compare With…).

The panes scroll in step through the concordance (``core.compare_sync``): bringing A to
Art. 15 brings B to its counterpart. The Concordance panel lists the pairs; select a passage
in each pane and press L (or the toolbar's Link) to link them; click a link's end in one pane
to see the other end in the other pane. Every change goes through the window's undo stack.

The comparison (reading both texts, matching the articles) runs in a thread on documents of
its own, so the window stays responsive; the database is used on the main thread only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QSplitter, QVBoxLayout, QWidget

from reviewer.core.compare_sync import Counterparts
from reviewer.core.concordance import ArticleText, Comparison, Pair, apply_confirmed, match_articles
from reviewer.core.errors import ReviewerError
from reviewer.core.geometry import PageGeometry, Quad
from reviewer.core.model import Annotation
from reviewer.core.pdf import PdfDocument, open_pdf
from reviewer.core.review import Review
from reviewer.core.review_compare import articles_of, confirmed_pairs, link_ranges, links_between, set_pair
from reviewer.ui.carry_actions import in_background
from reviewer.ui.concordance_panel import ConcordancePanel
from reviewer.ui.highlights import HighlightItem
from reviewer.ui.page_view import PageView
from reviewer.ui.undo import UndoController

LINK_COLOR = "#7E57C2"


@dataclass
class _Prepared:
    """What the thread read: the two documents with their text, articles and suggestion."""

    pdf_a: PdfDocument
    pdf_b: PdfDocument
    a_articles: list[ArticleText]
    b_articles: list[ArticleText]
    suggested: list[Pair]


def _prepare(path_a: str, path_b: str) -> _Prepared:
    pdf_a, pdf_b = open_pdf(path_a), open_pdf(path_b)
    pdf_a.info(), pdf_b.info()  # read now: the main thread asks for them
    a_articles, b_articles = articles_of(pdf_a), articles_of(pdf_b)
    suggested, _, _ = match_articles(a_articles, b_articles)
    return _Prepared(pdf_a, pdf_b, a_articles, b_articles, suggested)


class CompareWindow(QMainWindow):
    ready = Signal()  # the comparison is shown (tests wait for it)

    def __init__(self, review: Review, path_a: str, path_b: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.review = review
        self.undo = UndoController(review, self)
        self.undo.changed.connect(lambda _notice: self.refresh())
        self.undo.failed.connect(self.show_message)
        self.prepared: _Prepared | None = None
        self.comparison: Comparison | None = None
        self.counterparts: Counterparts | None = None
        self.links: list[Annotation] = []
        self.a_id = self.b_id = ""
        self._syncing = False
        self.view_a, self.view_b = PageView(render_workers=1), PageView(render_workers=1)
        self.title_a, self.title_b = QLabel(self), QLabel(self)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        for title, view in ((self.title_a, self.view_a), (self.title_b, self.view_b)):
            title.setTextFormat(Qt.TextFormat.PlainText)  # titles come from the PDFs
            pane = QWidget(splitter)
            layout = QVBoxLayout(pane)
            layout.setContentsMargins(0, 0, 0, 0)
            layout.addWidget(title)
            layout.addWidget(view, 1)
            splitter.addWidget(pane)
        self.setCentralWidget(splitter)
        self.panel = ConcordancePanel(self)
        dock = QDockWidget("Concordance", self)
        dock.setObjectName("concordance")
        dock.setWidget(self.panel)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        self.link_action = QAction("Link", self)
        self.link_action.setShortcut(QKeySequence("L"))
        self.link_action.setToolTip("Link the passage selected in A to the one selected in B (L)")
        self.link_action.triggered.connect(self.link_selections)
        undo_action = self.undo.stack.createUndoAction(self, "&Undo")
        undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        redo_action = self.undo.stack.createRedoAction(self, "&Redo")
        redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        toolbar = self.addToolBar("Compare")
        toolbar.setObjectName("compare")
        toolbar.addAction(self.link_action)
        toolbar.addAction(undo_action)
        toolbar.addAction(redo_action)
        self.addAction(self.link_action)
        self.panel.pairChosen.connect(self.go_to_pair)
        self.panel.confirmRequested.connect(lambda a, b, relation: self.set_pair(a, b, relation))
        self.panel.removeRequested.connect(lambda a, b: self.set_pair(a, b, None, unset=True))
        self.view_a.verticalScrollBar().valueChanged.connect(lambda _v: self._follow("a"))
        self.view_b.verticalScrollBar().valueChanged.connect(lambda _v: self._follow("b"))
        self.view_a.highlightClicked.connect(lambda link_id: self.show_other_end(link_id, "a"))
        self.view_b.highlightClicked.connect(lambda link_id: self.show_other_end(link_id, "b"))
        self.view_a.flowReady.connect(self._paint_links)
        self.view_b.flowReady.connect(self._paint_links)
        self.setWindowTitle(f"{Path(path_a).name} \u2194 {Path(path_b).name} \u2014 Reviewer")
        self.resize(1500, 950)
        self.view_a.set_document(open_pdf(path_a), zoom="width")
        self.view_b.set_document(open_pdf(path_b), zoom="width")
        in_background(self, lambda: _prepare(path_a, path_b), self._prepared)

    # --- the comparison -------------------------------------------------------------------
    def _prepared(self, result: object) -> None:
        if isinstance(result, BaseException):
            self.panel.status.setText(f"The comparison failed: {result}")
            return
        assert isinstance(result, _Prepared)
        self.prepared = result
        with self.review.store.transaction():
            self.a_id = self.review.register(result.pdf_a)["id"]
            self.b_id = self.review.register(result.pdf_b)["id"]
        self._place_articles()
        self.title_a.setText(f"A: {result.pdf_a.info().title}")
        self.title_b.setText(f"B: {result.pdf_b.info().title}")
        self.refresh()
        self.ready.emit()

    def refresh(self) -> None:
        """The concordance and the links as the database has them now."""
        prepared = self.prepared
        if prepared is None:
            return
        pairs, only_a, only_b = apply_confirmed(
            list(prepared.suggested),
            prepared.a_articles,
            prepared.b_articles,
            confirmed_pairs(self.review, self.a_id, self.b_id),
        )
        info_a, info_b = prepared.pdf_a.info(), prepared.pdf_b.info()
        self.comparison = Comparison(self.a_id, info_a.title, self.b_id, info_b.title, pairs, only_a, only_b)
        self.counterparts = Counterparts(self.comparison, prepared.a_articles, prepared.b_articles)
        self.links = [x for x in links_between(self.review, self.a_id, self.b_id) if x.links]
        counts: dict[tuple[str, str], int] = {}
        for link in self.links:
            key = (_article(link.citation), _article(link.links[0].citation))
            counts[key] = counts.get(key, 0) + 1
        self.panel.set_comparison(
            self.comparison,
            counts,
            [x.citation for x in prepared.a_articles],
            [x.citation for x in prepared.b_articles],
        )
        self._paint_links()

    def _paint_links(self) -> None:
        a_items, b_items = [], []
        for link in self.links:
            end = link.links[0]
            tip = f"\u2194 {end.citation or ''} \u201c{end.quote}\u201d"
            a_items.append(
                HighlightItem(link.id, list(link.quads), [LINK_COLOR], tip, geometry=link.geometry)
            )
            back = f"\u2194 {link.citation or ''} \u201c{link.quote}\u201d"
            b_items.append(
                HighlightItem(
                    link.id, _quads(end.quads), [LINK_COLOR], back, geometry=_geometry(end.geometry)
                )
            )
        self.view_a.set_highlights(a_items)
        self.view_b.set_highlights(b_items)

    # --- scrolling in step ------------------------------------------------------------------
    def _follow(self, leader: str) -> None:
        """The other pane at the same place of the counterpart article.

        Articles are found by where they stand on the pages (their first and last lines,
        placed once), not by asking the text index at every scroll step: that cost 3 ms a
        step, in the view's stall budget."""
        if self._syncing or self.counterparts is None or self.prepared is None:
            return
        lead, other = (self.view_a, self.view_b) if leader == "a" else (self.view_b, self.view_a)
        lead_spans, other_spans = (
            (self._spans_a, self._spans_b) if leader == "a" else (self._spans_b, self._spans_a)
        )
        names = self.counterparts.a_to_b if leader == "a" else self.counterparts.b_to_a
        top = lead.verticalScrollBar().value() + TOP_LINE
        found = None
        for citation, (start, end) in lead_spans.items():
            y0, y1 = _content_y(lead, start), _content_y(lead, end)
            if y0 <= top < y1:
                found = (citation, (top - y0) / max(1.0, y1 - y0))
                break
        if found is None or found[0] not in names or names[found[0]] not in other_spans:
            return
        start, end = other_spans[names[found[0]]]
        y0, y1 = _content_y(other, start), _content_y(other, end)
        self._syncing = True
        try:
            other.verticalScrollBar().setValue(round(y0 + found[1] * (y1 - y0) - TOP_LINE))
        finally:
            self._syncing = False

    _spans_a: dict[str, tuple[tuple[int, float], tuple[int, float]]] = {}
    _spans_b: dict[str, tuple[tuple[int, float], tuple[int, float]]] = {}

    def _place_articles(self) -> None:
        """Where each article starts and ends: (page, displayed y) of its first and last line."""
        prepared = self.prepared
        assert prepared is not None
        for attribute, pdf, articles in (
            ("_spans_a", prepared.pdf_a, prepared.a_articles),
            ("_spans_b", prepared.pdf_b, prepared.b_articles),
        ):
            flow = pdf.flow()
            spans = {}
            for article in articles:
                first = flow.quads(article.start, min(article.end, article.start + 40))
                last = flow.quads(max(article.start, article.end - 40), article.end)
                if first and last:
                    a, z = first[0], last[-1]
                    top = a.view_rect(flow.pages[a.page].geometry)[1]
                    bottom = z.view_rect(flow.pages[z.page].geometry)[3]
                    spans[article.citation] = ((a.page, top), (z.page, bottom))
            setattr(self, attribute, spans)

    def _show_offset(self, view: PageView, pdf: PdfDocument, offset: int, end: int | None = None) -> None:
        # a range, not one character: the offset may fall on a space, which has no glyph
        quads = pdf.flow().quads(offset, end if end is not None else offset + 40)
        if not quads:
            return
        first = quads[0]
        y = first.view_rect(view.page_geometry(first.page))[1]
        self._syncing = True
        try:
            view.put_at_top(first.page, y, margin=12.0)
        finally:
            self._syncing = False

    def go_to_pair(self, a: str, b: str) -> None:
        """Both panes at the start of the pair's articles."""
        if self.counterparts is None or self.prepared is None:
            return
        for side, view, pdf, citation in (
            ("a", self.view_a, self.prepared.pdf_a, a),
            ("b", self.view_b, self.prepared.pdf_b, b),
        ):
            start = self.counterparts.start_of(side, citation)
            if start is not None:
                self._show_offset(view, pdf, start)

    def show_other_end(self, link_id: str, clicked: str) -> None:
        link = next((x for x in self.links if x.id == link_id), None)
        if link is None or self.prepared is None:
            return
        if clicked == "a":
            end = link.links[0]
            view, quads, geometry = self.view_b, _quads(end.quads), _geometry(end.geometry)
        else:
            view, quads, geometry = self.view_a, list(link.quads), link.geometry
        if quads:
            q = quads[0]
            self._syncing = True
            try:
                view.scroll_to(q.page, q.view_rect(geometry.get(q.page, view.page_geometry(q.page))))
            finally:
                self._syncing = False
            view.flash(link_id)

    # --- changes ----------------------------------------------------------------------------
    def link_selections(self) -> None:
        prepared = self.prepared
        a_range, b_range = self.view_a.selection_range(), self.view_b.selection_range()
        if prepared is None:
            self.show_message("The comparison is still being prepared")
            return
        if a_range is None or b_range is None:
            self.show_message("Select a passage in each pane, then press L to link them")
            return

        def act():  # type: ignore[no-untyped-def]
            link_ranges(self.review, prepared.pdf_a, a_range, prepared.pdf_b, b_range)
            return self.review.last_change

        try:
            self.undo.run(act)
        except ReviewerError as exc:
            self.show_message(str(exc))
            return
        self.view_a.clear_selection()
        self.view_b.clear_selection()

    def set_pair(self, a: str, b: str, relation: str | None, unset: bool = False) -> None:
        prepared = self.prepared
        if prepared is None:
            return
        try:
            self.undo.run(
                lambda: set_pair(self.review, prepared.pdf_a, a, prepared.pdf_b, b, relation, unset=unset)
            )
        except ReviewerError as exc:
            self.show_message(str(exc))

    def show_message(self, message: str) -> None:
        self.statusBar().showMessage(message, 10000)

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        self.view_a.shutdown()
        self.view_b.shutdown()
        super().closeEvent(event)


TOP_LINE = 18.0  # pixels below the top of a pane: the line a reader is at


def _content_y(view: PageView, spot: tuple[int, float]) -> float:
    """A (page, displayed y) in the pane's scrolled content, in pixels."""
    return view.viewport_point(spot[0], 0.0, spot[1]).y() + view.verticalScrollBar().value()


def _article(citation: str | None) -> str:
    return (citation or "").split("(")[0].split(",")[0].strip()


def _quads(text: str) -> list[Quad]:
    import json

    return [Quad.from_json(q) for q in json.loads(text)]


def _geometry(text: str) -> dict[int, PageGeometry]:
    import json

    return {int(k): PageGeometry.from_json(v) for k, v in json.loads(text).items()}


def open_compare(window: QWidget, review: Review, path_a: str, path_b: str) -> CompareWindow:
    compare = CompareWindow(review, path_a, path_b)
    compare.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    compare.show()
    window.compare_windows = [*getattr(window, "compare_windows", []), compare]  # type: ignore[attr-defined]
    return compare


def attach_compare(window: QMainWindow, review: Review) -> QAction:
    """File → Compare With…: the window's document beside another treaty."""
    from PySide6.QtWidgets import QFileDialog, QMenu

    action = QAction("Compare &With\u2026", window)
    action.setToolTip("Open another treaty beside this one, scrolled in step through the concordance")

    def choose() -> None:
        view = getattr(window, "view", None)
        document = view.document() if view is not None else None
        if document is None:
            return
        path, _ = QFileDialog.getOpenFileName(
            window, "Compare with", str(Path(document.path).parent), "PDF documents (*.pdf);;All files (*)"
        )
        if path:
            open_compare(window, review, document.path, path)

    action.triggered.connect(choose)
    file_menu = next((m.menu() for m in window.menuBar().actions() if m.text() == "&File"), None)
    if isinstance(file_menu, QMenu):
        quit_action = getattr(window, "quit_action", None)
        if isinstance(quit_action, QAction) and quit_action in file_menu.actions():
            file_menu.insertAction(quit_action, action)
        else:
            file_menu.addAction(action)
    window.compare_action = action  # type: ignore[attr-defined]
    return action
