"""Pairs of versions of a treaty, laid out in several house styles, with every edit known.

Each paragraph has an id. ``EDITS`` turn v1 into v2 the way negotiators do: a paragraph
deleted beside a near-identical one that survives (the "228 days" / "287 days" case), one
word changed in a number, a date, a negation, a modal verb, "and"/"or" or a defined term, a
light rewording, an inserted article that renumbers the rest, an article moved to another
chapter. The expected fate of every annotated passage comes from this model, not from the
code under test.

The styles differ in what the text extraction sees: a UN-like layout (MuPDF Story, A4,
serif, "ARTICLE 5" headings, ligatures), an EU-like one (Letter, sans, "Article 5"), and a
typewriter one set line by line by hand with hyphenated line ends (Courier).
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass, field, replace
from pathlib import Path

import pymupdf


@dataclass(frozen=True)
class Para:
    pid: str
    text: str


@dataclass(frozen=True)
class Art:
    aid: str
    title: str
    paragraphs: tuple[Para, ...]


@dataclass(frozen=True)
class Chap:
    title: str
    articles: tuple[Art, ...]


@dataclass(frozen=True)
class Doc:
    title: str
    chapters: tuple[Chap, ...]

    def numbered(self) -> list[tuple[int, Art]]:
        out, n = [], 0
        for chapter in self.chapters:
            for article in chapter.articles:
                n += 1
                out.append((n, article))
        return out

    def citation(self, pid: str) -> str | None:
        for number, article in self.numbered():
            for index, paragraph in enumerate(article.paragraphs, start=1):
                if paragraph.pid == pid:
                    single = len(article.paragraphs) == 1
                    return f"Art. {number}" if single else f"Art. {number}({index})"
        return None

    def paragraph(self, pid: str) -> Para | None:
        for _, article in self.numbered():
            for paragraph in article.paragraphs:
                if paragraph.pid == pid:
                    return paragraph
        return None


def A(aid: str, title: str, *texts: str) -> Art:
    return Art(aid, title, tuple(Para(f"{aid}.{i}", t) for i, t in enumerate(texts, start=1)))


V1 = Doc(
    "Convention on the Exchange of Evidence between Maritime Authorities",
    (
        Chap(
            "General provisions",
            (
                A(
                    "purpose",
                    "Purpose",
                    "The purpose of this Convention is to strengthen cooperation between the "
                    "maritime authorities of the Parties in the prevention and investigation of "
                    "offences committed at sea.",
                ),
                A(
                    "terms",
                    "Use of terms",
                    "For the purposes of this Convention, \u201ccompetent authority\u201d means any "
                    "authority designated by a Party to send or receive requests under this Convention.",
                    "\u201cVessel\u201d means any ship or other craft used or capable of being used as a "
                    "means of transportation on water.",
                ),
                A(
                    "scope",
                    "Scope",
                    "This Convention shall apply to offences committed on board vessels flying the "
                    "flag of a Party or registered in its ports.",
                    "This Convention shall not apply to warships and other government ships operated "
                    "only for public service.",
                ),
            ),
        ),
        Chap(
            "Cooperation",
            (
                A(
                    "safeguards",
                    "Procedural safeguards",
                    "Each Party shall adopt, with respect to safeguards and within 228 days, "
                    "appropriate procedures for the review of requests by an independent authority.",
                    "Each Party shall adopt, with respect to safeguards and within 287 days, such "
                    "legislative and other measures as may be necessary to protect persons affected "
                    "by requests.",
                ),
                A(
                    "requests",
                    "Requests for assistance",
                    "A request shall be made in writing by the competent authority of the requesting "
                    "Party and shall state the facts on which it is based.",
                    "The requested Party shall not disclose the request or its contents without the "
                    "consent of the requesting Party.",
                    "The requested Party shall reply within 30 days of receiving the request and shall "
                    "give reasons for any refusal.",
                ),
                A(
                    "evidence",
                    "Transfer of evidence",
                    "Evidence shall be transferred to the requesting Party together with a record of "
                    "the chain of custody and the identity of each person who handled it.",
                    "The requesting Party may use the evidence for investigations and prosecutions "
                    "relating to the offences described in the request.",
                ),
                A(
                    "costs",
                    "Costs",
                    "The ordinary costs of executing a request shall be borne by the requested Party, "
                    "unless the Parties concerned agree otherwise.",
                ),
                A(
                    "liaison",
                    "Liaison officers",
                    "Each Party may post liaison officers to the ports of another Party with the "
                    "agreement of that Party.",
                ),
            ),
        ),
        Chap(
            "Final provisions",
            (
                A(
                    "review",
                    "Review",
                    "The Parties shall meet at least every four years to review the implementation "
                    "of this Convention and shall afford one another the widest measure of support.",
                ),
                A(
                    "entry",
                    "Entry into force",
                    "This Convention shall enter into force on 1 January 2027 for the Parties that "
                    "have deposited their instruments of ratification.",
                    "For each other Party, it shall enter into force on the ninetieth day after the "
                    "deposit of its instrument.",
                ),
                A(
                    "languages",
                    "Languages",
                    "This Convention is done in a single original in the English and French "
                    "languages, both texts being equally authentic.",
                ),
            ),
        ),
    ),
)

# (paragraph id, old words, new words, kind): kind "material" must come out "changed" with
# the old words in a "-" run and the new words in a "+" run; "light" comes out "fuzzy".
REPLACEMENTS = (
    ("requests.3", "within 30 days", "within 60 days", "material"),  # a number
    ("entry.1", "1 January 2027", "1 July 2027", "material"),  # a date
    ("requests.2", "shall not disclose", "shall disclose", "material"),  # a negation
    ("scope.2", "shall not apply", "shall never apply", "material"),  # another negation
    ("evidence.1", "Evidence shall be transferred", "Evidence may be transferred", "material"),  # modal
    ("evidence.2", "investigations and prosecutions", "investigations or prosecutions", "material"),
    ("requests.1", "by the competent authority", "by the central authority", "material"),  # defined term
    ("review.1", "at least every four years", "at least every five years", "material"),  # a number
    ("review.1", "the widest measure of support", "the widest possible measure of support", "light"),
    ("costs.1", "The ordinary costs of executing", "The usual costs of executing", "light"),
)
DELETED = ("safeguards.1",)  # the 228-days paragraph; its 287-days twin survives
INSERTED = A(
    "boarding",
    "Boarding of vessels",
    "A Party that has reasonable grounds to suspect that a vessel is engaged in an offence may "
    "request the flag State to confirm its registry and authorise boarding.",
)
INSERT_AT = (0, 1)  # chapter 0, before its second article: every later article is renumbered
MOVED = ("liaison", 2)  # the article on liaison officers moves to the end of the last chapter


def make_v2(v1: Doc) -> Doc:
    def edit(paragraph: Para) -> Para:
        text = paragraph.text
        for pid, old, new, _ in REPLACEMENTS:
            if pid == paragraph.pid:
                assert old in text, old
                text = text.replace(old, new)
        return replace(paragraph, text=text)

    chapters = [list(c.articles) for c in v1.chapters]
    moved_id, to_chapter = MOVED
    moved = next(a for c in chapters for a in c if a.aid == moved_id)
    chapters = [[a for a in c if a.aid != moved_id] for c in chapters]
    chapters[to_chapter].append(moved)
    chapters[INSERT_AT[0]].insert(INSERT_AT[1], INSERTED)
    out = []
    for chapter, articles in zip(v1.chapters, chapters, strict=True):
        new_articles = []
        for article in articles:
            kept = tuple(edit(p) for p in article.paragraphs if p.pid not in DELETED)
            new_articles.append(replace(article, paragraphs=kept))
        out.append(replace(chapter, articles=tuple(new_articles)))
    return replace(v1, chapters=tuple(out))


# --- house styles --------------------------------------------------------------------------
def _story_pdf(doc: Doc, path: Path, *, css: str, upper: bool, paper: str, ligatures: bool) -> None:
    parts = [f"<h1>{html.escape(doc.title)}</h1>"]
    roman = ["", "I", "II", "III", "IV", "V"]
    for ci, chapter in enumerate(doc.chapters, start=1):
        parts.append(f"<h2>{'CHAPTER' if upper else 'Chapter'} {roman[ci]}</h2>")
        parts.append(f'<p class="ct">{html.escape(chapter.title)}</p>')
        number = sum(len(c.articles) for c in doc.chapters[: ci - 1])
        for article in chapter.articles:
            number += 1
            parts.append(f"<h3>{'ARTICLE' if upper else 'Article'} {number}</h3>")
            parts.append(f'<p class="at">{html.escape(article.title)}</p>')
            single = len(article.paragraphs) == 1
            for pi, paragraph in enumerate(article.paragraphs, start=1):
                text = html.escape(paragraph.text, quote=False)
                if ligatures:
                    text = text.replace("ffi", "\ufb03").replace("fi", "\ufb01")
                lead = "" if single else f"{pi}.&#160;"
                parts.append(f"<p>{lead}{text}</p>")
    story = pymupdf.Story(html="\n".join(parts), user_css=css)
    rect = pymupdf.paper_rect(paper)
    buffer = io.BytesIO()
    writer = pymupdf.DocumentWriter(buffer)
    more = 1
    while more:
        device = writer.begin_page(rect)
        more, _ = story.place(rect + (80, 90, -80, -90))
        story.draw(device)
        writer.end_page()
    writer.close()
    pdf = pymupdf.open("pdf", buffer.getvalue())
    for page in pdf.pages():
        page.insert_text((80, 50), doc.title[:60], fontname="helv", fontsize=8)
        page.insert_text(
            (page.rect.width / 2 - 10, page.rect.height - 40), f"- {page.number + 1} -", fontsize=8
        )
    pdf.save(path)
    pdf.close()


UN_CSS = """
* { font-family: serif; font-size: 12pt; line-height: 1.3; }
h1 { font-size: 14pt; text-align: center; }
h2 { font-size: 12pt; text-align: center; margin-top: 14pt; }
h3 { font-size: 12pt; text-align: center; margin-top: 10pt; margin-bottom: 0; }
p.ct, p.at { text-align: center; font-weight: bold; margin-top: 2pt; }
p { text-align: justify; margin-top: 0; margin-bottom: 6pt; }
"""
EU_CSS = """
* { font-family: sans-serif; font-size: 9.5pt; line-height: 1.2; }
h1 { font-size: 12pt; }
h2 { font-size: 10pt; margin-top: 10pt; }
h3 { font-size: 9.5pt; font-style: italic; margin-top: 8pt; margin-bottom: 0; }
p.ct, p.at { font-weight: bold; margin-top: 1pt; }
p { text-align: left; margin-top: 0; margin-bottom: 4pt; }
"""


def _typewriter_pdf(doc: Doc, path: Path) -> None:
    """Line by line in Courier, long words hyphenated at line ends, Letter paper."""
    pdf = pymupdf.open()
    size, leading, left, width_chars = 10.0, 13.0, 72.0, 64
    page = None
    y = 0.0

    def line(text: str, indent: int = 0) -> None:
        nonlocal page, y
        if page is None or y > 720:
            page = pdf.new_page(width=612, height=792)
            page.insert_text((72, 40), "CONFIDENTIAL - NEGOTIATING TEXT", fontname="cour", fontsize=8)
            y = 80.0
        page.insert_text((left + indent * 6.0, y), text, fontname="cour", fontsize=size)
        y += leading

    def wrap(text: str, indent: int = 0) -> None:
        words = text.replace("\u201c", '"').replace("\u201d", '"').split()  # a typewriter's quotes
        current = ""
        limit = width_chars - indent
        for word in words:
            candidate = f"{current} {word}".strip()
            if len(candidate) <= limit:
                current = candidate
                continue
            room = limit - len(current) - 2
            if len(word) >= 9 and word.isalpha() and room >= 4:
                cut = min(room, len(word) - 3)
                line(f"{current} {word[:cut]}-", indent)
                current = word[cut:]
            else:
                line(current, indent)
                current = word
        if current:
            line(current, indent)
        nonlocal_y_gap()

    def nonlocal_y_gap() -> None:
        nonlocal y
        y += leading / 2

    wrap(doc.title.upper())
    number = 0
    roman = ["", "I", "II", "III", "IV", "V"]
    for ci, chapter in enumerate(doc.chapters, start=1):
        line(f"Chapter {roman[ci]}")
        wrap(chapter.title)
        for article in chapter.articles:
            number += 1
            line(f"Article {number}")
            wrap(article.title)
            single = len(article.paragraphs) == 1
            for pi, paragraph in enumerate(article.paragraphs, start=1):
                wrap(paragraph.text if single else f"{pi}. {paragraph.text}")
    pdf.save(path)
    pdf.close()


STYLES = {
    "un-a4-serif": lambda d, p: _story_pdf(d, p, css=UN_CSS, upper=True, paper="a4", ligatures=True),
    "eu-letter-sans": lambda d, p: _story_pdf(d, p, css=EU_CSS, upper=False, paper="letter", ligatures=False),
    "typewriter-hyphenated": _typewriter_pdf,
}


# --- what should become of each annotated passage ----------------------------------------------
@dataclass
class Expected:
    quote: str  # as annotated on v1
    pid: str
    fate: str  # exact | changed | fuzzy | orphan
    v2_quote: str | None = None
    v2_citation: str | None = None
    removed: list[str] = field(default_factory=list)  # words a "-" run must hold
    added: list[str] = field(default_factory=list)


def _core(old: str, new: str) -> tuple[int, int, str, str]:
    """The changed middle of a replacement: offsets in ``old`` and the two differing parts."""
    i = 0
    while i < min(len(old), len(new)) and old[i] == new[i]:
        i += 1
    j = 0
    while j < min(len(old), len(new)) - i and old[-1 - j] == new[-1 - j]:
        j += 1
    # whole words
    while 0 < i < len(old) and old[i - 1].isalnum() and old[i].isalnum():
        i -= 1
    while 0 < j < len(old) and old[len(old) - j - 1].isalnum() and old[len(old) - j].isalnum():
        j -= 1
    return i, len(old) - j, old[i : len(old) - j], new[i : len(new) - j]


def expectations(v1: Doc, v2: Doc) -> list[Expected]:
    """The whole of every paragraph and an 8-word window from it, with their fates."""
    out: list[Expected] = []
    texts = [p.text for _, a in v1.numbered() for p in a.paragraphs]

    def unique(candidate: str) -> bool:
        return sum(t.count(candidate) for t in texts) == 1

    for _, article in v1.numbered():
        for paragraph in article.paragraphs:
            words = paragraph.text.split()
            windows = [paragraph.text]
            if len(words) > 12:
                starts = [b for b in range(2, len(words) - 8) if unique(" ".join(words[b : b + 8]))]
                for begin in dict.fromkeys((starts[0], starts[-1])) if starts else ():
                    windows.append(" ".join(words[begin : begin + 8]))
            for window in windows:
                out.append(_expected(v1, v2, paragraph, window))
    return out


def _expected(v1: Doc, v2: Doc, paragraph: Para, window: str) -> Expected:
    if paragraph.pid in DELETED:
        return Expected(window, paragraph.pid, "orphan")
    new_paragraph = v2.paragraph(paragraph.pid)
    assert new_paragraph is not None
    citation = v2.citation(paragraph.pid)
    text = paragraph.text
    w0 = text.index(window)
    w1 = w0 + len(window)
    fate, removed, added = "exact", [], []
    for pid, old, new, kind in REPLACEMENTS:
        if pid != paragraph.pid:
            continue
        at = text.index(old)
        c0, c1, gone, came = _core(old, new)
        c0, c1 = at + c0, at + c1
        touches = (w0 < c1 and c0 < w1) if c1 > c0 else (w0 < c0 < w1)
        text = text[:c0] + came + text[c1:]
        delta = len(came) - (c1 - c0)
        if not touches:
            if w0 >= c1:
                w0, w1 = w0 + delta, w1 + delta
            continue
        w1 += delta
        if kind == "material":
            fate = "changed"
        elif fate == "exact":
            fate = "fuzzy"
        removed += gone.split()
        added += came.split()
    return Expected(window, paragraph.pid, fate, text[w0:w1].strip(), citation, removed, added)
