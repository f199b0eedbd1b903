"""First page on screen, seen from OUTSIDE the program: frames of a real X server.

Usage: x_first_frame.py PDF DB (app|floor) [--seconds S] [--save PNG]. Runs on the X display in $DISPLAY
(the bench starts Xvfb). This process loads Qt first, grabs the screen once, then launches the
program (``reviewer open PDF`` as a user types it, or the minimal PySide6 + PyMuPDF program
showing page 1) and grabs the whole screen as fast as it can for S seconds. Each frame is kept
at 320 x 200 (nearest pixel). The program is then stopped; the first page is "on screen" at the
first frame whose pixels match the last frame's at 97 % or more (the page is most of what
changes; the panel's rows filling in later change only their text's pixels). Prints one JSON
line: seconds from launch to that frame (the mid-time of its grab), the grab interval, frames.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage

MATCH = 0.97
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


def frame(screen: object) -> bytes:
    image = screen.grabWindow(0)  # type: ignore[attr-defined]
    small = image.scaled(
        320, 200, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.FastTransformation
    )
    small = small.toImage() if not isinstance(small, QImage) else small
    return bytes(small.convertToFormat(QImage.Format.Format_RGB32).constBits())


def match(a: bytes, b: bytes) -> float:
    pixels = len(a) // 4
    same = sum(1 for i in range(0, len(a), 4) if a[i : i + 3] == b[i : i + 3])
    return same / pixels


def main() -> None:
    pdf, db, which = sys.argv[1], sys.argv[2], sys.argv[3]
    seconds = float(sys.argv[sys.argv.index("--seconds") + 1]) if "--seconds" in sys.argv else 6.0
    app = QGuiApplication(sys.argv[:1])
    screen = app.primaryScreen()
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
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while time.time() - launched < seconds:
        before = time.time()
        data = frame(screen)
        frames.append(((before + time.time()) / 2 - launched, data))
    if "--save" in sys.argv:  # the settled screen, to look at
        screen.grabWindow(0).save(sys.argv[sys.argv.index("--save") + 1])
    child.send_signal(signal.SIGTERM)
    try:
        child.wait(timeout=10)
    except subprocess.TimeoutExpired:
        child.kill()
    final = frames[-1][1]
    shown = match(blank, final) < MATCH  # else the program showed nothing in time
    first = next((t for t, data in frames if match(data, final) >= MATCH), None) if shown else None
    intervals = [b[0] - a[0] for a, b in zip(frames, frames[1:], strict=False)]
    print(
        json.dumps(
            {
                "first_page_s": first,
                "frames": len(frames),
                "grab_interval_ms": 1000 * sorted(intervals)[len(intervals) // 2] if intervals else None,
                "which": which,
            }
        )
    )


if __name__ == "__main__":
    main()
