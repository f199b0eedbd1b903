"""The render worker: a separate process that opens the PDF itself and renders tiles.

MuPDF holds Python's GIL while it renders or extracts text (a heavy page at 400 % takes
200 ms, a dense page's text 130 ms), so none of that runs in the window's process. This
module imports no Qt; it is started as ``python -m reviewer.ui.render_process``.

Protocol, both ways: 4-byte big-endian length, then a pickled tuple (our own processes only).
Requests:  ("open", generation, path, password[, summary_pages[, niceness_after_first_tile]])
           | ("tile", id, page, scale, (x0, y0, x1, y1)) | ("text", id, page)
           | ("features", id, [page...]) | ("quit",)
Replies:   ("opened", generation, page_count[, summary]) | ("error", id_or_generation, message)
           (summary: ``pdf.document_summary`` when the open asked for it: the window lays out
           from it before it loads MuPDF itself, see ``reviewer.ui.head_start``)
           | ("tile", id, (x, y, w, h, stride), samples, cpu_ms) | ("text", id, PageText)
           (samples is None when the pixels are in the shared tile buffer, see ``serve``;
           cpu_ms: the CPU time the render took, -1 when it loaded fonts: the window learns
           from it what a page costs, see ``local_render``)
           | ("features", id, {page: PageRenderFeatures})
"""

from __future__ import annotations

import contextlib
import mmap
import os
import pickle
import struct
import sys
import time
from typing import IO, Any

HEADER = struct.Struct(">I")


def read_message(stream: IO[bytes]) -> Any:
    head = stream.read(HEADER.size)
    if len(head) < HEADER.size:
        return None
    (size,) = HEADER.unpack(head)
    body = stream.read(size)
    if len(body) < size:
        return None
    return pickle.loads(body)


def write_message(stream: IO[bytes], message: Any) -> None:
    body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(HEADER.pack(len(body)) + body)
    stream.flush()


def open_tile_buffer(descriptor: int, size: int) -> mmap.mmap:
    """Map the memory the window shares tile pixels through (an inherited descriptor)."""
    mapped = mmap.mmap(descriptor, size)
    os.close(descriptor)
    return mapped


def serve(requests: IO[bytes], replies: IO[bytes], tile_buffer: Any = None) -> None:
    """Answer requests until "quit". With ``tile_buffer`` a tile's pixels are written there
    and the reply carries only the rectangle: the window reads the next tile only after it
    took this one, since each worker has one request in flight."""
    from reviewer.core.errors import ReviewerError
    from reviewer.core.pdf import (
        document_summary,
        forget_page_text,
        open_pdf,
        page_render_features,
        render_tile_into,
    )

    document = None
    yield_after_first_tile = 0
    loaded_fonts: set[int] = set()  # fonts of ``document`` this process's MuPDF has loaded
    known: dict[int, Any] = {}  # page -> PageRenderFeatures, read once
    while True:
        message = read_message(requests)
        if message is None or message[0] == "quit":
            return
        kind = message[0]
        if kind == "open":
            _, generation, path, password, *asked = message
            if len(asked) > 1 and asked[1]:
                yield_after_first_tile = int(asked[1])
            if document is not None:
                document.close()
                document = None
            loaded_fonts = set()
            known = {}
            try:
                document = open_pdf(path, password)
            except ReviewerError as exc:
                write_message(replies, ("error", generation, str(exc)))
                continue
            if asked and asked[0]:
                try:
                    summary = document_summary(document, int(asked[0]))
                except Exception as exc:  # noqa: BLE001 - the window then opens it itself
                    summary = {"error": f"{type(exc).__name__}: {exc}"}
                write_message(replies, ("opened", generation, document.page_count, summary))
            else:
                write_message(replies, ("opened", generation, document.page_count))
        elif document is None:
            write_message(replies, ("error", message[1], "no document open"))
        elif kind == "tile":
            _, request_id, page, scale, clip = message
            started = time.thread_time()
            try:
                x, y, w, h, stride, samples = render_tile_into(document, page, scale, clip, tile_buffer)
            except Exception as exc:  # a page MuPDF cannot draw becomes an error tile
                write_message(replies, ("error", request_id, f"{type(exc).__name__}: {exc}"))
                continue
            cpu_ms = (time.thread_time() - started) * 1000
            # A render that loaded fonts says little about the page: reported as unknown (-1).
            # The first tile after opening surely did, and is not delayed by the check.
            features = known.get(page)
            if features is None and (loaded_fonts or not yield_after_first_tile):
                features = known[page] = page_render_features(document, page)
            if features is None:
                cpu_ms = -1.0
            elif not features.font_xrefs <= loaded_fonts:
                loaded_fonts |= features.font_xrefs
                cpu_ms = -1.0
            write_message(replies, ("tile", request_id, (x, y, w, h, stride), samples, cpu_ms))
            if yield_after_first_tile and hasattr(os, "nice"):
                # the head start's first screen done: from now on yield to the window
                with contextlib.suppress(OSError):
                    os.nice(yield_after_first_tile)
                yield_after_first_tile = 0
        elif kind == "features":  # render-local: what pages cost, read while the worker idles
            _, request_id, pages = message
            found = {}
            for page in pages:
                if 0 <= page < document.page_count:
                    found[page] = known[page] = page_render_features(document, page)
            write_message(replies, ("features", request_id, found))
        elif kind == "text":
            _, request_id, page = message
            try:
                text = document.page_text(page)
            except Exception as exc:
                write_message(replies, ("error", request_id, f"{type(exc).__name__}: {exc}"))
                continue
            # The window keeps the page texts and builds the flow from them; a copy kept here
            # too would only add to the app's peak memory (about 60 MB at 1,000 pages).
            forget_page_text(document, page)
            write_message(replies, ("text", request_id, text))
            del text


def main() -> None:
    # Replies go on a private copy of stdout; anything else printed goes to stderr.
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    if len(sys.argv) > 1 and hasattr(os, "nice"):
        with contextlib.suppress(OSError, ValueError):
            os.nice(int(sys.argv[1]))
    tile_buffer = None
    if len(sys.argv) > 3:
        with contextlib.suppress(OSError, ValueError):
            tile_buffer = open_tile_buffer(int(sys.argv[2]), int(sys.argv[3]))
    with contextlib.suppress(BrokenPipeError, KeyboardInterrupt):
        serve(sys.stdin.buffer, replies, tile_buffer)
    # Nothing to save or close (the PDF is only read, replies are flushed): leave at once, so
    # a retired text worker gives its memory back now, not after the interpreter's cleanup.
    with contextlib.suppress(OSError, ValueError):
        replies.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
