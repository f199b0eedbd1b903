"""The PDF report read back with poppler (pdftotext, pdffonts) and PyMuPDF."""

from __future__ import annotations

import re
import subprocess

import pymupdf
from report_testkit import pdftotext, squash
from treaty_review import ARTICLE_TITLES


def is_arabic(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


def readable_parts(comment: str) -> list[str]:
    """What pdftotext gives back of a comment: for Arabic, each word (poppler places neutral
    punctuation between right-to-left words by its own rules)."""
    if is_arabic(comment):
        return re.findall(r"[\u0600-\u06ff]+", comment)
    return [comment]


def entry_chunks(text: str, entries) -> list[str]:
    """The report text of each entry, found by its "#N citation" line, in report order."""
    flat = squash(text)
    starts = []
    position = 0
    for number, a in enumerate(entries, start=1):
        citation = a.citation or f"p. {a.page + 1}"
        marker = squash(f"#{number} {citation}")
        at = flat.find(marker, position)
        assert at >= 0, f"entry #{number} ({citation}) missing or out of order"
        starts.append(at)
        position = at + len(marker)
    return [flat[s : (starts[i + 1] if i + 1 < len(starts) else len(flat))] for i, s in enumerate(starts)]


def test_every_annotation_in_article_order(make_report, expected):
    assert len(expected) >= 200
    assert len({a.author_name for a in expected}) == 3
    text = pdftotext(make_report("report.pdf"))
    chunks = entry_chunks(text, expected)
    articles = [a.article if a.article is not None else -1 for a in expected]
    assert articles == sorted(articles)
    for a, chunk in zip(expected, chunks, strict=True):
        assert squash(a.quote) in chunk, a.quote
        for part in readable_parts(a.comment):
            assert squash(part) in chunk, a.comment
        assert squash(a.author_name) in chunk
        for r in a.replies:
            assert squash(r.comment) in chunk and squash(r.author_name) in chunk
    # the data holds each script, so the loop above checked them
    comments = " ".join(a.comment for a in expected)
    assert "Замечание" in comments and "意见" in comments and "ملاحظة" in comments
    flat = squash(text)
    assert squash("Замечание 16: полномочие слишком широкое.") in flat
    assert squash("意见 6：缺少司法监督。") in flat
    assert flat.count(squash("توجد رقابة قضائية")) == sum(1 for a in expected if is_arabic(a.comment))


def test_article_headings_carry_titles_in_order(make_report, expected):
    flat = squash(pdftotext(make_report("report.pdf")))
    flat = flat[flat.index(squash("Annotations Not in an article (preamble and other text)")) :]
    last = -1
    for number in sorted({a.article for a in expected if a.article is not None}):
        heading = squash(f"Article {number} — {ARTICLE_TITLES[number]}")
        at = flat.find(heading)
        assert at > last, heading
        last = at


def test_contents_page_numbers_are_where_headings_land(make_report):
    path = make_report("report.pdf")
    pages = pdftotext(path).split("\f")
    toc_index = next(
        i for i, p in enumerate(pages) if p.splitlines()[2:3] == ["Contents"] or "\nContents\n" in p
    )
    lines = [line.strip() for line in pages[toc_index].splitlines() if line.strip()]
    pairs = [(lines[i - 1], int(line)) for i, line in enumerate(lines) if line.isdigit() and i > 0]
    titles = [t for t, _ in pairs]
    assert "Summary" in titles and "Annotations" in titles
    assert "Article 12 — Conditions and safeguards" in titles
    assert len(pairs) >= 25
    for title, number in pairs:
        assert number > toc_index + 1 or title == "Summary", title
        assert squash(title) in squash(pages[number - 1]), f"{title!r} is not on page {number}"
        for earlier in range(toc_index + 1, number - 1):
            assert squash(title) not in squash(pages[earlier]), f"{title!r} lands before page {number}"
    # bookmarks agree with the printed contents
    with pymupdf.open(path) as doc:
        outline = {squash(t): p for _lv, t, p, *_ in doc.get_toc()}
    for title, number in pairs:
        assert outline[squash(title)] == number


def test_page_count_and_running_footer(make_report):
    path = make_report("report.pdf")
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    total = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    pages = pdftotext(path).split("\f")[:total]
    assert total > 20
    for n, page in enumerate(pages, start=1):
        assert f"{n} of {total}" in page
        if n > 1:
            assert page.lstrip().startswith("Review report — Convention on Cross-Border Cooperation")


def test_every_font_embedded_and_no_missing_glyphs(make_report):
    path = make_report("report.pdf")
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    header, rule, *rows = out.splitlines()
    emb = header.index("emb")
    assert rows
    assert all(row[emb : emb + 3] == "yes" for row in rows), out
    names = " ".join(rows)
    assert "DejaVu Sans" in names and ("Fallback" in names or "CJK" in names)  # Arabic: DejaVu (issue 19)
    with pymupdf.open(path) as doc:
        for page in doc:
            for span in page.get_texttrace():
                missing = [chr(c[0]) for c in span["chars"] if c[1] == 0 and not chr(c[0]).isspace()]
                assert not missing, f"page {page.number + 1}: no glyph for {missing}"


def test_cover_and_summary(make_report, expected, treaty):
    _db, pdf, _ids = treaty
    pages = pdftotext(make_report("report.pdf")).split("\f")
    cover = squash(pages[0])
    assert squash("Review report") in cover
    assert (
        squash("Convention on Cross-Border Cooperation in the Investigation of Information System Offences")
        in cover
    )
    assert pdf.info().sha256 in cover
    for name in ("José Núñez", "Zoë Ångström", "Ada Lovelace"):
        assert squash(name) in cover
    replies = sum(len(a.replies) for a in expected)
    assert squash(f"{len(expected)} annotations, {replies} replies") in cover
    summary = squash(pages[1])
    powers = sum(1 for a in expected if "surveillance power" in a.tag_names)
    assert squash(f"surveillance power {powers}") in summary
    assert squash(f"Open {sum(1 for a in expected if a.status == 'open')}") in summary
    # the flag names exactly the articles with a power and no safeguard tag
    by_article: dict[int, set[str]] = {}
    for a in expected:
        if a.article is not None:
            by_article.setdefault(a.article, set()).update(a.tag_names)
    flagged = sorted(
        n for n, tags in by_article.items() if "surveillance power" in tags and "safeguard" not in tags
    )
    assert flagged
    note = squash(pages[1]).split(squash("no safeguard tag in:"))[1]
    for n in flagged:
        assert squash(f"Article {n} — {ARTICLE_TITLES[n]}") in note
    for n in set(by_article) - set(flagged):
        assert squash(f"Article {n} — {ARTICLE_TITLES[n]};") not in note


def marker_numbers(page: pymupdf.Page) -> set[int]:
    """Numbers drawn in the small marker boxes (white 6 pt digits), split where glyphs part."""
    found: set[int] = set()
    for block in page.get_text("rawdict")["blocks"]:
        for line in block.get("lines", ()):
            for span in line["spans"]:
                if round(span["size"]) != 6:
                    continue
                digits, last_x1 = "", None
                for ch in span["chars"]:
                    if last_x1 is not None and ch["bbox"][0] - last_x1 > 2 and digits:
                        found.add(int(digits))
                        digits = ""
                    if ch["c"].isdigit():
                        digits += ch["c"]
                    last_x1 = ch["bbox"][2]
                if digits:
                    found.add(int(digits))
    return found


def test_appendix_pages_show_highlights_and_numbers(make_report, expected):
    plain = make_report("report.pdf")
    with_pages = make_report("pages.pdf", with_pages=True)
    annotated = sorted({p for a in expected for p in a.pages})
    with pymupdf.open(plain) as a, pymupdf.open(with_pages) as b:
        assert b.page_count == a.page_count + len(annotated)
        numbers = {a.id: n for n, a in enumerate(expected, start=1)}
        for i, page_index in enumerate(annotated):
            page = b[a.page_count + i]
            assert page.get_images(), "no page image"
            text = page.get_text()
            assert f"Page {page_index + 1}" in text
            markers = marker_numbers(page)
            quads = 0
            for ann in expected:
                on_page = [q for q in ann.quads if q.page == page_index]
                if on_page:
                    quads += len(on_page)
                    assert f"#{numbers[ann.id]}" in text  # caption
                    assert numbers[ann.id] in markers, f"marker {numbers[ann.id]}"
            translucent = [
                d for d in page.get_drawings() if d.get("fill") and (d.get("fill_opacity") or 1) < 1
            ]
            assert len(translucent) == quads
