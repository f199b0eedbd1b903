"""The one module that calls PyMuPDF. Everything else asks it.

Nothing here writes to the file it opened: annotated copies are saved under a new name.

Over 700 lines: being the only module allowed to call PyMuPDF (tests/core/test_layering.py),
it holds every reading (pages, text flows, links, annotations), rendering and PDF writing.
"""

from __future__ import annotations

import os
import re
import stringprep
import unicodedata
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import Any

import pymupdf

from reviewer.core import progress
from reviewer.core.errors import ReviewerError
from reviewer.core.gcpause import collector_paused
from reviewer.core.geometry import PageGeometry, Rect
from reviewer.core.hashing import sha256_of_file as sha256_of_file  # callers import it here too
from reviewer.core.text_workers import FileStamp, read_pages
from reviewer.core.textflow import GlyphBoxes, PageText, TextFlow, TextLine, build_flow

pymupdf.TOOLS.mupdf_display_errors(False)
pymupdf.TOOLS.mupdf_display_warnings(False)

_CHAR = itemgetter("c")
_BBOX = itemgetter("bbox")
TEXT_FLAGS = pymupdf.TEXT_PRESERVE_LIGATURES | pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP


@dataclass(frozen=True)
class DocumentInfo:
    """What identifies a document: the SHA-256 of its bytes, plus what the PDF says of itself."""

    sha256: str
    pdf_id: str | None
    title: str
    page_count: int
    page_labels: list[str] | None
    path: str
    repaired: bool


def saslprep(password: str) -> str:
    """RFC 4013 SASLprep, as PDF 2.0 requires for AES-256 (R6) passwords."""
    mapped = []
    for ch in password:
        if stringprep.in_table_b1(ch):
            continue
        mapped.append(" " if stringprep.in_table_c12(ch) else ch)
    return unicodedata.normalize("NFKC", "".join(mapped))


class _SpreadBoxes(Sequence[Rect]):
    """Glyph boxes spread evenly along a line: what ``reading_flow`` gives instead of
    MuPDF's own, which cost two thirds of the extraction and which comparing texts never uses."""

    __slots__ = ("_bbox", "_count")

    def __init__(self, bbox: Rect, count: int) -> None:
        self._bbox = bbox
        self._count = count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._count))]
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError("glyph box index out of range")
        x0, y0, x1, y1 = self._bbox
        step = (x1 - x0) / self._count
        return (x0 + index * step, y0, x0 + (index + 1) * step, y1)


