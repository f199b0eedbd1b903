"""The window's side of the render workers: queues, stale-request cancelling, a tile cache.

Work goes to worker processes (``render_process``); each worker has at most one request in
flight, and the queue behind it is replaced on every scroll, so stale requests never reach
a worker. Replies are read by one thread per worker (blocked in ``read``, GIL released) and
delivered to the GUI thread through a queued Qt signal.
"""

from __future__ import annotations

import contextlib
import itertools
import threading
from collections import OrderedDict
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from reviewer.ui.head_start import FIRST_GENERATION, HeadStart, spawn_worker
from reviewer.ui.mailbox import Mailbox
from reviewer.ui.qt_compat import emit
from reviewer.ui.render_process import read_message, write_message

TileKey = tuple[int, float, tuple[int, int, int, int]]  # page, scale, clip in device pixels
TEXT_AHEAD = 4  # page texts asked of the text-only worker at a time


class _Worker:
    def __init__(
        self,
        index: int,
        bridge: Mailbox,
        niceness: int,
        renders: bool = True,
        adopted: HeadStart | None = None,
    ) -> None:
        self.index = index
        self.bridge = bridge
        self.in_flight: tuple[str, Any] | None = None  # ("tile", key) / ("text", page)
        # Further page texts asked of the text-only worker before the first came back: it
        # reads the next at once instead of waiting for the window to answer (see TEXT_AHEAD).
        self.texts_ahead: list[int] = []
        self.retired = False  # told to quit once its work was done: its exit is no crash
        if adopted is not None:  # started before Qt was loaded (reviewer.ui.head_start)
            self.process, self.tile_buffer = adopted.process, adopted.tile_buffer
        else:
            self.process, self.tile_buffer = spawn_worker(niceness, renders)
        self.lock = threading.Lock()
        self.reader = threading.Thread(target=self._read, name=f"render-reader-{index}", daemon=True)
        self.reader.start()

    def _read(self) -> None:
        stdout = self.process.stdout
        assert stdout is not None
        while True:
            try:
                message = read_message(stdout)
            except Exception:
                message = None
            if message is None:
                if self.retired:
                    with contextlib.suppress(Exception):
                        self.process.wait(timeout=10)  # reaped here, not left as a zombie
                    return
                with contextlib.suppress(RuntimeError):  # the window closed: nobody to tell
                    self.bridge.put((self.index, ("died",)))
                return
            if message[0] == "tile":
                _, request_id, (x, y, w, h, stride), samples, cpu_ms = message
                if samples is None:  # in the shared buffer, until this worker's next tile
                    assert self.tile_buffer is not None
                    samples = memoryview(self.tile_buffer)[: stride * h]
                # Convert here, off the GUI thread, to the format the screen is painted in:
                # painting an RGB888 image would convert it again on every paint. The
                # converted image owns its pixels, so the shared buffer is free again.
                wrapped = QImage(samples, w, h, stride, QImage.Format.Format_RGB888)
                image = wrapped.convertToFormat(QImage.Format.Format_RGB32)
                del wrapped
                if isinstance(samples, memoryview):
                    samples.release()
                message = ("tile", request_id, (x, y, w, h), (image, None), cpu_ms)
            try:
                self.bridge.put((self.index, message))
            except RuntimeError:  # the pool was deleted (the window closed) while we read
                return

    def send(self, message: Any) -> bool:
        stdin = self.process.stdin
        if stdin is None or self.process.poll() is not None:
            return False
        try:
            with self.lock:
                write_message(stdin, message)
        except (BrokenPipeError, OSError, ValueError):
            return False
        return True

    def retire(self) -> None:
        """Let the process end without waiting for it (the reader thread reaps it)."""
        self.retired = True
        self.send(("quit",))
        with contextlib.suppress(OSError, ValueError):
            if self.process.stdin:
                self.process.stdin.close()

    def stop(self) -> None:
        self.send(("quit",))
        try:
            if self.process.stdin:
                self.process.stdin.close()
            self.process.wait(timeout=2)
        except Exception:
            self.process.kill()
            self.process.wait()
        self.release_buffer()

    def release_buffer(self) -> None:
        if self.tile_buffer is None:
            return
        mapped, self.tile_buffer = self.tile_buffer, None
        with contextlib.suppress(OSError, ValueError, BufferError):
            mapped.close()  # refused while a reader still holds a view: then freed with it


