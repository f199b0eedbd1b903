"""First page on screen, seen from OUTSIDE the program: frames of a real X server.

Usage: x_first_frame.py PDF DB (app|floor) [--seconds S] [--framebuffer FILE] [--interval MS]
[--save PNG]. Runs on the X display in $DISPLAY (the bench starts Xvfb). This process takes one
frame of the screen, then launches the program (``reviewer open PDF`` as a user types it, or
the minimal PySide6 + PyMuPDF program showing page 1) and takes frames for S seconds. Each
frame is kept at 320 x 200 (nearest pixel). The program is then stopped; the first page is "on
screen" at the first frame whose page region (found in the last frame: the widest run of
mostly white columns, then of mostly white rows) matches the last frame's at 97 % or more; the
first frame whose whole screen matches is reported too (``settled_s``: the panel's rows and an
outline filling in come after the page). Prints one JSON line: seconds from launch to those
frames (the mid-time of their grab), the page region, the grab interval, frames, and the CPU
seconds this observer spent taking them.

Where the frames come from. With ``--framebuffer`` (what the bench passes: Xvfb started with
``-fbdir`` keeps its screen in that file, in XWD format) a frame is read from the server's own
memory, mapped here: 0.4 ms of this process's CPU and none of the server's, every
``--interval`` ms (default 4). Without it, each frame is asked of the server (``grabWindow``:
a 6.4 MB GetImage of 1600 x 1000), as fast as it answers. That way is what a screen recorder
does, and it is the observer that changes what it observes: measured on the bench machine's
2 cores, the server and this process then spent 1.4 cores on the grabs, and every drawing
request of the program under test waited in the server's queue behind a 6.4 MB copy. The
launch of a program with two processes (Reviewer: the window and its render worker) suffered
more from that than the one-process floor, so the figure measured the observer.
"""

from __future__ import annotations

import json
import mmap
import os
import signal
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage

MATCH = 0.97
WIDTH, HEIGHT = 320, 200  # the frames are kept this small
FLOOR = """
import sys, pymupdf
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv[:1])
doc = pymupdf.open(sys.argv[1])
pix = doc[0].get_pixmap(matrix=pymupdf.Matrix(1.5, 1.5), alpha=False)
image = QImage(pix.samples, pix.width, pix.height, pix.stride, QImage.Format.Format_RGB888)
label = QLabel()
label.setPixmap(QPixmap.fromImage(image))
label.resize(pix.width, pix.height)
label.show()
app.exec()
"""


class Framebuffer:
    """The screen as Xvfb keeps it with ``-fbdir``: an XWD file (header, colour map, pixels)."""

    def __init__(self, path: str) -> None:
        with open(path, "rb") as handle:
            fields = struct.unpack(">25I", handle.read(100))
            self.map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        header_size, depth, width, height = fields[0], fields[3], fields[4], fields[5]
        byte_order, bits_per_pixel, bytes_per_line, ncolors = fields[7], fields[11], fields[12], fields[19]
        if depth != 24 or bits_per_pixel != 32 or byte_order != 0:
            raise SystemExit(f"{path}: a 24-bit screen of 32-bit LSB-first pixels is expected")
        self.pixels = memoryview(self.map)[header_size + 12 * ncolors :]
        self.width, self.height, self.stride = width, height, bytes_per_line

    def grabWindow(self, _window: int = 0) -> QImage:  # noqa: N802 - the QScreen method it stands for
        return QImage(self.pixels, self.width, self.height, self.stride, QImage.Format.Format_RGB32)


def frame(screen: object) -> bytes:
    image = screen.grabWindow(0)  # type: ignore[attr-defined]
    small = image.scaled(
        WIDTH, HEIGHT, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.FastTransformation
    )
    small = small.toImage() if not isinstance(small, QImage) else small
    return bytes(small.convertToFormat(QImage.Format.Format_RGB32).constBits())


def match(a: bytes, b: bytes, box: tuple[int, int, int, int] | None = None) -> float:
    """The share of pixels (of ``box``: x0, y0, x1, y1 in the small frame) alike in both."""
    if box is None:
        pixels = len(a) // 4
        same = sum(1 for i in range(0, len(a), 4) if a[i : i + 3] == b[i : i + 3])
        return same / pixels
    x0, y0, x1, y1 = box
    same = total = 0
    for y in range(y0, y1):
        for x in range(x0, x1):
            i = (y * WIDTH + x) * 4
            total += 1
            same += a[i : i + 3] == b[i : i + 3]
    return same / max(1, total)