class PdfDocument:
    """An opened PDF, read only. Use ``open_pdf``."""

    def __init__(self, path: str, doc: pymupdf.Document, password: str | None = None) -> None:
        self.path = path
        self.password = password  # for the worker processes that read a large document's text
        self._stamp = _stamp_of(path)
        self._doc = doc
        self._page_texts: dict[int, PageText] = {}
        self._flow: TextFlow | None = None
        self._reading_flow: TextFlow | None = None
        self._info: DocumentInfo | None = None
        self._geometries: dict[int, PageGeometry] = {}

    @property
    def raw(self) -> pymupdf.Document:
        """The PyMuPDF document, for the rendering code in this package's UI layer."""
        return self._doc

    @property
    def page_count(self) -> int:
        return int(self._doc.page_count)

    @property
    def is_repaired(self) -> bool:
        return bool(self._doc.is_repaired)

    def close(self) -> None:
        self._doc.close()

    def file_stamp(self) -> FileStamp | None:
        """The file's size and modification time when it was opened (None: not a plain file)."""
        return self._stamp

    def __enter__(self) -> PdfDocument:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def info(self) -> DocumentInfo:
        if self._info is None:
            self._info = DocumentInfo(
                sha256=sha256_of_file(self.path),
                pdf_id=self._file_identifier(),
                title=self._title(),
                page_count=self.page_count,
                page_labels=self._page_labels(),
                path=str(Path(self.path).resolve()),
                repaired=self.is_repaired,
            )
        return self._info

    def _file_identifier(self) -> str | None:
        try:
            kind, value = self._doc.xref_get_key(-1, "ID")
        except Exception:
            return None
        if kind != "array":
            return None
        found = re.findall(r"<([0-9A-Fa-f\s]*)>|\((.*?)\)", value)
        if not found:
            return None
        hex_part, literal = found[0]
        if hex_part or not literal:
            return re.sub(r"\s", "", hex_part).lower() or None
        return literal.encode("latin-1", "replace").hex()

    def _title(self) -> str:
        from reviewer.core.plain_text import display_text

        try:
            title = (self._doc.metadata or {}).get("title") or ""
        except Exception:  # a damaged Info dictionary
            title = ""
        title = " ".join(display_text(title, max_length=300).split())  # no escapes, no bidi tricks
        return title or display_text(Path(self.path).stem, max_length=300)

    def _page_labels(self) -> list[str] | None:
        try:
            if not self._doc.get_page_labels():
                return None
            return [self._doc[i].get_label() or str(i + 1) for i in range(self.page_count)]
        except Exception:
            return None

    def page_label(self, index: int) -> str:
        labels = self.info().page_labels
        if labels and 0 <= index < len(labels):
            return labels[index]
        return str(index + 1)

    def geometry(self, index: int) -> PageGeometry:
        """The page's boxes and rotation; kept (an import of 10,000 markups asked 20,000
        times, loading the page each time: 13 s of a 1,000-page import)."""
        cached = self._geometries.get(index)
        if cached is not None:
            return cached
        page = self._doc[index]
        mb = page.mediabox
        cb = page.cropbox
        crop_pdf: Rect = (cb.x0, mb.y1 - cb.y1, cb.x1, mb.y1 - cb.y0)
        geometry = PageGeometry((mb.x0, mb.y0, mb.x1, mb.y1), crop_pdf, int(page.rotation) % 360)
        self._geometries[index] = geometry
        return geometry

    def page_text(self, index: int) -> PageText:
        cached = self._page_texts.get(index)
        if cached is not None:
            return cached
        geometry = self.geometry(index)
        lines: list[TextLine] = []
        try:
            raw = self._doc[index].get_text("rawdict", flags=TEXT_FLAGS)
        except Exception:
            raw = {"blocks": []}
        # map + itemgetter walk the characters in C: the per-character Python loop cost as
        # much again as MuPDF's own extraction (text flow of 1,000 pages, issue 15).
        for block in raw.get("blocks", ()):
            for line in block.get("lines", ()):
                spans = [span.get("chars", ()) for span in line.get("spans", ())]
                values = array("f")  # MuPDF computes in single precision: lossless
                text = ""
                for span_chars in spans:
                    if span_chars:
                        text += "".join(map(_CHAR, span_chars))
                        values.fromlist(list(chain.from_iterable(map(_BBOX, span_chars))))
                if values:
                    lines.append(TextLine(text, GlyphBoxes(values), tuple(line["bbox"])))
        page_text = PageText(index, geometry, lines)
        self._page_texts[index] = page_text
        return page_text

    def flow(self) -> TextFlow:
        """The whole document's normalized text (see ``textflow``)."""
        if self._flow is None:
            # Extraction makes millions of short-lived objects and no cycles: the cyclic
            # collector only re-walked the pages kept so far (25 % of the time at 1,000 pages).
            # (New objects are left young, as they always were here: aging them was measured
            # for the exchange's file reading only.)
            with collector_paused(age_new_objects=False):
                count = self.page_count
                texts = read_pages(
                    self,
                    count,
                    self.page_text,
                    lambda done: progress.report("reading the text", done, count),
                    open_pdf,
                )
                for text in texts:
                    self._page_texts.setdefault(text.number, text)
                self._flow = build_flow(texts)
        return self._flow

    def has_flow(self) -> bool:
        return self._flow is not None

    def reading_flow(self) -> TextFlow:
        """The same normalized text as ``flow``, read three times faster, for comparing
        versions (``reviewer diff``): MuPDF's line boxes are exact, but its glyph boxes are
        not asked for (spread evenly along each span instead), so its quads are not for
        drawing. The full ``flow`` when it has been read already."""
        if self._flow is not None:
            return self._flow
        if self._reading_flow is None:
            with collector_paused(age_new_objects=False):
                self._reading_flow = build_flow([self._page_lines(i) for i in range(self.page_count)])
        return self._reading_flow

    def _page_lines(self, index: int) -> PageText:
        lines: list[TextLine] = []
        try:
            data = self._doc[index].get_text("dict", flags=TEXT_FLAGS)
        except Exception:
            data = {"blocks": []}
        for block in data.get("blocks", ()):
            for line in block.get("lines", ()):
                text = "".join(span.get("text", "") for span in line.get("spans", ()))
                if text:
                    bbox = tuple(line["bbox"])
                    lines.append(TextLine(text, _SpreadBoxes(bbox, len(text)), bbox))
        return PageText(index, self.geometry(index), lines)

    def text_in_rect(self, index: int, rect: Rect) -> str:
        """Text MuPDF itself finds in an unrotated rectangle (an independent read-back)."""
        return str(self._doc[index].get_textbox(pymupdf.Rect(rect)))

    def outline(self) -> list[tuple[int, str, int]]:
        """The PDF's bookmarks: (level, title, 0-based page), pages -1 when unresolved."""
        try:
            return [(int(lv), str(t), int(p) - 1) for lv, t, p, *_ in self._doc.get_toc(simple=True)]
        except Exception:
            return []

    def render_page_png(self, index: int, zoom: float) -> bytes:
        pix = self._doc[index].get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False)
        return bytes(pix.tobytes("png"))

    def render_page_rgb(
        self, index: int, zoom: float, clip: Rect | None = None
    ) -> tuple[int, int, int, bytes]:
        """Raw RGB bytes of a page (or of ``clip`` in displayed-page points)."""
        page = self._doc[index]
        pix = page.get_pixmap(
            matrix=pymupdf.Matrix(zoom, zoom),
            alpha=False,
            clip=pymupdf.Rect(clip) if clip else None,
            annots=False,
        )
        return pix.width, pix.height, pix.stride, bytes(pix.samples)