class TileCache:
    """Rendered tiles, least recently used dropped first, bounded in bytes."""

    def __init__(self, budget_bytes: int = 256 * 1024 * 1024) -> None:
        self.budget = budget_bytes
        self.used = 0
        self._tiles: OrderedDict[TileKey, tuple[QImage | None, Any, int, tuple[int, int, int, int]]] = (
            OrderedDict()
        )

    def get(self, key: TileKey) -> tuple[QImage | None, tuple[int, int, int, int]] | None:
        entry = self._tiles.get(key)
        if entry is None:
            return None
        self._tiles.move_to_end(key)
        return entry[0], entry[3]

    def __contains__(self, key: TileKey) -> bool:
        return key in self._tiles

    def put(
        self, key: TileKey, image: QImage | None, keep_alive: Any, rect: tuple[int, int, int, int]
    ) -> None:
        size = image.sizeInBytes() if image is not None else 64
        old = self._tiles.pop(key, None)
        if old is not None:
            self.used -= old[2]
        self._tiles[key] = (image, keep_alive, size, rect)
        self.used += size
        while self.used > self.budget and len(self._tiles) > 1:
            _, dropped = self._tiles.popitem(last=False)
            self.used -= dropped[2]

    def keys_for_page(self, page: int) -> list[TileKey]:
        return [k for k in self._tiles if k[0] == page]

    def clear(self) -> None:
        self._tiles.clear()
        self.used = 0


