"""The outline on a Budapest-like treaty: divisions nested as the text nests them, annexes
listed, and a click brings the heading itself to the top of the view."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.structure_corpus.treaties import CORPUS
from tests.structure_corpus.typeset import typeset
from tests.view.conftest import wait_text


def _pdf(tmp_path: Path, name: str) -> Path:
    _, markup, style = next(c for c in CORPUS if c[0] == name)
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(typeset(markup, style)[0])
    return path


def _titles(item) -> list[str]:  # type: ignore[no-untyped-def]
    return [item.child(i).text(0) for i in range(item.childCount())]


def test_outline_nests_divisions_and_brings_the_heading_to_the_top(
    make_window, qtbot, tmp_path: Path
) -> None:
    window = make_window(_pdf(tmp_path, "cyber-coe"), size=(1100, 500))
    wait_text(qtbot, window)
    outline = window.outline
    qtbot.waitUntil(lambda: outline.topLevelItemCount() > 0)
    top = [outline.topLevelItem(i).text(0) for i in range(outline.topLevelItemCount())]
    assert top == ["Chapter I — Use of terms", "Chapter II — Measures to be taken at the national level"]
    chapter_two = outline.topLevelItem(1)
    assert _titles(chapter_two) == ["Section 1 — Substantive criminal law", "Section 2 — Procedural law"]
    section_one = chapter_two.child(0)
    title_one = section_one.child(0)
    assert title_one.text(0).startswith("Title 1 — Offences against the confidentiality")
    assert _titles(title_one)[:2] == ["Article 2 — Illegal access", "Article 3 — Illegal interception"]
    misuse = next(
        title_one.child(i) for i in range(title_one.childCount()) if "Misuse" in title_one.child(i).text(0)
    )
    assert misuse.text(0) == "Article 6 — Misuse of devices"
    article_27 = chapter_two.child(1).child(1)
    assert article_27.text(0) == (
        "Article 27 — Procedures pertaining to mutual assistance requests in the absence of "
        "applicable international agreements"
    )

    view = window.view
    flow = view.text_flow()
    article_15 = chapter_two.child(1).child(0)
    assert article_15.text(0) == "Article 15 — Conditions and safeguards"
    for item, heading in ((misuse, "Article 6 – Misuse of devices"), (article_15, "Article 15 – Conditions")):
        window._on_outline_item(item)
        qtbot.wait(50)
        offset = flow.text.index(heading)
        quad = flow.quads(offset, offset + 1)[0]
        rect = quad.view_rect(view.page_geometry(quad.page))
        heading_y = view.viewport_point(quad.page, rect[0], rect[1]).y()
        assert 0 <= heading_y <= 40, (heading, heading_y)  # at the top, not just its page shown


def test_outline_lists_annexes(make_window, qtbot, tmp_path: Path) -> None:
    window = make_window(_pdf(tmp_path, "space-dot"))
    wait_text(qtbot, window)
    outline = window.outline
    qtbot.waitUntil(lambda: outline.topLevelItemCount() > 0)
    top = [outline.topLevelItem(i).text(0) for i in range(outline.topLevelItemCount())]
    assert top == [
        "Part I — Registration",
        "Part II — Final clauses",
        "Annex I — Form of the notification",
        "Annex II — Technical parameters",
    ]
    assert _titles(outline.topLevelItem(0)) == [
        "Chapter 1 — National registries",
        "Chapter 2 — International register",
    ]


if __name__ == "__main__":  # pragma: no cover
    pytest.main([__file__])