def open_pdf(path: str | os.PathLike[str], password: str | None = None) -> PdfDocument:
    """Open a PDF for reading, or raise one clear ``ReviewerError`` naming the file."""
    path = str(path)
    if not os.path.exists(path):
        raise ReviewerError("no such file", path=path)
    if os.path.isdir(path):
        raise ReviewerError("is a folder, not a PDF", path=path)
    try:
        with open(path, "rb") as handle:
            head = handle.read(1024)
    except OSError as exc:
        raise ReviewerError(f"cannot read: {exc.strerror}", path=path) from None
    if b"%PDF" not in head:
        raise ReviewerError("not a PDF (no %PDF header)", path=path)
    try:
        doc = pymupdf.open(path, filetype="pdf")
    except Exception as exc:  # MuPDF raises its own error types for broken files
        raise ReviewerError(f"cannot be opened as a PDF ({_short(exc)})", path=path) from None
    try:
        if doc.needs_pass:
            if password is None:
                raise ReviewerError("is encrypted: give its password (--password)", path=path)
            if not (doc.authenticate(password) or doc.authenticate(saslprep(password))):
                raise ReviewerError("wrong password", path=path)
        if doc.page_count == 0:
            raise ReviewerError("has no pages (the file is damaged)", path=path)
    except ReviewerError:
        doc.close()
        raise
    except Exception as exc:  # a broken page tree fails here, after the file itself opened
        doc.close()
        raise ReviewerError(f"cannot be opened as a PDF ({_short(exc)})", path=path) from None
    return PdfDocument(path, doc, password)


def _stamp_of(path: str) -> FileStamp | None:
    try:
        return FileStamp.of(path)
    except OSError:
        return None


def needs_password(path: str | os.PathLike[str]) -> bool:
    try:
        with pymupdf.open(str(path), filetype="pdf") as doc:
            return bool(doc.needs_pass)
    except Exception:
        return False


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:160]


# --- safety: links are data, never actions --------------------------------------------------
# PyMuPDF has no JavaScript engine in this build and never runs document JavaScript, launch
# actions or embedded files by itself; the app acts on a link only through ``safe_link_target``.

SAFE_URI_SCHEMES = ("http", "https", "mailto")


@dataclass(frozen=True)
class LinkTarget:
    """Where a link may take the user: a page of this document, or a web address that the UI
    opens only after the user confirms (``needs_confirmation``)."""

    kind: str  # "page" or "uri"
    page: int | None = None
    uri: str | None = None
    needs_confirmation: bool = False