class RenderPool(QObject):
    """Renders tiles and extracts page text in worker processes for one open document."""

    tileReady = Signal(object)  # TileKey
    textReady = Signal(object)  # PageText
    failed = Signal(str)  # the workers could not open the document
    opened = Signal(int, object)  # generation, the document's summary (when one was asked)
    tileTimed = Signal(object, float)  # TileKey, CPU ms the worker spent rendering it
    featuresReady = Signal(object)  # {page: PageRenderFeatures}

    def __init__(self, render_workers: int = 2, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bridge = Mailbox(lambda item: self._on_message(*item), self)
        self._ids = itertools.count(1)
        self._generation = 0
        self._document: tuple[str, str | None] | None = None
        self._render_count = render_workers
        self._workers: list[_Worker] = []
        self._text_worker_index = render_workers  # the last worker extracts text
        self._deaths: dict[int, int] = {}
        self._crashes: dict[TileKey, int] = {}
        self.cache = TileCache()
        self._tile_queue: list[TileKey] = []
        self._feature_queue: list[list[int]] = []
        self._text_queue: list[int] = []
        self._requests: dict[int, tuple[str, Any]] = {}
        self._in_flight_keys: set[TileKey] = set()
        self.errors: dict[TileKey, str] = {}

    def deliver_now(self) -> None:
        """Handle the workers' replies that have arrived (GUI thread), without waiting for the
        event loop: the window asks before it is shown (see ``PageView.request_first_screen``)."""
        self._bridge.deliver_now()

    @property
    def warm(self) -> bool:
        """A worker has opened a document since it started (it can take requests at once)."""
        return self._warm

    _warm = False

    @property
    def started(self) -> bool:
        return bool(self._workers)

    def start(self) -> None:
        """Start the worker processes now (they take a few hundred ms to import MuPDF)."""
        self._ensure_workers()

    def _ensure_workers(self) -> None:
        while len(self._workers) < self._render_count + 1:
            self._workers.append(self._spawn(len(self._workers)))
        for index, worker in enumerate(self._workers):
            if worker.retired:  # the text worker, ended after the last document's text
                self._workers[index] = self._spawn(index)

    def _spawn(self, index: int) -> _Worker:
        # Workers yield the CPU to the window (a laptop has few cores); text extraction,
        # needed only for find and selection, yields to rendering too.
        text = index == self._text_worker_index
        return _Worker(index, self._bridge, 10 if text else 4, renders=not text)

    def adopt(self, head: HeadStart) -> None:
        """Take a worker that already opens ``head.path`` as the first render worker; the
        others start at the next ``open`` (after the first screen)."""
        assert not self._workers
        self._workers.append(_Worker(0, self._bridge, 4, adopted=head))
        self._generation = FIRST_GENERATION
        self._document = (head.path, None)

    def open(self, path: str, password: str | None) -> None:
        self._ensure_workers()
        self._generation += 1
        self._document = (path, password)
        self.errors.clear()
        self._tile_queue = []
        self._feature_queue = []
        self._text_queue = []
        self._requests.clear()
        self._in_flight_keys.clear()
        for worker in self._workers:
            worker.in_flight = None
            worker.texts_ahead = []
            worker.send(("open", self._generation, path, password))

    def request_tiles(self, keys: list[TileKey]) -> None:
        """The tiles wanted now, most urgent first; anything queued before is dropped."""
        self._tile_queue = [k for k in keys if k not in self.cache and k not in self._in_flight_keys]
        self._dispatch()

    def request_texts(self, pages: list[int]) -> None:
        """Page texts, one reply each; then the text worker ends (its memory is given back:
        the window builds the flow from the page texts it keeps)."""
        self._text_queue = list(pages)
        self._dispatch()
        self._retire_text_worker_when_done()

    def _retire_text_worker_when_done(self) -> None:
        if self._text_queue or self._text_worker_index >= len(self._workers):
            return
        worker = self._workers[self._text_worker_index]
        if worker.in_flight is None and not worker.texts_ahead and not worker.retired:
            worker.retire()

    def text_worker_alive(self) -> bool:
        """The text worker's process is running (for tests: it ends once the text is in)."""
        if self._text_worker_index >= len(self._workers):
            return False
        return self._workers[self._text_worker_index].process.poll() is None

    def is_idle(self) -> bool:
        return not self._tile_queue and not self._in_flight_keys

    def text_pending(self) -> bool:
        return bool(self._text_queue) or any(r[0] == "text" for r in self._requests.values())

    def _dispatch(self) -> None:
        if self._document is None:
            return
        for worker in self._workers:
            if worker.in_flight is not None or worker.retired:
                continue
            if worker.index == self._text_worker_index:
                self._send_texts(worker)
                continue
            if self._tile_queue:
                key = self._tile_queue.pop(0)
                self._in_flight_keys.add(key)
                request_id = next(self._ids)
                self._send(worker, ("tile", key), ("tile", request_id, key[0], key[1], key[2]))
            elif self._feature_queue:  # only when no tile waits
                pages = self._feature_queue.pop(0)
                self._send(worker, ("features", pages), ("features", next(self._ids), pages))
            elif self._text_queue and self._reads_text_when_idle(worker):
                page = self._text_queue.pop(0)
                self._send(worker, ("text", page), ("text", next(self._ids), page))

    def _send_texts(self, worker: _Worker) -> None:
        """Keep the text-only worker TEXT_AHEAD pages ahead: one page in flight, the next ones
        waiting in its pipe. With one at a time it waited for the window between pages, and a
        window busy building the flow (1,000 pages) left it idle most of the time."""
        while self._text_queue and len(worker.texts_ahead) < TEXT_AHEAD and not worker.retired:
            page = self._text_queue.pop(0)
            request_id = next(self._ids)
            self._requests[request_id] = ("text", page)
            worker.texts_ahead.append(page)
            if not worker.send(("text", request_id, page)):
                self._requests.pop(request_id, None)
                self._on_death(worker)
                return

    def _reads_text_when_idle(self, worker: _Worker) -> bool:
        """The last of several render workers reads page text while no tile waits: the text
        of a long document comes in about twice as fast (two processes read it), and the
        first render worker stays free for the tiles a scroll asks for."""
        return self._render_count >= 2 and worker.index == self._render_count - 1

    def _send(self, worker: _Worker, what: tuple[str, Any], message: tuple[Any, ...]) -> None:
        request_id = message[1]
        worker.in_flight = what
        self._requests[request_id] = what
        if not worker.send(message):
            worker.in_flight = None
            self._requests.pop(request_id, None)
            self._respawn(worker.index)

    def _on_message(self, index: int, message: tuple[Any, ...]) -> None:
        kind = message[0]
        worker = self._workers[index] if index < len(self._workers) else None
        if worker is None:
            return
        if kind == "died":
            self._on_death(worker)
            return
        if kind == "opened":
            self._warm = True
            if len(message) > 3 and message[1] == self._generation:
                emit(self.opened, message[1], message[3])
            return
        request = self._requests.pop(message[1], None)
        if kind == "error" and request is None:
            if message[1] == self._generation:
                emit(self.failed, str(message[2]))
            return
        if request is None:
            return  # a reply for a document closed since
        if request[0] == "text" and request[1] in worker.texts_ahead:
            worker.texts_ahead.remove(request[1])
        else:
            worker.in_flight = None
        if kind == "tile":
            key = request[1]
            self._in_flight_keys.discard(key)
            image, samples = message[3]
            self.cache.put(key, image, samples, message[2])
            emit(self.tileTimed, key, float(message[4]))
            emit(self.tileReady, key)
        elif kind == "text":
            emit(self.textReady, message[2])
        elif kind == "features":
            emit(self.featuresReady, message[2])
        elif kind == "error" and request[0] == "tile":
            key = request[1]
            self._in_flight_keys.discard(key)
            self.errors[key] = str(message[2])
            self.cache.put(key, None, None, key[2])
            emit(self.tileReady, key)
        self._dispatch()
        if request[0] == "text":
            self._retire_text_worker_when_done()

    def _on_death(self, worker: _Worker) -> None:
        """A worker crashed (MuPDF can, on hostile files): a fresh worker takes its place and
        retries the tile once; a tile that kills two workers becomes an error tile."""
        if worker.in_flight and worker.in_flight[0] == "tile":
            key = worker.in_flight[1]
            self._in_flight_keys.discard(key)
            self._crashes[key] = self._crashes.get(key, 0) + 1
            if self._crashes[key] >= 2:
                self.errors[key] = "the renderer stopped on this page"
                self.cache.put(key, None, None, key[2])
                emit(self.tileReady, key)
            else:
                self._tile_queue.insert(0, key)
        elif worker.in_flight and worker.in_flight[0] == "text":
            self._text_queue.insert(0, worker.in_flight[1])
        if worker.texts_ahead:
            self._text_queue[:0] = worker.texts_ahead
            lost = set(worker.texts_ahead)
            for request_id in [i for i, r in self._requests.items() if r[0] == "text" and r[1] in lost]:
                del self._requests[request_id]
        worker.in_flight = None
        worker.texts_ahead = []
        self._respawn(worker.index)

    def _respawn(self, index: int) -> None:
        if self._closing:
            return
        self._deaths[index] = self._deaths.get(index, 0) + 1
        if self._deaths[index] > 5:
            return
        old = self._workers[index]
        with contextlib.suppress(Exception):
            old.process.kill()
        old.release_buffer()
        fresh = self._spawn(index)
        self._workers[index] = fresh
        if self._document is not None:
            fresh.send(("open", self._generation, *self._document))
        self._dispatch()

    _closing = False

    def shutdown(self) -> None:
        self._closing = True
        for worker in self._workers:
            worker.stop()
        self._workers = []

    # --- render-local: tiles the window drew itself (page_view, local_render) -------------
    def request_features(self, pages: list[int], chunk: int = 16) -> None:
        """Render costs of pages (``page_render_features``), read by idle render workers a
        few pages at a time (~5 ms each), so that a tile never waits long behind them."""
        self._feature_queue = [pages[i : i + chunk] for i in range(0, len(pages), chunk)]
        self._dispatch()

    def is_in_flight(self, key: TileKey) -> bool:
        return key in self._in_flight_keys

    def put_rendered(
        self, key: TileKey, image: QImage, rect: tuple[int, int, int, int], keep_alive: Any = None
    ) -> None:
        """``keep_alive``: what owns the image's pixels (a MuPDF pixmap), dropped with it."""
        self.errors.pop(key, None)
        self.cache.put(key, image, keep_alive, rect)

    def put_error(self, key: TileKey, message: str) -> None:
        """The same error tile a worker's failure gives."""
        self.errors[key] = message
        self.cache.put(key, None, None, key[2])