def _longest_run(flags: list[bool]) -> tuple[int, int]:
    best, start = (0, 0), None
    for i, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            if i - start > best[1] - best[0]:
                best = (start, i)
            start = None
    return best


def page_box(final: bytes) -> tuple[int, int, int, int] | None:
    """Where the page is in the settled frame: the widest run of columns that are mostly
    near-white (the page; the view's grey margins part it from the outline and the panel),
    then the longest run of mostly white rows within those columns."""

    def white(x: int, y: int) -> bool:
        i = (y * WIDTH + x) * 4
        return min(final[i : i + 3]) >= 235

    columns = [sum(white(x, y) for y in range(HEIGHT)) > HEIGHT * 0.4 for x in range(WIDTH)]
    x0, x1 = _longest_run(columns)
    if x1 - x0 < WIDTH // 8:
        return None
    rows = [sum(white(x, y) for x in range(x0, x1)) > (x1 - x0) * 0.5 for y in range(HEIGHT)]
    y0, y1 = _longest_run(rows)
    return (x0, y0, x1, y1) if y1 - y0 >= HEIGHT // 8 else None


def main() -> None:
    pdf, db, which = sys.argv[1], sys.argv[2], sys.argv[3]
    seconds = float(sys.argv[sys.argv.index("--seconds") + 1]) if "--seconds" in sys.argv else 6.0
    interval = float(sys.argv[sys.argv.index("--interval") + 1]) / 1000 if "--interval" in sys.argv else None
    if "--framebuffer" in sys.argv:
        screen: object = Framebuffer(sys.argv[sys.argv.index("--framebuffer") + 1])
        interval = 0.004 if interval is None else interval
    else:
        app = QGuiApplication(sys.argv[:1])
        screen = app.primaryScreen()
        interval = interval or 0.0
    blank = frame(screen)
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)  # the real X server
    config = tempfile.mkdtemp(prefix="x-first-frame-")
    env["REVIEWER_CONFIG_DIR"] = config
    if which == "app":
        from reviewer.core.pdf import sha256_of_file

        settings = {
            "reviewer_name": "Bench Reviewer",
            "reviewer_id": "00000000-0000-4000-8000-00000000be0c",
            "opened_documents": [sha256_of_file(pdf)],
        }
        Path(config, "settings.json").write_text(json.dumps(settings), "utf-8")
        command = [sys.executable, "-m", "reviewer", "--db", db, "open", pdf]
    else:
        command = [sys.executable, "-c", FLOOR, pdf]
    frames: list[tuple[float, bytes]] = []
    launched = time.time()
    cpu = time.process_time()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while time.time() - launched < seconds:
        before = time.time()
        data = frame(screen)
        frames.append(((before + time.time()) / 2 - launched, data))
        rest = interval - (time.time() - before)
        if rest > 0:
            time.sleep(rest)
    cpu = time.process_time() - cpu
    if "--save" in sys.argv:  # the settled screen, to look at
        screen.grabWindow(0).save(sys.argv[sys.argv.index("--save") + 1])  # type: ignore[attr-defined]
    child.send_signal(signal.SIGTERM)
    try:
        child.wait(timeout=10)
    except subprocess.TimeoutExpired:
        child.kill()
    final = frames[-1][1]
    shown = match(blank, final) < MATCH  # else the program showed nothing in time
    first = next((t for t, data in frames if match(data, final) >= MATCH), None) if shown else None
    # the first page itself: the first frame whose page region is the settled one's (what is
    # drawn around it later, the panel's rows or an outline filling in, does not count)
    box = page_box(final) if shown else None
    page = next((t for t, data in frames if match(data, final, box) >= MATCH), None) if box else None
    intervals = [b[0] - a[0] for a, b in zip(frames, frames[1:], strict=False)]
    print(
        json.dumps(
            {
                "first_page_s": page,
                "settled_s": first,
                "page_box": box,
                "frames": len(frames),
                "observer_cpu_s": round(cpu, 3),
                "source": "framebuffer" if isinstance(screen, Framebuffer) else "grabWindow",
                "grab_interval_ms": 1000 * sorted(intervals)[len(intervals) // 2] if intervals else None,
                "which": which,
            }
        )
    )


if __name__ == "__main__":
    main()