def safe_link_target(link: dict[str, Any], page_count: int | None = None) -> LinkTarget | None:
    """The only action a PDF link may cause, or ``None`` for everything else.

    Launch (run a program), GoToR (open another file), named actions, embedded files,
    JavaScript and URIs other than http(s)/mailto are never acted on.
    """
    kind = link.get("kind")
    if kind == pymupdf.LINK_GOTO:
        page = link.get("page")
        if not isinstance(page, int) or page < 0 or (page_count is not None and page >= page_count):
            return None
        return LinkTarget("page", page=page)
    if kind == pymupdf.LINK_URI:
        uri = str(link.get("uri") or "").strip()
        scheme = uri.split(":", 1)[0].lower() if ":" in uri else ""
        if scheme not in SAFE_URI_SCHEMES or any(ord(ch) < 33 or ord(ch) == 127 for ch in uri):
            return None
        return LinkTarget("uri", uri=uri, needs_confirmation=True)
    return None


def page_links(document: PdfDocument, index: int) -> list[tuple[Rect, LinkTarget]]:
    """The links of a page that the app may follow, with their rectangles (unrotated page
    space); every other link is dropped here."""
    found: list[tuple[Rect, LinkTarget]] = []
    try:
        links = document.raw[index].get_links()
    except Exception:
        return found
    for link in links:
        target = safe_link_target(link, document.page_count)
        if target is not None:
            r = link.get("from")
            rect: Rect = (float(r.x0), float(r.y0), float(r.x1), float(r.y1)) if r else (0, 0, 0, 0)
            found.append((rect, target))
    return found


def raw_link_kinds(document: PdfDocument, index: int) -> list[int]:
    """The kinds of all links on a page as MuPDF reports them (for tests and diagnostics)."""
    return [int(link.get("kind", 0)) for link in document.raw[index].get_links()]


# --- view ---
# The reading view renders and extracts text in a worker process (MuPDF holds the GIL), then
# hands the page texts back to the document opened in the window.


def render_tile(
    document: PdfDocument, index: int, scale: float, clip_px: tuple[int, int, int, int]
) -> tuple[int, int, int, int, int, bytes]:
    """RGB pixels of part of a displayed page: ``clip_px`` in device pixels at ``scale``.

    Returns (x, y, width, height, stride, samples); x, y are the tile's pixel origin on the
    page, so tiles rendered this way line up exactly with a whole-page rendering.
    """
    x0, y0, x1, y1 = clip_px
    clip = pymupdf.Rect(x0 / scale, y0 / scale, x1 / scale, y1 / scale)
    page = document.raw[index]
    matrix = pymupdf.Matrix(scale, scale)
    pix = page.get_pixmap(matrix=matrix, alpha=False, clip=clip, annots=False)
    return (
        int(pix.x),
        int(pix.y),
        int(pix.width),
        int(pix.height),
        int(pix.stride),
        bytes(pix.samples),
    )


def adopt_page_texts(document: PdfDocument, pages: list[PageText], flow: TextFlow | None) -> None:
    """Take page texts (and their flow) extracted elsewhere, so ``flow()`` does not redo it."""
    for page in pages:
        document._page_texts[page.number] = page
    if flow is not None:
        document._flow = flow


def forget_page_text(document: PdfDocument, index: int) -> None:
    """Drop a page text ``page_text`` keeps (a worker that only hands page texts over)."""
    document._page_texts.pop(index, None)


# --- exchange: annotated copies and other tools' annotations -----------------------------


@dataclass(frozen=True)
class PdfMarkup:
    """One annotation to write into an annotated copy (quads in PDF user space, UL UR LL LR)."""

    name: str  # /NM: the annotation's own UUID, unique across every reviewer's file
    page: int
    quads: tuple[tuple[float, ...], ...]
    color: tuple[float, float, float]
    author: str
    contents: str
    subject: str
    created: str  # PDF dates with an explicit time zone
    modified: str
    private: str = ""  # JSON kept in /ReviewerData for an exact round trip
    reply_to: str | None = None  # /NM of the annotation this one answers (a /Text with /IRT)
    state: str | None = None  # Review state of a status reply (Accepted, Rejected, ...)
    # A further page's part of an annotation across a page break: a /Highlight grouped with
    # the annotation named by reply_to (/IRT + /RT /Group), which carries the comment.
    group: bool = False


@dataclass(frozen=True)
class PdfAnnotationRecord:
    """An annotation as found in a PDF (quads as written: any corner order, PDF user space)."""

    xref: int
    page: int
    subtype: str
    name: str | None
    quads: tuple[tuple[float, ...], ...]
    rect: Rect
    author: str
    contents: str
    subject: str
    created: str
    modified: str
    color: tuple[float, ...]
    reply_to_xref: int | None
    state: str | None
    state_model: str | None
    private: str
    reply_type: str | None = None  # /RT: "Group" for another page's part of one annotation


