"""The annotations are laid out as many small MuPDF stories, one after another (a story walks
all of its boxes for every page it places: one story of 10,000 entries was quadratic). A
report laid out in small stories reads as the one-story layout: each entry where it would
have stood, except that one which would start in the last few lines of a page starts on the
next page."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pymupdf
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from treaty_review import ARTICLE_TITLES, REVIEWERS  # noqa: E402

from tests.conftest import corpus_file  # noqa: E402

ENTRY_LINE = re.compile(r"^#(\d+) ")
# Reviews of documents typeset by others: a 752-page GPO conference report (US legislative
# house style) and a 117-page German LaTeX book; their annotations spread over the whole text.
CORPUS_DOCUMENTS = ["us-crpt-114hrpt354-essa-conference-report.pdf", "sf-geotopo-117p-objstreams.pdf"]


@pytest.fixture(scope="module", params=["sample treaty", *CORPUS_DOCUMENTS])
def reviewed(request, treaty, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """(database, open PDF, article titles or None) of a review of the document."""
    import shutil

    from reviewer.core.pdf import open_pdf
    from reviewer.core.review import Review

    if request.param == "sample treaty":
        db, pdf, _ids = treaty
        yield db, pdf, ARTICLE_TITLES
        return
    folder = tmp_path_factory.mktemp("corpus-review")
    path = folder / request.param
    shutil.copyfile(corpus_file(request.param), path)
    pdf = open_pdf(path)
    text = pdf.flow().text
    db = folder / "review.sqlite3"
    review = Review.open(db, REVIEWERS[0])
    count = 120
    for n in range(count):
        start = text.find(" ", n * (len(text) // count)) + 1
        end = text.find(" ", start + 30 + 7 * (n % 9))
        comment = " ".join(["Vague definition, no safeguard."] * (1 + n % 6))
        review.annotate_range(pdf, start, end, comment=comment)
    review.close()
    yield db, pdf, None
    pdf.close()


def _entry_tops(path: Path) -> dict[int, tuple[int, float]]:
    """Entry number -> (page, top of its first line)."""
    tops: dict[int, tuple[int, float]] = {}
    with pymupdf.open(path) as doc:
        for page in doc:
            for block in page.get_text("blocks"):
                match = ENTRY_LINE.match(block[4])
                if match:
                    tops.setdefault(int(match.group(1)), (page.number, round(block[1], 2)))
    return tops


def _report(reviewed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, per_story: int, name: str, paper: str = "a4"):  # type: ignore[no-untyped-def]
    from reviewer.core.report import ReportOptions, build_report, html_render, pdf_layout
    from reviewer.core.review import Review

    monkeypatch.setattr(html_render, "ENTRIES_PER_STORY", per_story)
    stories: list[str] = []
    real_story = pdf_layout._story
    monkeypatch.setattr(pdf_layout, "_story", lambda html, css, archive: stories.append(html) or real_story(html, css, archive))
    db, pdf, titles = reviewed
    review = Review.open(db, REVIEWERS[0])
    try:
        out = build_report(
            review,
            pdf,
            ReportOptions(
                output=tmp_path / name, article_titles=titles, generated="2026-11-28", paper=paper
            ),
        )
    finally:
        review.close()
    return out, stories


def test_entries_stand_where_one_story_would_put_them(reviewed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    one_path, one_stories = _report(reviewed, tmp_path, monkeypatch, 10**6, "one.pdf")
    small_path, small_stories = _report(reviewed, tmp_path, monkeypatch, 4, "small.pdf")
    assert max(s.count('class="entry"') for s in small_stories) == 4  # laid out in small stories
    assert max(s.count('class="entry"') for s in one_stories) > 8  # the groups are bigger
    one, small = _entry_tops(one_path), _entry_tops(small_path)
    assert sorted(one) == sorted(small) == list(range(1, len(one) + 1))  # every entry, once
    # From one entry to the next on a page, the same distance in both (to a point: MuPDF rounds
    # line positions from where a story starts): also where a story ends and the next goes on
    # below it (after every fourth entry).
    boundaries = 0
    for number in sorted(one)[:-1]:
        after = number + 1
        if one[number][0] == one[after][0] and small[number][0] == small[after][0]:
            assert small[after][1] - small[number][1] == pytest.approx(one[after][1] - one[number][1], abs=1.5), (number, one[number], one[after], small[number], small[after])
            boundaries += number % 4 == 0
    assert boundaries >= 10
    # A page that begins with a story begins as one that a page break within a story begins.
    assert {top for _, top in small.values() if top < 80} <= {top for _, top in one.values() if top < 80}
    with pymupdf.open(one_path) as a, pymupdf.open(small_path) as b:
        assert abs(a.page_count - b.page_count) <= 1


@pytest.mark.parametrize("reviewed", ["sample treaty", CORPUS_DOCUMENTS[0]], indirect=True)  # with articles
@pytest.mark.parametrize(("paper", "per_story"), [("letter", 1), ("letter", 3), ("letter", 8), ("a4", 4)])
def test_a_group_heading_is_never_left_alone_at_the_foot_of_a_page(  # type: ignore[no-untyped-def]
    reviewed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, paper: str, per_story: int
) -> None:
    """A group (an article) starts where there is room for its heading, its count and the
    beginning of its first entry; else on the next page. (On Letter paper, with these story
    sizes, the room an entry needs left headings alone at the foot of a page.)"""
    path, stories = _report(reviewed, tmp_path, monkeypatch, per_story, f"groups-{paper}-{per_story}.pdf", paper)
    count_line = re.compile(r"^\d+ annotations?$")
    groups = 0
    with pymupdf.open(path) as doc:
        for page in doc:
            lines = [b[4].strip() for b in sorted(page.get_text("blocks"), key=lambda b: b[1])]
            for at, line in enumerate(lines):
                if count_line.match(line):
                    groups += 1
                    assert any(ENTRY_LINE.match(below) for below in lines[at + 1 :]), (page.number, line)
    assert groups > 5 and sum(s.startswith("<h2") for s in stories) > 5  # groups went on below others
