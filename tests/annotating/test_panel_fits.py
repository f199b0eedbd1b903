"""Nothing in the annotation panel is clipped at the panel's minimum width: at 100% and 200%
text size, with the English labels and with long German ones."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QWidget

from reviewer.core.pdf import open_pdf
from reviewer.ui.main_window import PANEL_MIN_WIDTH
from reviewer.ui.panel import AnnotationPanel

GERMAN = {
    "editor.place_label": "Keine Anmerkung ausgewählt",
    "editor.quote_label": "Text markieren und H drücken oder oben einen Eintrag auswählen.",
    "editor.delete_button": "Löschen",
    "editor.replies_label": "Antworten",
    "tag_button": "Schlagwörter: alle",
}
GERMAN_STATUS = ["offen", "angenommen", "abgelehnt", "erledigt"]
GERMAN_FILTER_STATUS = ["Beliebiger Bearbeitungsstatus", "Offen", "Angenommen", "Abgelehnt", "Erledigt"]
GERMAN_GROUPS = "Gruppierung: "


def _germanize(panel: AnnotationPanel) -> None:
    for path, text in GERMAN.items():
        target = panel
        for part in path.split("."):
            target = getattr(target, part)
        target.setText(text)
    for i, text in enumerate(GERMAN_STATUS):
        panel.editor.status_combo.setItemText(i, text)
    for i, text in enumerate(GERMAN_FILTER_STATUS):
        panel.status_combo.setItemText(i, text)
    for i in range(panel.group_combo.count()):
        panel.group_combo.setItemText(i, GERMAN_GROUPS + panel.group_combo.itemText(i).split(": ")[-1])
    panel.author_combo.setItemText(0, "Alle Prüferinnen und Prüfer")


def clipped(root: QWidget) -> list[str]:
    """Visible labels, buttons and combo boxes whose text does not fit their width."""
    out = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root) or widget.width() <= 0:
            continue
        name = f"{type(widget).__name__} {widget.objectName() or ''}"
        if isinstance(widget, QLabel) and widget.text():
            if widget.wordWrap():
                if widget.heightForWidth(widget.contentsRect().width()) > widget.contentsRect().height() + 1:
                    out.append(f"{name} {widget.text()!r}: wrapped text taller than the label")
            else:
                need = max(widget.fontMetrics().horizontalAdvance(line) for line in widget.text().split("\n"))
                if need > widget.contentsRect().width():
                    out.append(f"{name} {widget.text()!r}: needs {need}, has {widget.contentsRect().width()}")
        elif isinstance(widget, QAbstractButton) and widget.text():
            if widget.sizeHint().width() > widget.width():
                out.append(
                    f"{name} {widget.text()!r}: needs {widget.sizeHint().width()}, has {widget.width()}"
                )
        elif isinstance(widget, QComboBox):
            longest = max(
                (widget.fontMetrics().horizontalAdvance(widget.itemText(i)) for i in range(widget.count())),
                default=0,
            )
            room = widget.width() - 28  # the frame and the arrow
            if longest > room:
                out.append(f"{name} {widget.currentText()!r}: needs {longest}, has {room}")
    return out


@pytest.mark.parametrize("scale", [1, 2], ids=["100%", "200%"])
@pytest.mark.parametrize("language", ["en", "de"])
def test_nothing_clipped_at_minimum_width(qtbot, review, sample_pdf, scale, language) -> None:  # type: ignore[no-untyped-def]
    pdf = open_pdf(sample_pdf)
    a = review.annotate_quote(pdf, "judicial or other independent review", comment="c", tags=["safeguard"])
    panel = AnnotationPanel(review)
    panel.set_width_floor(PANEL_MIN_WIDTH)  # as the window sets it
    qtbot.addWidget(panel)
    font = panel.font()
    font.setPointSizeF(font.pointSizeF() * scale)
    panel.setFont(font)
    panel.set_document(review.register(pdf)["id"], pdf.page_label)
    if language == "de":
        _germanize(panel)
    for selected in (None, a.id):
        if selected:
            panel.select_annotation(selected)
        panel.show()
        qtbot.waitExposed(panel)
        panel.layout().activate()
        width = panel.minimumSizeHint().width()
        assert width >= PANEL_MIN_WIDTH  # never narrower than the window's placeholder
        panel.resize(width, 900 * scale)
        qtbot.wait(20)
        panel.layout().activate()
        assert panel.width() == width
        assert clipped(panel) == [], f"at {width}px ({scale * 100}%, {language}, selected={bool(selected)})"
    pdf.close()