def _numbers(text: str) -> list[float]:
    return [float(v) for v in re.findall(r"[-+]?(?:\d+\.?\d*|\.\d+)", text)]


def write_annotated_copy(
    source: str | os.PathLike[str], target: str | os.PathLike[str], markups: list[PdfMarkup]
) -> None:
    """Save a copy of ``source`` with ``markups`` added; ``source`` itself is never written."""
    from reviewer.core.atomic import write_bytes_atomic

    if Path(source).resolve() == Path(target).resolve():
        raise ReviewerError(
            "refusing to write annotations over the original PDF; choose another -o", path=str(target)
        )
    doc = pymupdf.open(str(source), filetype="pdf")
    try:
        xref_of: dict[str, int] = {}
        page = None
        for markup in markups:
            if page is None or page.number != markup.page:  # loading a page per markup: 10,000 loads
                page = doc[markup.page]
            mb, cb = page.mediabox, page.cropbox
            crop_top = mb.y1 - cb.y0  # CropBox top in PDF user space

            def unrotated(x: float, y: float, left: float = cb.x0, top: float = crop_top) -> pymupdf.Point:
                return pymupdf.Point(x - left, top - y)

            if markup.reply_to is None or markup.group:
                quads = [
                    pymupdf.Quad(
                        unrotated(q[0], q[1]),
                        unrotated(q[2], q[3]),
                        unrotated(q[4], q[5]),
                        unrotated(q[6], q[7]),
                    )
                    for q in markup.quads
                ]
                annot = page.add_highlight_annot(quads=quads)
                annot.set_colors(stroke=markup.color)
                primary = xref_of.get(markup.reply_to or "") if markup.group else None
                if primary:
                    annot.set_irt_xref(primary)
            else:
                parent = xref_of.get(markup.reply_to)
                q = markup.quads[0] if markup.quads else (0.0, 0.0)
                annot = page.add_text_annot(unrotated(q[0], q[1]), markup.contents, icon="Comment")
                if parent:
                    annot.set_irt_xref(parent)
            annot.set_info(
                title=markup.author,
                content=markup.contents,
                subject=markup.subject,
                creationDate=markup.created,
                modDate=markup.modified,
            )
            annot.update()
            xref = annot.xref
            doc.xref_set_key(xref, "NM", pymupdf.get_pdf_str(markup.name))
            doc.xref_set_key(xref, "M", pymupdf.get_pdf_str(markup.modified))
            doc.xref_set_key(xref, "CreationDate", pymupdf.get_pdf_str(markup.created))
            if markup.state:
                doc.xref_set_key(xref, "StateModel", pymupdf.get_pdf_str("Review"))
                doc.xref_set_key(xref, "State", pymupdf.get_pdf_str(markup.state))
            if markup.private:
                doc.xref_set_key(xref, "ReviewerData", pymupdf.get_pdf_str(markup.private))
            if markup.group:
                doc.xref_set_key(xref, "RT", "/Group")
            xref_of[markup.name] = xref
        data = doc.tobytes(garbage=1, deflate=True)
    finally:
        doc.close()
    write_bytes_atomic(target, data)


def _pdf_text(doc: pymupdf.Document, xref: int, key: str) -> str:
    kind, value = doc.xref_get_key(xref, key)
    if kind in ("string", "name"):
        return str(value)
    return ""


