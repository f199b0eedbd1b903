"""Inputs of ``python -m bench --scale``: 10,000 markups written as another tool writes them.

``foreign_xfdf`` lays highlights on the words of a PDF the way Acrobat or PDF-XChange users
make them (PDF user space, y up, one quad per line, corner order TL TR BL BR), with no
Reviewer data: the import must read every quote from the page. Some span two lines, a few
are sticky notes. Cached under ``bench/out/inputs`` like the other inputs.
"""

from __future__ import annotations

import random
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pymupdf

from bench.inputs import AUTHORS, _cache, _comment

Word = tuple[float, float, float, float, str, int, int, int]


def _lines_of(page: pymupdf.Page) -> list[list[Word]]:
    lines: dict[tuple[int, int], list[Word]] = {}
    for word in page.get_text("words"):
        lines.setdefault((word[5], word[6]), []).append(word)
    return [words for _, words in sorted(lines.items())]


def highlight_quads(page: pymupdf.Page, lines: list[list[Word]], rng: random.Random) -> list[list[float]]:
    """A run of words on one line, or on two consecutive lines, as XFDF quads (y up)."""
    height = page.rect.height
    at = rng.randrange(len(lines))
    spans = [lines[at]] if rng.random() < 0.8 or at + 1 >= len(lines) else [lines[at], lines[at + 1]]
    quads: list[list[float]] = []
    for n, words in enumerate(spans):
        if len(spans) == 1:
            first = rng.randrange(len(words))
            last = min(len(words) - 1, first + rng.randint(0, 10))
        elif n == 0:
            first, last = rng.randrange(len(words)), len(words) - 1
        else:
            first, last = 0, rng.randrange(len(words))
        x0 = words[first][0]
        x1 = words[last][2]
        top = min(w[1] for w in words[first : last + 1])
        bottom = max(w[3] for w in words[first : last + 1])
        quads.append([x0, height - top, x1, height - top, x0, height - bottom, x1, height - bottom])
    return quads


def foreign_xfdf(pdf_path: Path, count: int, *, seed: int = 15) -> Path:
    """An XFDF of ``count`` markups on ``pdf_path`` (95 % highlights, 5 % sticky notes)."""
    path = _cache(f"foreign-{pdf_path.stem}-{count}-s{seed}.xfdf")
    if path.exists():
        return path
    rng = random.Random(seed)
    doc = pymupdf.open(pdf_path)
    pages = sorted(rng.randrange(doc.page_count) for _ in range(count))
    cached: dict[int, list[list[Word]]] = {}
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<xfdf xmlns="http://ns.adobe.com/xfdf/" xml:space="preserve">',
    ]
    out.append(f"<f href={quoteattr(pdf_path.name)}/>")
    out.append("<annots>")
    for n, number in enumerate(pages):
        if number not in cached:
            cached.clear()
            cached[number] = _lines_of(doc[number])
        page = doc[number]
        lines = cached[number]
        author = AUTHORS[n % len(AUTHORS)][0]
        date = f"D:20261201{n % 24:02d}{n % 60:02d}00Z"
        comment = quoteattr(_comment(rng))[1:-1] if rng.random() < 0.7 else ""
        if not lines or rng.random() < 0.05:
            x, y = rng.uniform(40, 500), rng.uniform(40, 700)
            out.append(
                f'<text page="{number}" rect="{x:.2f},{y:.2f},{x + 20:.2f},{y + 20:.2f}" '
                f'title={quoteattr(author)} date="{date}" creationdate="{date}" flags="print">'
                f"<contents>{comment or 'Note.'}</contents></text>"
            )
            continue
        quads = highlight_quads(page, lines, rng)
        coords = ",".join(f"{v:.4f}" for q in quads for v in q)
        xs = [v for q in quads for v in q[0::2]]
        ys = [v for q in quads for v in q[1::2]]
        out.append(
            f'<highlight page="{number}" rect="{min(xs):.4f},{min(ys):.4f},{max(xs):.4f},{max(ys):.4f}" '
            f'coords="{coords}" color="#FFFF00" title={quoteattr(author)} date="{date}" '
            f'creationdate="{date}" flags="print" opacity="0.4">'
            + (f"<contents>{comment}</contents>" if comment else "")
            + "</highlight>"
        )
    out.append("</annots></xfdf>")
    doc.close()
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(out) + "\n", "utf-8")
    tmp.replace(path)
    return path
