"""Typeset the corpus treaties (``treaties.py``) in several house styles with PyMuPDF.

Each treaty is written in a small line markup (one unit a line, see ``treaties.py``); the
typesetter numbers the units as the style writes them ("1.", "(1)", a bare "1" and a gap;
"(a)", "a)", "a.", a bare "a"; "(i)", "i)", "i."), justifies the running text word by word,
sets headings as the style does (centred, "Article N – Title" on one row, "ARTICLE IV"),
in one column or two, with running headers and page numbers, and records what a reader
expects: the articles with their numbers and titles, and passages with their citations.

    python -m tests.structure_corpus.typeset OUT_DIR     # writes every treaty as PDF
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pymupdf

ROMANS = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv"]
UPPER_ROMANS = [r.upper() for r in ROMANS]
# The base-14 fonts have no en dash: the Council of Europe styles use DejaVu (.ci/run installs
# fonts-dejavu-core), falling back to Helvetica where it is missing.
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {"dvs": "DejaVuSans.ttf", "dvsb": "DejaVuSans-Bold.ttf", "dvsi": "DejaVuSans-Oblique.ttf"}
FALLBACK = {"dvs": "helv", "dvsb": "hebo", "dvsi": "heit"}
_FONTS: dict[str, pymupdf.Font] = {}


def font_of(name: str) -> pymupdf.Font:
    font = _FONTS.get(name)
    if font is None:
        path = DEJAVU / FONT_FILES[name] if name in FONT_FILES else None
        if path is not None and path.exists():
            font = pymupdf.Font(fontfile=str(path))
        else:
            font = pymupdf.Font(FALLBACK.get(name, name))
        _FONTS[name] = font
    return font


def text_length(text: str, name: str, size: float) -> float:
    return float(font_of(name).text_length(text, fontsize=size))


@dataclass(frozen=True)
class Style:
    name: str
    font: str = "tiro"
    bold: str = "tibo"
    italic: str = "tiit"
    size: float = 10.5
    leading: float = 13.5
    columns: int = 1
    margin: float = 72
    gutter: float = 18
    # Article headings: "centred" (number, then the title centred below), "dash" ("Article 5 –
    # Title" on one row at the left), "dot" ("Article 5. Title"), "colon", "upper" (centred
    # "ARTICLE V" with an upper-case title below), "bare" (centred number, no title).
    heading: str = "centred"
    title_width: float = 0.0  # narrower than the column makes long titles wrap (centred)
    para: str = "{}."  # "{}." "{})" "({})" or "{}" (bare, followed by a gap)
    letter: str = "({})"
    item: str = "({})"
    further: str = "upper"  # "upper" (A), (B) or "double" (aa), (bb)
    para_hanging: bool = False  # continuation rows of a paragraph at its text's indent
    para_text: float = 0.0  # where a paragraph's text starts, from the column's edge
    letter_marker: float = 18.0
    letter_text: float = 40.0
    step: float = 22.0  # each further level indents by this much
    hanging_lists: bool = True  # False: a letter's or item's later rows start at the margin
    lists_wrap_to_marker: bool = False  # a letter's later rows start under its marker
    story: bool = False  # laid out by MuPDF's Story from HTML (margins, text-indent)
    header: str = ""  # running header
    division_case: str = "title"  # "upper" writes CHAPTER I
    roman_articles: bool = False


@dataclass
class Passage:
    quote: str
    citation: str
    item: bool = False


@dataclass
class Expected:
    articles: list[tuple[str, str]] = field(default_factory=list)  # (label, title)
    annexes: list[str] = field(default_factory=list)
    divisions: list[tuple[int, str, str]] = field(default_factory=list)  # depth, name, title
    passages: list[Passage] = field(default_factory=list)


def roman(n: int) -> str:
    return UPPER_ROMANS[n - 1]


class Typesetter:
    def __init__(self, style: Style) -> None:
        self.style = style
        self.doc = pymupdf.open()
        self.width, self.height = 595.0, 842.0
        self.page: pymupdf.Page | None = None
        self.column = 0
        self.y = 0.0
        self.page_number = 0
        self.writers: list[pymupdf.TextWriter] = []  # one a page: one content stream each

    # geometry -------------------------------------------------------------------------------
    @property
    def col_width(self) -> float:
        s = self.style
        full = self.width - 2 * s.margin
        return full if s.columns == 1 else (full - s.gutter) / 2

    @property
    def col_left(self) -> float:
        s = self.style
        return s.margin + self.column * (self.col_width + s.gutter)

    def new_page(self) -> None:
        self.page = self.doc.new_page(width=self.width, height=self.height)
        self.page_number += 1
        self.writers.append(pymupdf.TextWriter(self.page.rect))
        self.column = 0
        self.y = 90.0
        s = self.style
        if s.header:
            self.put_at(s.margin, 50, s.header, 8)
        label = str(self.page_number)
        w = self.length(label, size=9)
        self.put_at((self.width - w) / 2, self.height - 40, label, 9)

    def put_at(self, x: float, y: float, text: str, size: float) -> None:
        self.writers[-1].append((x, y), text, font=font_of(self.style.font), fontsize=size)

    def finish(self) -> bytes:
        for page, writer in zip(self.doc, self.writers, strict=True):
            writer.write_text(page)
        return bytes(self.doc.tobytes(garbage=3, deflate=True))

    def need(self, height: float) -> None:
        if self.page is None:
            self.new_page()
            return
        if self.y + height > self.height - 80:
            if self.style.columns == 2 and self.column == 0:
                self.column = 1
                self.y = 90.0
            else:
                self.new_page()

    def length(self, text: str, font: str | None = None, size: float | None = None) -> float:
        return text_length(text, font or self.style.font, size or self.style.size)

    def put(self, x: float, text: str, font: str | None = None, size: float | None = None) -> None:
        self.writers[-1].append(
            (x, self.y + self.style.size),
            text,
            font=font_of(font or self.style.font),
            fontsize=size or self.style.size,
        )

    # primitives -----------------------------------------------------------------------------
    def gap(self, amount: float) -> None:
        self.y += amount

    def centred(self, text: str, font: str | None = None, width: float | None = None) -> None:
        """Centred rows; wraps inside ``width`` (the column's by default)."""
        width = width or self.col_width
        for row in self._wrap(text.split(), width, width, font):
            self.need(self.style.leading)
            w = self.length(" ".join(row), font)
            self.put(self.col_left + (self.col_width - w) / 2, " ".join(row), font)
            self.y += self.style.leading

    def left(self, text: str, font: str | None = None, indent: float = 0.0) -> None:
        self.need(self.style.leading)
        self.put(self.col_left + indent, text, font)
        self.y += self.style.leading

    def _wrap(self, words: list[str], first: float, rest: float, font: str | None = None) -> list[list[str]]:
        rows: list[list[str]] = []
        row: list[str] = []
        limit = first
        for word in words:
            forced = word.startswith("^^")
            word = word[2:] if forced else word
            trial = " ".join([*row, word])
            if row and (forced or self.length(trial, font) > limit):
                rows.append(row)
                row = []
                limit = rest
            row.append(word)
        if row:
            rows.append(row)
        return rows

    def block(
        self,
        markers: list[tuple[float, str]],
        text: str,
        text_x: float,
        cont_x: float,
        *,
        font: str | None = None,
    ) -> None:
        """Markers at their x, then ``text`` justified from ``text_x`` (later rows ``cont_x``)."""
        right = self.col_width
        rows = self._wrap(text.split(), right - text_x, right - cont_x, font)
        for n, row in enumerate(rows):
            self.need(self.style.leading)
            x = text_x if n == 0 else cont_x
            if n == 0:
                for mx, marker in markers:
                    self.put(self.col_left + mx, marker, font)
            last = n == len(rows) - 1
            widths = [self.length(w, font) for w in row]
            space = self.length(" ", font)
            if not last and len(row) > 1:
                space = (right - x - sum(widths)) / (len(row) - 1)
            pos = self.col_left + x
            for word, w in zip(row, widths, strict=True):
                self.put(pos, word, font)
                pos += w + space
            self.y += self.style.leading


class StoryTypesetter(Typesetter):
    """The same calls laid out by MuPDF's Story from HTML and CSS, as many treaty PDFs are
    made (by word processors and HTML converters): margins and text-indent instead of
    placed words, MuPDF's own line breaking and justification."""

    def __init__(self, style: Style) -> None:
        super().__init__(style)
        self.parts: list[str] = []
        self.pending_gap = 0.0

    def need(self, height: float) -> None:
        pass

    def gap(self, amount: float) -> None:
        self.pending_gap += amount

    def _p(self, text: str, css: str, font: str | None = None) -> None:
        import html

        weight = "font-weight:bold;" if font == self.style.bold else ""
        italic = "font-style:italic;" if font == self.style.italic else ""
        self.parts.append(
            f'<p style="margin-top:{self.pending_gap:.0f}pt;{css}{weight}{italic}">{html.escape(text)}</p>'
        )
        self.pending_gap = 0.0

    def centred(self, text: str, font: str | None = None, width: float | None = None) -> None:
        side = (self.col_width - width) / 2 if width else 0
        self._p(text, f"text-align:center;margin-left:{side:.0f}pt;margin-right:{side:.0f}pt;", font)

    def left(self, text: str, font: str | None = None, indent: float = 0.0) -> None:
        self._p(text, f"text-align:left;margin-left:{indent:.0f}pt;", font)

    def block(
        self,
        markers: list[tuple[float, str]],
        text: str,
        text_x: float,
        cont_x: float,
        *,
        font: str | None = None,
    ) -> None:
        import html

        words = " ".join(w[2:] if w.startswith("^^") else w for w in text.split())
        first_x = markers[0][0] if markers else text_x
        # a marker, then non-breaking spaces up to about where the text starts
        lead = ""
        for n, (x, marker) in enumerate(markers):
            nxt = markers[n + 1][0] if n + 1 < len(markers) else text_x
            spaces = max(1, round((nxt - x - self.length(marker)) / self.length(" ")))
            lead += html.escape(marker) + "&#160;" * spaces
        weight = "font-weight:bold;" if font == self.style.bold else ""
        self.parts.append(
            f'<p style="margin-top:{self.pending_gap:.0f}pt;text-align:justify;margin-left:{cont_x:.0f}pt;'
            f'text-indent:{first_x - cont_x:.0f}pt;{weight}">{lead}{html.escape(words)}</p>'
        )
        self.pending_gap = 0.0

    def finish(self) -> bytes:
        import io

        s = self.style
        family = "sans-serif" if s.font in ("dvs", "helv") else "serif"
        css = f"body {{ font-family: {family}; font-size: {s.size}pt; }} p {{ margin: 0; }}"
        story = pymupdf.Story(html="\n".join(self.parts), user_css=css)
        rect = pymupdf.paper_rect("a4")
        content = rect + (s.margin, 90, -s.margin, -80)
        buffer = io.BytesIO()
        writer = pymupdf.DocumentWriter(buffer)
        more = 1
        while more:
            device = writer.begin_page(rect)
            more, _ = story.place(content)
            story.draw(device)
            writer.end_page()
        writer.close()
        doc = pymupdf.open("pdf", buffer.getvalue())
        for number, page in enumerate(doc, start=1):
            if s.header:
                page.insert_text((s.margin, 50), s.header, fontname="helv", fontsize=8)
            page.insert_text((rect.width / 2 - 4, rect.height - 40), str(number), fontname="helv", fontsize=9)
        return bytes(doc.tobytes(garbage=3, deflate=True))


# --- the markup ----------------------------------------------------------------------------
LINE_RE = re.compile(r"^(?P<tag>[A-Z]+)\s?(?P<body>.*)$")


def typeset(markup: str, style: Style) -> tuple[bytes, Expected]:
    """The PDF of one treaty in one style, and what a reader expects of it."""
    s = style
    ts = StoryTypesetter(s) if s.story else Typesetter(s)
    expected = Expected()
    article = ""  # citation prefix: "Art. 5", "Annex I, para."
    in_annex = False
    para = 0
    letter = 0
    item = 0
    further = 0
    seen_division_kinds: list[str] = []

    def letter_label(n: int) -> str:
        return chr(ord("a") + n - 1) if n <= 26 else chr(ord("a") + n - 27) * 2

    def further_label(n: int) -> str:
        return chr(ord("A") + n - 1) if s.further == "upper" else chr(ord("a") + n - 1) * 2

    def cite(levels: int) -> str:
        if not article:
            return ""
        if in_annex:
            base = article
            if para and levels >= 1:
                base += f", para. {para}"
            parts = []
        else:
            base = article
            parts = [str(para)] if para and levels >= 1 else []
        if levels >= 2 and letter:
            parts.append(letter_label(letter))
        if levels >= 3 and item:
            parts.append(ROMANS[item - 1])
        if levels >= 4 and further:
            parts.append(further_label(further))
        return base + "".join(f"({p})" for p in parts)

    unit_texts: list[str] = []

    def add_passages(text: str, citation: str, is_item: bool = False) -> None:
        words = [w.lstrip("^") for w in text.split()]
        unit_texts.append(" ".join(words))
        if not citation or len(words) < 5:
            return
        # two quotes: the unit's opening words and its closing words
        for window in (words[1:7], words[-6:]):
            expected.passages.append(Passage(" ".join(window), citation, is_item))

    def marker(fmt: str, label: str) -> str:
        return fmt.format(label)

    def para_x() -> tuple[float, float, float]:
        """paragraph marker x, text x, continuation x"""
        mark_w = ts.length(marker(s.para, "10")) + 6
        text_x = max(s.para_text, mark_w) if s.para_text or s.para == "{}" else 0.0
        cont = text_x if s.para_hanging else 0.0
        return 0.0, text_x, cont

    def level_x(depth: int) -> tuple[float, float]:
        m = s.letter_marker + s.step * (depth - 2)
        return m, s.letter_text + s.step * (depth - 2)

    lines: list[str] = []
    for ln in markup.strip().splitlines():
        if ln.strip().startswith("^^"):  # a continuation: this word wraps to a row start
            lines[-1] += " " + ln.strip()
        elif ln.strip():
            lines.append(ln.strip())
    for raw in lines:
        m = LINE_RE.match(raw)
        assert m, raw
        tag, body = m.group("tag"), m.group("body").strip()
        if tag == "NAME":
            unit_texts.append(body)
            ts.need(40)
            ts.gap(10)
            ts.centred(body.upper() if s.division_case == "upper" else body, s.bold)
            ts.gap(12)
        elif tag == "PREAMBLE":
            ts.centred("Preamble" if s.division_case != "upper" else "PREAMBLE", s.bold)
            ts.gap(4)
        elif tag == "PRE":
            ts.block([], body, 20.0, 0.0)
            ts.gap(4)
            if not expected.articles and ("PREAMBLE" in markup or "agreed as follows" in markup):
                add_passages(body, "Preamble")
        elif tag == "DIV":
            kind, label, title = (part.strip() for part in body.split("|"))
            if kind not in seen_division_kinds:
                seen_division_kinds.append(kind)
            depth = seen_division_kinds.index(kind)
            word = kind.upper() if s.division_case == "upper" else kind.title()
            ts.need(60)
            ts.gap(10)
            if s.heading in ("dash", "colon", "dot") and depth > 0:
                _long_heading(ts, f"{word} {label} \u2013 {title}")
            else:
                ts.centred(f"{word} {label}", s.bold)
                ts.centred(title, s.bold)
            ts.gap(6)
            expected.divisions.append((depth, f"{kind.title()} {label}", title))
            article = ""
        elif tag in ("ART", "ANNEX"):
            label, _, title = body.partition("|")
            label, title = label.strip(), title.strip()
            para = letter = item = further = 0
            ts.need(70)
            ts.gap(8)
            if tag == "ANNEX":
                in_annex = True
                article = f"Annex {label}".strip()
                expected.annexes.append(article)
                ts.centred(article.upper() if s.division_case == "upper" else article, s.bold)
                if title:
                    ts.centred(title, s.bold)
                ts.gap(6)
                continue
            in_annex = False
            number = int(label)
            shown = roman(number) if s.roman_articles else label
            article = f"Art. {shown}"
            expected.articles.append((shown, title))
            h = s.heading
            if h == "upper":
                ts.centred(f"ARTICLE {shown}", s.bold)
                if title:
                    ts.centred(title.upper(), s.bold)
            elif h == "left":  # "Article 5" and its title on the next row, both flush left
                ts.left(f"Article {shown}", s.bold)
                if title:
                    ts.left(title, s.bold)
            elif h in ("centred", "bare"):
                ts.centred(f"Article {shown}", s.bold if h == "centred" else s.font)
                if title:
                    ts.centred(title, s.italic if s.columns == 2 else s.bold, width=s.title_width or None)
            else:
                sep = {"dash": " \u2013 ", "dot": ". ", "colon": ": "}[h]
                head = f"Article {shown}{sep}{title}" if title else f"Article {shown}"
                ts.block([], head, 0.0, 0.0, font=s.bold) if len(head) < 60 else _long_heading(ts, head)
            ts.gap(4)
        elif tag in ("P", "PL"):
            para += 1
            letter = item = further = 0
            mx, tx, cx = para_x()
            pm = marker(s.para, str(para))
            markers = [(mx, pm)]
            text_x = tx if tx else ts.length(pm + " ")
            if tag == "PL":
                letter = 1
                lm = marker(s.letter, "a")
                markers.append((text_x, lm))
                text_x += ts.length(lm + " ")
            ts.block(markers, body, text_x, cx if tag == "P" else level_x(2)[1])
            ts.gap(3)
            add_passages(body, cite(2 if tag == "PL" else 1))
        elif tag == "B":  # unnumbered text of the article (or annex) body
            ts.block([], body, 0.0, 0.0)
            ts.gap(3)
            add_passages(body, article)
        elif tag == "CL":  # closing words of a letter after its items, at the letter's text
            item = further = 0
            x = level_x(2)[1]
            ts.block([], body, x, x)
            ts.gap(2)
            add_passages(body, cite(2))
        elif tag == "C":  # closing words at the paragraph's own left edge
            letter = item = further = 0
            _, tx, cx = para_x()
            x = tx if (s.para_hanging and tx and para) else 0.0
            ts.block([], body, x, x)
            ts.gap(3)
            add_passages(body, cite(1))
        elif tag in ("L", "I", "J", "D"):
            depth = {"L": 2, "I": 3, "J": 4, "D": 5}[tag]
            if tag == "L":
                letter += 1
                item = further = 0
                label = marker(s.letter, letter_label(letter))
            elif tag == "I":
                item += 1
                further = 0
                label = marker(s.item, ROMANS[item - 1])
            elif tag == "J":
                further += 1
                label = f"({further_label(further)})"
            else:
                label = "\u2013"
                depth = 2 + (1 if letter else 0) + (1 if item else 0) + (1 if further else 0)
            mx, tx = level_x(depth)
            cont = mx if s.lists_wrap_to_marker else (tx if s.hanging_lists else 0.0)
            ts.block([(mx, label)], body, tx, cont)
            ts.gap(2)
            levels = {"L": 2, "I": 3, "J": 4}.get(tag, 2 + (1 if item else 0) + (1 if further else 0))
            add_passages(body, cite(levels), is_item=tag in ("I", "J"))
        elif tag == "W":  # testimonium
            article = ""
            ts.gap(10)
            ts.block([], body, 20.0, 0.0)
            unit_texts.append(body)
        elif tag == "SIG":
            ts.gap(6)
            for part in body.split("/"):
                ts.left(part.strip(), indent=0.0 if s.columns == 2 else 40.0)
        else:
            raise ValueError(f"unknown tag {tag!r}")
    # a quote that more than one unit contains would be found at its first place only
    everything = " ".join(unit_texts)
    expected.passages = [p for p in expected.passages if everything.count(p.quote) == 1]
    return ts.finish(), expected


def _long_heading(ts: Typesetter, head: str) -> None:
    """A one-row heading whose title runs onto a second row, left aligned."""
    rows = ts._wrap(head.split(), ts.col_width * 0.8, ts.col_width * 0.8, ts.style.bold)
    for row in rows:
        ts.left(" ".join(row), ts.style.bold)


def main(argv: list[str]) -> int:
    from tests.structure_corpus.treaties import CORPUS

    out = Path(argv[0] if argv else "structure-corpus")
    out.mkdir(parents=True, exist_ok=True)
    for name, markup, style in CORPUS:
        data, expected = typeset(markup, style)
        (out / f"{name}.pdf").write_bytes(data)
        print(f"{name}: {len(expected.articles)} articles, {len(expected.passages)} passages")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