def read_annotations(pdf: PdfDocument) -> list[PdfAnnotationRecord]:
    """Every annotation of the document with what Reviewer needs to import it.

    Read through PyMuPDF's annotation API (some writers, e.g. fpdf2, put annotations inline in
    /Annots, where they have no xref); quads come back in PDF user space, in written order.
    """
    doc = pdf.raw
    records: list[PdfAnnotationRecord] = []
    for index in range(doc.page_count):
        page = doc[index]
        mb, cb = page.mediabox, page.cropbox
        left, top = cb.x0, mb.y1 - cb.y0

        def to_pdf(x: float, y: float, left: float = left, top: float = top) -> tuple[float, float]:
            return (x + left, top - y)

        annot = page.first_annot
        while annot is not None:
            xref = int(annot.xref)
            info = annot.info or {}
            subtype = annot.type[1] if annot.type else ""
            quads: list[tuple[float, ...]] = []
            vertices = (
                annot.vertices if subtype in ("Highlight", "Underline", "StrikeOut", "Squiggly") else None
            )
            if vertices:
                flat: list[float] = []
                for point in vertices:
                    flat.extend(to_pdf(float(point[0]), float(point[1])))
                quads = [tuple(flat[i : i + 8]) for i in range(0, len(flat) - 7, 8)]
            r = annot.rect
            rect: Rect = (r.x0 + left, top - r.y1, r.x1 + left, top - r.y0)
            colors = annot.colors or {}
            stroke = colors.get("stroke") or ()
            irt = int(annot.irt_xref) if annot.irt_xref else None
            state = state_model = private = reply_type = ""
            if xref > 0:
                state = _pdf_text(doc, xref, "State")
                state_model = _pdf_text(doc, xref, "StateModel")
                private = _pdf_text(doc, xref, "ReviewerData")
                reply_type = _pdf_text(doc, xref, "RT")
            records.append(
                PdfAnnotationRecord(
                    xref=xref,
                    page=index,
                    subtype=subtype,
                    name=str(info.get("id") or "") or None,
                    quads=tuple(quads),
                    rect=rect,
                    author=str(info.get("title") or ""),
                    contents=str(info.get("content") or ""),
                    subject=str(info.get("subject") or ""),
                    created=str(info.get("creationDate") or ""),
                    modified=str(info.get("modDate") or ""),
                    color=tuple(float(c) for c in stroke),
                    reply_to_xref=irt,
                    state=state.lstrip("/") or None,
                    state_model=state_model.lstrip("/") or None,
                    private=private,
                    reply_type=reply_type.lstrip("/") or None,
                )
            )
            annot = annot.next
    return records


# --- render-perf: tiles written straight into a shared buffer ----------------------------


def render_tile_into(
    document: PdfDocument,
    index: int,
    scale: float,
    clip_px: tuple[int, int, int, int],
    buffer: Any,
) -> tuple[int, int, int, int, int, bytes | None]:
    """Like ``render_tile``, but the pixels go into ``buffer`` (a writable buffer shared with
    the window's process) when they fit; then the samples returned are None. One copy of the
    pixels instead of four through a pipe."""
    x0, y0, x1, y1 = clip_px
    clip = pymupdf.Rect(x0 / scale, y0 / scale, x1 / scale, y1 / scale)
    page = document.raw[index]
    pix = page.get_pixmap(matrix=pymupdf.Matrix(scale, scale), alpha=False, clip=clip, annots=False)
    samples = pix.samples_mv
    size = len(samples)
    placed: bytes | None = None
    if buffer is not None and size <= len(buffer):
        buffer[:size] = samples
    else:
        placed = bytes(samples)
    return int(pix.x), int(pix.y), int(pix.width), int(pix.height), int(pix.stride), placed


# --- cold start: page boxes from the page tree -------------------------------------------


def page_geometries(document: PdfDocument, start: int = 0, stop: int | None = None) -> list[PageGeometry]:
    """``geometry(i)`` for pages ``start`` to ``stop``, read from the page tree without loading
    each page: half the time (21 ms instead of 46 ms for 1,000 pages), which a cold start of a
    long document feels. Falls back to loading the pages where the low-level path fails."""
    count = document.page_count
    stop = count if stop is None else max(0, min(stop, count))
    start = max(0, min(start, stop))
    try:
        return _geometries_from_page_tree(document.raw, start, stop)
    except Exception:  # noqa: BLE001 - not a PDF, or PyMuPDF's internals moved: the slow path
        return [document.geometry(i) for i in range(start, stop)]


