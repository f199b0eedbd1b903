"""The annotation panel: search, filters, grouping, the list of entries and the editor.

Entries are painted by ``AnnotationDelegate`` with ``QPainter.drawText`` only: every quote,
comment, tag and author name is drawn as plain text.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QLineEdit,
    QListView,
    QMenu,
    QSizePolicy,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reviewer.core.comment_markup import Span, line_runs, plain_text, to_html
from reviewer.core.model import STATUSES, AnnotationEntry
from reviewer.core.review import Review
from reviewer.ui.annotation_editor import AnnotationEditor
from reviewer.ui.annotation_model import (
    ANNOTATION_ROLE,
    GROUP_ROLE,
    ID_ROLE,
    AnnotationModel,
    Group,
    GroupBy,
    PanelFilter,
)
from reviewer.ui.orphans import with_badge
from reviewer.ui.plain import local_time, plain_label, short
from reviewer.ui.undo import ChangeNotice, UndoController

AnyIndex = QModelIndex | QPersistentModelIndex
STATUS_COLORS = {
    "open": "#546E7A",
    "accepted": "#2E7D32",
    "rejected": "#C62828",
    "resolved": "#1565C0",
}
KIND_TEXT = {"note": "Page note", "area": "Area"}


def readable_on(color: QColor) -> QColor:
    return QColor("#000000") if color.lightness() > 140 else QColor("#FFFFFF")


class AnnotationDelegate(QStyledItemDelegate):
    """Paints an entry: tag chips and place, quote, comment, then author/status/date/replies."""

    PAD = 6

    def __init__(self, model: AnnotationModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model

    def _line(self, option: QStyleOptionViewItem) -> int:
        return QFontMetrics(option.font).height()  # type: ignore[attr-defined]

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:  # noqa: N802
        # one height for every row (headers included): the list can then lay out 100,000
        # rows without asking each one
        return QSize(200, 4 * self._line(option) + 2 * self.PAD + 6)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        painter.save()
        try:
            # asked through the Python model: QModelIndex.data() returning None corrupts
            # None's reference count in PySide6 6.12 (see pyside_workarounds)
            group = self.model.data(index, GROUP_ROLE)
            if isinstance(group, Group):
                self._paint_group(painter, option, group)
            else:
                record = self.model.data(index, ANNOTATION_ROLE)
                if isinstance(record, AnnotationEntry):
                    self._paint_entry(painter, option, record)
        finally:
            painter.restore()

    def _paint_group(self, painter: QPainter, option: QStyleOptionViewItem, group: Group) -> None:
        """A section header as tall as an entry: swatch, name and count, then what it holds."""
        rect: QRect = option.rect  # type: ignore[attr-defined]
        palette: QPalette = option.palette  # type: ignore[attr-defined]
        base_font: QFont = option.font  # type: ignore[attr-defined]
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        band = rect.adjusted(0, self.PAD, 0, 0)
        painter.fillRect(band, palette.color(QPalette.ColorRole.AlternateBase))
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.drawLine(band.bottomLeft(), band.bottomRight())
        font = QFont(base_font)
        font.setBold(True)
        font.setPointSizeF(base_font.pointSizeF() * 1.15)
        fm = QFontMetrics(font)
        x = rect.left() + self.PAD
        y = band.top() + self.PAD
        if group.color:
            size = fm.height() - 4
            painter.setBrush(QColor(group.color))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawRoundedRect(QRect(x, y + 2, size, size), 3, 3)
            x += size + 8
        painter.setFont(font)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        count = f"{len(group.ids)}"
        count_w = fm.horizontalAdvance(count) + 4
        width = rect.right() - self.PAD - x
        label = fm.elidedText(group.label, Qt.TextElideMode.ElideRight, width - count_w - 8)
        painter.drawText(QRect(x, y, width - count_w, fm.height()), Qt.AlignmentFlag.AlignLeft, label)
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        painter.drawText(QRect(x, y, width, fm.height()), Qt.AlignmentFlag.AlignRight, count)
        detail = self.model.group_detail(group)
        if detail:
            small = QFont(base_font)
            sfm = QFontMetrics(small)
            painter.setFont(small)
            text_rect = QRect(x, y + fm.height() + 4, width, band.bottom() - y - fm.height() - 8)
            lines = _wrap_two_lines(detail, sfm, text_rect.width())
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, lines)

    def _paint_entry(self, painter: QPainter, option: QStyleOptionViewItem, a: AnnotationEntry) -> None:
        rect: QRect = option.rect  # type: ignore[attr-defined]
        palette: QPalette = option.palette  # type: ignore[attr-defined]
        base_font: QFont = option.font  # type: ignore[attr-defined]
        selected = bool(option.state & QStyle.StateFlag.State_Selected)  # type: ignore[attr-defined]
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if selected:
            highlight = QColor(palette.color(QPalette.ColorRole.Highlight))
            highlight.setAlpha(45)
            painter.fillRect(rect, highlight)
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 2))
            painter.drawRect(rect.adjusted(1, 1, -1, -1))
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        bar = QColor(a.tags[0].color) if a.tags else QColor("#B0BEC5")
        painter.fillRect(QRect(rect.left(), rect.top() + 2, 4, rect.height() - 4), bar)

        fm = QFontMetrics(base_font)
        line = fm.height()
        left = rect.left() + self.PAD + 4
        width = rect.width() - 2 * self.PAD - 4
        y = rect.top() + self.PAD
        text_color = palette.color(QPalette.ColorRole.Text)

        # line 1: place on the right, tag chips on the left
        small = QFont(base_font)
        small.setPointSizeF(max(6.0, base_font.pointSizeF() * 0.9))
        sfm = QFontMetrics(small)
        place = a.citation or f"p. {self.model.page_label(a.page)}"
        if a.kind in KIND_TEXT:
            place = f"{KIND_TEXT[a.kind]} \u00b7 {place}"
        place = with_badge(place, a)  # "fuzzy 0.94" / "orphan" (reviewer/ui/orphans.py)
        place_w = fm.horizontalAdvance(place) + 2
        painter.setFont(base_font)
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        painter.drawText(QRect(left + width - place_w, y, place_w, line), Qt.AlignmentFlag.AlignRight, place)
        x = left
        chips_right = left + width - place_w - 6
        painter.setFont(small)
        for tag in a.tags:
            chip_w = sfm.horizontalAdvance(tag.name) + 12
            if x + chip_w > chips_right:
                chip_w = max(0, chips_right - x)
                if chip_w < 24:
                    break
            chip = QRect(x, y + 1, chip_w, line - 2)
            color = QColor(tag.color)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color)
            painter.drawRoundedRect(chip, (line - 2) / 2, (line - 2) / 2)
            painter.setPen(readable_on(color))
            name = sfm.elidedText(tag.name, Qt.TextElideMode.ElideRight, chip_w - 10)
            painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, name)
            x += chip_w + 4
        if not a.tags:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(QRect(x, y, chips_right - x, line), Qt.AlignmentFlag.AlignLeft, "no tag")
        y += line + 2

        # line 2: the quote
        quote_font = QFont(base_font)
        quote_font.setItalic(True)
        painter.setFont(quote_font)
        painter.setPen(text_color)
        quote = a.quote if a.quote else ("(page note)" if a.kind == "note" else "(area)")
        quote = QFontMetrics(quote_font).elidedText(
            "\u201c" + " ".join(quote.split()) + "\u201d" if a.quote else quote,
            Qt.TextElideMode.ElideRight,
            width,
        )
        painter.drawText(QRect(left, y, width, line), Qt.AlignmentFlag.AlignLeft, quote)
        y += line + 2

        # line 3: the comment, its Markdown rendered on one line
        painter.setFont(base_font)
        if a.comment.strip():
            painter.setPen(text_color)
            paint_runs(painter, comment_runs(a.comment), base_font, QRect(left, y, width, line))
        else:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(QRect(left, y, width, line), Qt.AlignmentFlag.AlignLeft, "no comment")
        y += line + 2

        # line 4: author, status, date, replies
        painter.setFont(small)
        status_w = sfm.horizontalAdvance(a.status) + 10
        status_rect = QRect(left, y + 1, status_w, line - 2)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(STATUS_COLORS.get(a.status, "#546E7A")))
        painter.drawRoundedRect(status_rect, 3, 3)
        painter.setPen(QColor("#FFFFFF"))
        painter.drawText(status_rect, Qt.AlignmentFlag.AlignCenter, a.status)
        replies = a.reply_count
        meta = f"{a.author_name} \u00b7 {local_time(a.modified)}"
        if a.modified_by_name and a.modified_by_name != a.author_name:
            meta = f"{a.author_name} \u00b7 edited by {a.modified_by_name} \u00b7 {local_time(a.modified)}"
        if replies:
            meta += f" \u00b7 {replies} repl{'y' if replies == 1 else 'ies'}"
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        meta_rect = QRect(left + status_w + 6, y, width - status_w - 6, line)
        painter.drawText(
            meta_rect,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            sfm.elidedText(meta, Qt.TextElideMode.ElideRight, meta_rect.width()),
        )


class AnnotationPanel(QWidget):
    """What goes in the main window's right dock."""

    annotationActivated = Signal(str)  # an entry was clicked: scroll the page to it
    currentAnnotationChanged = Signal(str)  # "" when none
    message = Signal(str)

    # The narrowest the window gives the panel (its placeholder's width, see MainWindow).
    width_floor = 0

    def set_width_floor(self, width: int) -> None:
        self.width_floor = width
        self.updateGeometry()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        # As wide as its minimum, which the window's placeholder has before the panel arrives
        # (after the first paint): the page beside it keeps its width and zoom.
        hint = super().sizeHint()
        return QSize(self.minimumSizeHint().width() if self.width_floor else hint.width(), hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        # Never narrower than what its rows need (long labels, large text): nothing is clipped.
        hint = super().minimumSizeHint()
        return QSize(max(self.width_floor, hint.width()), hint.height())

    def __init__(
        self, review: Review, undo: UndoController | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.review = review
        self.undo = undo or UndoController(review, self)
        self.model = AnnotationModel(review, self)
        self._tag_filter: list[str] = []
        self._restoring = False

        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText("Search quotes and comments (Ctrl+Shift+F)")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setAccessibleName("Search annotations")
        self.search_box.textChanged.connect(self.apply_filter_now)

        self.tag_button = QToolButton()
        self.tag_button.setText("Tags: all")
        self.tag_button.setMinimumWidth(96)
        self.tag_button.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self.tag_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.tag_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.tag_menu = QMenu(self.tag_button)
        self.tag_button.setMenu(self.tag_menu)
        self.tag_menu.aboutToShow.connect(self._fill_tag_menu)

        self.author_combo = QComboBox()
        self.author_combo.setAccessibleName("Filter by reviewer")
        self.author_combo.activated.connect(lambda _i: self.apply_filter_now())
        self.status_combo = QComboBox()
        self.status_combo.setAccessibleName("Filter by status")
        self.status_combo.addItem("Any status", "")
        for status in STATUSES:
            self.status_combo.addItem(status.title(), status)
        self.status_combo.activated.connect(lambda _i: self.apply_filter_now())
        self.group_combo = QComboBox()
        self.group_combo.setAccessibleName("Group by")
        for group_by in GroupBy:
            self.group_combo.addItem(
                "Group: " + (group_by.label if group_by is not GroupBy.NONE else "none"), group_by
            )
        self.group_combo.activated.connect(lambda i: self.set_group_by(self.group_combo.itemData(i)))

        for combo in (self.author_combo, self.status_combo, self.group_combo):
            # as wide as the longest entry, whatever the language and text size (no clipping)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)

        self.count_label = plain_label()
        self.count_label.setStyleSheet("color: palette(placeholder-text);")

        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setUniformItemSizes(True)
        self.view.setItemDelegate(AnnotationDelegate(self.model, self.view))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setAccessibleName("Annotations")
        self.view.selectionModel().currentChanged.connect(self._current_changed)
        self.view.clicked.connect(self._clicked)
        self.view.activated.connect(self._clicked)
        self.model.modelAboutToBeReset.connect(self._remember_current)
        self.model.modelReset.connect(self._after_reset)

        self.editor = AnnotationEditor(review, self.undo)
        self.editor.message.connect(self.message)
        self.undo.changed.connect(self._on_change)

        # Two filters a row: the panel's minimum width stays near the window's placeholder's
        # with long labels (German) and large text (200%), and nothing is cut off.
        filters = QGridLayout()
        filters.setSpacing(4)
        filters.addWidget(self.tag_button, 0, 0)
        filters.addWidget(self.status_combo, 0, 1)
        filters.addWidget(self.author_combo, 1, 0)
        filters.addWidget(self.group_combo, 1, 1)
        filters.setColumnStretch(0, 1)
        filters.setColumnStretch(1, 1)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.search_box)
        top_layout.addLayout(filters)
        top_layout.addWidget(self.count_label)
        top_layout.addWidget(self.view, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(self.editor)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([520, 360])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)
        self._current_id = ""
        self._fill_author_combo()

    # document ------------------------------------------------------------------------------
    def set_document(self, document_id: str | None, page_label: Callable[[int], str] | None = None) -> None:
        self._current_id = ""
        self.model.set_document(document_id, page_label)
        self._fill_author_combo()
        self.editor.set_annotation(None)

    # filters -----------------------------------------------------------------------------
    def current_filter(self) -> PanelFilter:
        author = self.author_combo.currentData() if self.author_combo.count() else ""
        status = self.status_combo.currentData() if self.status_combo.count() else ""
        return PanelFilter(
            tags=tuple(self._tag_filter),
            authors=(author,) if author else (),
            statuses=(status,) if status else (),
            search=self.search_box.text().strip(),
        )

    def apply_filter_now(self) -> None:
        self.model.set_filter(self.current_filter())

    def set_tag_filter(self, names: Sequence[str]) -> None:
        self._tag_filter = list(names)
        self.tag_button.setText("Tags: all" if not names else "Tags: " + short(", ".join(names), 28))
        self.apply_filter_now()

    def set_author_filter(self, name: str) -> None:
        index = self.author_combo.findData(name)
        self.author_combo.setCurrentIndex(max(0, index))
        self.apply_filter_now()

    def set_status_filter(self, status: str) -> None:
        self.status_combo.setCurrentIndex(max(0, self.status_combo.findData(status)))
        self.apply_filter_now()

    def set_group_by(self, group_by: GroupBy) -> None:
        self.group_combo.setCurrentIndex(max(0, self.group_combo.findData(group_by)))
        self.model.set_group_by(group_by)

    def _fill_tag_menu(self) -> None:
        self.tag_menu.clear()
        shown = self.model.tag_counts()
        usage = self.review.tag_usage(self.model.document_id) if self.model.document_id else {}
        clear = self.tag_menu.addAction("All tags")
        clear.triggered.connect(lambda: self.set_tag_filter([]))
        self.tag_menu.addSeparator()
        for tag in self.review.tags(include_retired=False):
            label = f"{tag.name}   {shown.get(tag.id, 0)} / {usage.get(tag.id, 0)}"
            action = QAction(label.replace("&", "&&"), self.tag_menu)
            action.setCheckable(True)
            action.setChecked(tag.name in self._tag_filter)
            action.toggled.connect(lambda on, name=tag.name: self._toggle_tag_filter(name, on))
            self.tag_menu.addAction(action)

    def _toggle_tag_filter(self, name: str, on: bool) -> None:
        names = [n for n in self._tag_filter if n != name] + ([name] if on else [])
        self.set_tag_filter(names)

    def _fill_author_combo(self) -> None:
        current = self.author_combo.currentData() if self.author_combo.count() else ""
        self.author_combo.clear()
        self.author_combo.addItem("All reviewers", "")
        for name in self.model.authors():
            self.author_combo.addItem(name, name)
        self.author_combo.setCurrentIndex(max(0, self.author_combo.findData(current)))

    # selection ---------------------------------------------------------------------------
    def current_annotation_id(self) -> str:
        return self._current_id

    def select_annotation(self, annotation_id: str) -> bool:
        """Select an entry (clicking a highlight does this); False when it is filtered out."""
        indexes = self.model.indexes_of(annotation_id)
        if not indexes:
            return False
        self.view.setCurrentIndex(indexes[0])
        self.view.scrollTo(indexes[0])
        return True

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._restoring:
            return
        annotation_id = self.model.data(current, ID_ROLE) or ""
        if annotation_id == self._current_id:
            return
        self._current_id = annotation_id
        self.editor.set_annotation(
            self.review.annotation(annotation_id) if annotation_id in self.model.records else None
        )
        self.currentAnnotationChanged.emit(annotation_id)

    def _clicked(self, index: QModelIndex) -> None:
        annotation_id = self.model.data(index, ID_ROLE)
        if annotation_id:
            self.annotationActivated.emit(annotation_id)

    def _remember_current(self) -> None:
        self._restoring = True

    def _after_reset(self) -> None:
        shown = len(self.model.visible_ids)
        total = len(self.model.records)
        self.count_label.setText(
            f"{shown} annotation{'s' if shown != 1 else ''}"
            if shown == total
            else f"{shown} of {total} annotations"
        )
        indexes = self.model.indexes_of(self._current_id) if self._current_id else []
        if indexes:
            self.view.setCurrentIndex(indexes[0])
        self._restoring = False
        if self._current_id and not indexes and self._current_id not in self.model.records:
            self._current_id = ""
            self.editor.set_annotation(None)
            self.currentAnnotationChanged.emit("")

    def _on_change(self, notice: ChangeNotice) -> None:
        if notice.tag_ids:
            self.model.reload()
        elif notice.typing:
            for annotation_id in notice.annotation_ids:
                self.model.update_record(annotation_id)
        else:
            self.model.refresh_ids(notice.annotation_ids)
            if set(notice.annotation_ids) - set(self.model.records):
                pass
        if not notice.typing:
            self._fill_author_combo()

    # keyboard helpers ----------------------------------------------------------------------
    def step(self, delta: int) -> str:
        """Select the next (+1) or previous (-1) annotation in reading order (J/K)."""
        ids = self.model.ordered_ids()
        if not ids:
            return ""
        if self._current_id in ids:
            position = ids.index(self._current_id) + delta
        else:
            position = 0 if delta > 0 else len(ids) - 1
        position = max(0, min(len(ids) - 1, position))
        target = ids[position]
        self.select_annotation(target)
        return target

    def entry_rect(self, annotation_id: str) -> QRect:
        indexes = self.model.indexes_of(annotation_id)
        return self.view.visualRect(indexes[0]) if indexes else QRect()

    def tooltip_for(self, annotation_id: str) -> str:
        record = self.model.records.get(annotation_id)
        if record is None:
            return ""
        return hover_html(record)


def _wrap_two_lines(text: str, fm: QFontMetrics, width: int) -> str:
    """At most two lines of ``text`` broken at spaces, the second elided."""
    words = text.split()
    first = ""
    while words and fm.horizontalAdvance((first + " " + words[0]).strip()) <= width:
        first = (first + " " + words.pop(0)).strip()
    rest = fm.elidedText(" ".join(words), Qt.TextElideMode.ElideRight, width)
    return first + ("\n" + rest if rest else "")


def comment_runs(comment: str) -> list[Span]:
    """The comment's spans on one line (at most the first 2,000 characters are read)."""
    return line_runs(comment[:2000])


def _run_font(base: QFont, span: Span) -> QFont:
    font = QFont(base)
    font.setBold(span.bold)
    font.setItalic(span.italic)
    if span.code:
        font.setFamilies(["monospace"])
        font.setStyleHint(QFont.StyleHint.Monospace)
    return font


def paint_runs(painter: QPainter, runs: Sequence[Span], base: QFont, rect: QRect) -> None:
    """Spans left to right in their fonts, cut with an ellipsis where the rect ends."""
    x, right = rect.left(), rect.right()
    for span in runs:
        font = _run_font(base, span)
        metrics = QFontMetrics(font)
        text = span.text
        advance = metrics.horizontalAdvance(text)
        painter.setFont(font)
        if x + advance > right:
            text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(0, right - x))
            painter.drawText(QRect(x, rect.top(), right - x, rect.height()), Qt.AlignmentFlag.AlignLeft, text)
            break
        painter.drawText(QRect(x, rect.top(), advance + 1, rect.height()), Qt.AlignmentFlag.AlignLeft, text)
        x += advance
    painter.setFont(base)


def hover_html(record: AnnotationEntry) -> str:
    """What hovering an annotation shows: tags, the comment's Markdown rendered (escaped: see
    core.comment_markup), the author and who edited it last."""
    tags = html.escape(", ".join(record.tag_names) or "no tag", quote=False)
    comment = record.comment if len(record.comment) <= 600 else record.comment[:599] + "\u2026"
    body = to_html(comment) if comment.strip() else "<p><i>no comment</i></p>"
    editor = record.editor_name
    edited = f", edited by {editor}" if editor != record.author_name else ""
    byline = html.escape(f"\u2014 {record.author_name}{edited} ({record.status})", quote=False)
    return f"<qt><p>{tags}</p>{body}<p>{byline}</p></qt>"


def hover_text(record: AnnotationEntry) -> str:
    """Tags and the start of the comment (Markdown rendered as plain text), as plain text."""
    tags = ", ".join(record.tag_names) or "no tag"
    comment = short(plain_text(record.comment), 160) if record.comment else "no comment"
    editor = record.editor_name
    edited = f", edited by {editor}" if editor != record.author_name else ""
    return f"{tags}\n{comment}\n\u2014 {record.author_name}{edited} ({record.status})"
