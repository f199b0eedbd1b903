"""Following links on the page, safely.

A click on a link acts only through ``safe_link_target``: a page of this document is shown at
once; a web address is opened in the browser only after the user confirmed it (the address is
shown as plain text); launch, JavaScript, file and other-document links do nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPointF, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QMouseEvent
from PySide6.QtWidgets import QApplication

from reviewer.core.geometry import Rect
from reviewer.core.plain_text import display_text
from reviewer.ui.page_view import PageView
from reviewer.ui.safe_dialogs import ask

if TYPE_CHECKING:
    from reviewer.core.pdf import LinkTarget  # MuPDF only once a document is open


class LinkFollower(QObject):
    """An event filter on the page view's viewport: a click (not a drag, not on a
    selection) over a safe link follows it."""

    def __init__(self, view: PageView) -> None:
        super().__init__(view)
        self.view = view
        self._press: QPointF | None = None
        self._cache: dict[tuple[int, int], list[tuple[Rect, LinkTarget]]] = {}
        view.viewport().installEventFilter(self)

    def links_of(self, page: int) -> list[tuple[Rect, LinkTarget]]:
        document = self.view.document()
        if document is None:
            return []
        key = (id(document), page)
        if key not in self._cache:
            from reviewer.core.pdf import page_links

            self._cache[key] = page_links(document, page)
        return self._cache[key]

    def target_at(self, pos: QPointF) -> LinkTarget | None:
        view = self.view
        if view.document() is None:
            return None
        x = pos.x() + view._sx()  # noqa: SLF001 - the view's own scroll offsets
        y = pos.y() + view._sy()  # noqa: SLF001
        spot = view._layout.hit(x, y, view.viewport().width())  # noqa: SLF001
        if spot is None:
            return None
        ux, uy = view.page_geometry(spot.page).view_to_unrotated(spot.x, spot.y)
        for (x0, y0, x1, y1), target in self.links_of(spot.page):
            if x0 <= ux <= x1 and y0 <= uy <= y1:
                return target
        return None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            left = event.button() == Qt.MouseButton.LeftButton
            self._press = event.position() if left else None
        elif kind == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent):
            press, self._press = self._press, None
            if press is None or event.button() != Qt.MouseButton.LeftButton:
                return False
            if (event.position() - press).manhattanLength() >= QApplication.startDragDistance():
                return False
            target = self.target_at(event.position())
            if target is not None:
                self.follow(target)
        return False

    def follow(self, target: LinkTarget) -> bool:
        """Act on one safe target; returns whether anything was opened or shown."""
        if target.kind == "page" and target.page is not None:
            self.view.go_to_page(target.page)
            return True
        if target.kind == "uri" and target.uri:
            shown = display_text(target.uri, max_length=300)
            question = f"This document links to:\n\n{shown}\n\nOpen it in your web browser?"
            if ask(self.view.window(), question):
                QDesktopServices.openUrl(QUrl(target.uri, QUrl.ParsingMode.StrictMode))
                return True
        return False