def _geometries_from_page_tree(doc: pymupdf.Document, start: int, stop: int) -> list[PageGeometry]:
    # The same calls PyMuPDF's Page.mediabox, Page.cropbox and Page.rotation make on the page
    # object (tests/core compare both paths on every corpus file).
    mupdf = pymupdf.mupdf
    pdf = mupdf.pdf_specifics(doc.this)
    if not pdf.m_internal:
        raise ValueError("not a PDF")
    rotate = mupdf.PdfObj(mupdf.PDF_ENUM_NAME_Rotate)
    mediabox_of = pymupdf.JM_mediabox
    cropbox_of = pymupdf.JM_cropbox
    result: list[PageGeometry] = []
    for index in range(start, stop):
        page_obj = mupdf.pdf_lookup_page_obj(pdf, index)
        mb = mediabox_of(page_obj)
        cb = cropbox_of(page_obj)  # y measured down from the MediaBox's top, as Page.cropbox
        rotate_value = mupdf.pdf_to_int(mupdf.pdf_dict_get_inheritable(page_obj, rotate))
        rotation = pymupdf.JM_norm_rotation(rotate_value)
        result.append(
            PageGeometry(
                (mb.x0, mb.y0, mb.x1, mb.y1),
                (cb.x0, mb.y1 - cb.y1, cb.x1, mb.y1 - cb.y0),
                int(rotation) % 360,
            )
        )
    return result


def document_summary(document: PdfDocument, pages: int) -> dict[str, Any]:
    """What a window needs to lay out and label a document before it loads MuPDF itself: the
    page count, the boxes of the first ``pages`` pages, the page labels, title and whether
    MuPDF repaired the file. Plain values only (it crosses a pipe)."""
    return {
        "page_count": document.page_count,
        "geometries": [(g.mediabox, g.cropbox, g.rotation) for g in page_geometries(document, 0, pages)],
        "labels": document._page_labels(),
        "title": document._title(),
        "repaired": document.is_repaired,
    }


# --- render-local: what a page costs to draw, and drawing it in the window's process -------


@dataclass(frozen=True)
class PageRenderFeatures:
    """What makes a page slow to draw, read from its objects without drawing it (< 1 ms).

    ``content_bytes``: compressed length of the page's content streams and form XObjects
    (vector and text work); ``image_pixels``: the source pixels of its images (decoding);
    ``font_xrefs``: its fonts (loading an embedded font the first time costs 1-4 ms), and
    ``embedded_fonts`` those of them with a font program in the file; ``uncertain``:
    something whose cost these figures cannot bound (Type3 fonts, whose glyphs are content
    streams; objects MuPDF could not read)."""

    content_bytes: int
    image_pixels: int
    font_xrefs: frozenset[int]
    embedded_fonts: frozenset[int]
    uncertain: bool


def _stream_length(doc: pymupdf.Document, xref: int) -> int:
    """The stream's /Length as written (no decompression; a direct or indirect number)."""
    kind, value = doc.xref_get_key(xref, "Length")
    if kind == "int":
        return int(value)
    if kind == "xref":
        target = int(value.split()[0])
        number = doc.xref_object(target, compressed=True).strip()
        if number.lstrip("-").isdigit():
            return int(number)
    return len(doc.xref_stream_raw(xref) or b"")


def page_render_features(document: PdfDocument, index: int) -> PageRenderFeatures:
    doc = document.raw
    try:
        page = doc[index]
        content = sum(_stream_length(doc, xref) for xref in page.get_contents())
        content += sum(_stream_length(doc, item[0]) for item in page.get_xobjects())
        image_pixels = sum(max(0, int(item[2])) * max(0, int(item[3])) for item in page.get_images(full=True))
        fonts = page.get_fonts(full=True)
    except Exception:  # noqa: BLE001 - MuPDF reports broken objects in many ways
        return PageRenderFeatures(0, 0, frozenset(), frozenset(), True)
    type3 = any(str(font[2]) == "Type3" for font in fonts)
    return PageRenderFeatures(
        content,
        image_pixels,
        frozenset(int(font[0]) for font in fonts),
        frozenset(int(font[0]) for font in fonts if str(font[1]) != "n/a"),
        type3,
    )


def render_tile_view(
    document: PdfDocument, index: int, scale: float, clip_px: tuple[int, int, int, int]
) -> tuple[int, int, int, int, int, memoryview, Any]:
    """Like ``render_tile`` without copying the pixels: the samples are a view of the pixmap
    returned last, which must be kept alive while they are read."""
    x0, y0, x1, y1 = clip_px
    clip = pymupdf.Rect(x0 / scale, y0 / scale, x1 / scale, y1 / scale)
    page = document.raw[index]
    pix = page.get_pixmap(matrix=pymupdf.Matrix(scale, scale), alpha=False, clip=clip, annots=False)
    return int(pix.x), int(pix.y), int(pix.width), int(pix.height), int(pix.stride), pix.samples_mv, pix
