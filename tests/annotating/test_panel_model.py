"""The panel's model and widgets without the main window: filters, groups, counts, plain text."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from reviewer.core.pdf import open_pdf
from reviewer.core.settings import Identity
from reviewer.ui.annotation_model import GroupBy, PanelFilter
from reviewer.ui.panel import AnnotationPanel, hover_text
from reviewer.ui.plain import plain_tooltip


@pytest.fixture
def filled(review, sample_pdf):
    pdf = open_pdf(sample_pdf)
    a = review.annotate_quote(
        pdf,
        "judicial or other independent review",
        tags=["safeguard"],
        comment="Good: review by a judge.",
    )
    b = review.annotate_quote(
        pdf,
        "competent authorities",
        occurrence=1,
        tags=["surveillance power", "vague definition"],
        comment="Who exactly?",
    )
    c = review.annotate_quote(pdf, "traffic data", occurrence=2, comment="")
    review.edit(c.id, status="accepted")
    yield pdf, review, (a, b, c)
    pdf.close()


def make_panel(qtbot, review, pdf):
    panel = AnnotationPanel(review)
    qtbot.addWidget(panel)
    panel.set_document(review.register(pdf)["id"], pdf.page_label)
    return panel


def shown_ids(panel):
    return list(panel.model.visible_ids)


def test_model_passes_qt_model_tester(qtbot, qtmodeltester, filled):
    pdf, review, _ = filled
    panel = make_panel(qtbot, review, pdf)
    qtmodeltester.check(panel.model)
    panel.set_group_by(GroupBy.TAG)
    qtmodeltester.check(panel.model)


def test_filters_by_tag_author_status_and_search(qtbot, filled):
    pdf, review, (a, b, c) = filled
    panel = make_panel(qtbot, review, pdf)
    assert shown_ids(panel) == [x.id for x in sorted((a, b, c), key=lambda x: (x.page, x.text_start))]
    panel.set_tag_filter(["safeguard"])
    assert shown_ids(panel) == [a.id]
    assert panel.count_label.text() == "1 of 3 annotations"
    panel.set_tag_filter([])
    panel.set_status_filter("accepted")
    assert shown_ids(panel) == [c.id]
    panel.set_status_filter("")
    qtbot.keyClicks(panel.search_box, "exactly")
    assert shown_ids(panel) == [b.id]
    panel.search_box.clear()
    qtbot.keyClicks(panel.search_box, "indep")  # quote words match too, by prefix
    assert shown_ids(panel) == [a.id]
    panel.search_box.clear()
    panel.set_author_filter("Ada Tester")
    assert len(shown_ids(panel)) == 3
    panel.model.set_filter(PanelFilter(authors=("Nobody",)))
    assert shown_ids(panel) == []


def test_group_by_tag_page_status_author(qtbot, filled):
    pdf, review, (a, b, c) = filled
    panel = make_panel(qtbot, review, pdf)
    panel.set_group_by(GroupBy.TAG)
    groups = {g.label: g.ids for g in panel.model.groups()}
    assert groups == {
        "surveillance power": [b.id],
        "safeguard": [a.id],
        "vague definition": [b.id],
        "No tag": [c.id],
    }
    # header rows precede their entries; b is listed under both of its tags
    texts = [panel.model.index(r, 0).data() for r in range(panel.model.rowCount())]
    assert texts[0] == "surveillance power (1)"
    assert len(panel.model.indexes_of(b.id)) == 2
    panel.set_group_by(GroupBy.STATUS)
    assert [(g.label, len(g.ids)) for g in panel.model.groups()] == [("Open", 2), ("Accepted", 1)]
    panel.set_group_by(GroupBy.PAGE)
    assert all(g.label.startswith("Page ") for g in panel.model.groups())
    panel.set_group_by(GroupBy.AUTHOR)
    assert [g.label for g in panel.model.groups()] == ["Ada Tester"]
    counts = panel.model.tag_counts()
    assert sum(counts.values()) == 3


def test_orphans_get_their_own_section(qtbot, filled):
    pdf, review, (a, b, c) = filled
    review.store.db.conn.execute("UPDATE annotations SET anchor = 'orphan' WHERE id = ?", [c.id])
    panel = make_panel(qtbot, review, pdf)
    groups = panel.model.groups()
    assert [g.label for g in groups] == ["Orphans (passage not found)"]
    assert groups[0].ids == [c.id]
    panel.set_group_by(GroupBy.TAG)
    assert panel.model.groups()[-1].ids == [c.id]


def test_strings_from_files_are_plain_text(qtbot, review, sample_pdf):
    pdf = open_pdf(sample_pdf)
    hostile = '<a href="https://evil.example">click</a> <b>bold</b> &amp;'
    annotation = review.annotate_quote(pdf, "judicial or other independent review", comment=hostile)
    review.reply(annotation.id, "<img src=x onerror=alert(1)>")
    panel = make_panel(qtbot, review, pdf)
    panel.select_annotation(annotation.id)
    editor = panel.editor
    assert editor.comment_edit.toPlainText() == hostile
    assert editor.quote_label.textFormat() == Qt.TextFormat.PlainText
    assert editor.replies_list.item(0).text().endswith("<img src=x onerror=alert(1)>")
    tooltip = plain_tooltip(hover_text(panel.model.records[annotation.id]))
    assert "<a href" not in tooltip and "&lt;a href=&quot;" not in tooltip
    assert "&lt;a href=" in tooltip and "&lt;b&gt;bold&lt;/b&gt;" in tooltip
    # the entry's text is the raw string (the delegate draws it with drawText, no markup)
    assert hostile in panel.model.index(0, 0).data()
    pdf.close()


def test_delegate_paints_entries_and_headers(qtbot, filled):
    pdf, review, _ = filled
    panel = make_panel(qtbot, review, pdf)
    panel.resize(420, 700)
    panel.show()
    qtbot.waitExposed(panel)
    panel.set_group_by(GroupBy.TAG)
    image = panel.view.viewport().grab().toImage()
    # the "surveillance power" header carries a swatch in the tag's colour
    colors = {image.pixelColor(x, y).name().upper() for x in range(0, 40) for y in range(0, 60)}
    assert "#E4572E" in colors


def test_identity_of_other_reviewers_is_shown(qtbot, review, sample_pdf, db_path):
    from reviewer.core.review import Review

    pdf = open_pdf(sample_pdf)
    other = Review.open(db_path, Identity("22222222-2222-4222-8222-222222222222", "Bruno Lima"))
    other.annotate_quote(pdf, "judicial or other independent review")
    other.close()
    panel = make_panel(qtbot, review, pdf)
    assert "Bruno Lima" in panel.model.index(0, 0).data()
    assert panel.author_combo.findData("Bruno Lima") > 0
    pdf.close()


def test_many_qt_calls_do_not_abort_the_interpreter(tmp_path):
    """PySide6 6.12 on Python 3.11 drops a reference to None on each void Qt call; the GUI
    way into the window (reviewer.ui.app) protects None when imported (without it this child
    aborts: none_dealloc)."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    script = (
        f"import sys; sys.path.insert(0, {str(root)!r})\n"
        "import reviewer.ui.app\n"
        "from PySide6.QtCore import QObject\n"
        "o = QObject()\n"
        "for _ in range(50000): o.setObjectName('x')\n"
        "print('alive')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.strip() == "alive"


def test_group_by_article_uses_the_citation(qtbot, filled):
    pdf, review, (a, b, c) = filled
    conn = review.store.db.conn
    conn.execute("UPDATE annotations SET article = 15, citation = 'Art. 15(2)(a)' WHERE id = ?", [a.id])
    conn.execute("UPDATE annotations SET article = 7, citation = 'Art. 7(1)' WHERE id = ?", [b.id])
    # Structure detection places every passage of the sample treaty; c stands for one outside.
    conn.execute(
        "UPDATE annotations SET article = NULL, paragraph = NULL, subparagraph = NULL, "
        "citation = NULL WHERE id = ?",
        [c.id],
    )
    panel = make_panel(qtbot, review, pdf)
    panel.set_group_by(GroupBy.ARTICLE)
    assert [(g.label, g.ids) for g in panel.model.groups()] == [
        ("Art. 7", [b.id]),
        ("Art. 15", [a.id]),
        ("No article", [c.id]),
    ]
    assert panel.model.index(1, 0).data().startswith("Art. 7(1) |")
