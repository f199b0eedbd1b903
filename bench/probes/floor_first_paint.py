"""The floor of a cold start: a minimal PySide6 + PyMuPDF program showing page 1 in a QLabel.

Usage: floor_first_paint.py PDF ZOOM [--hold-ms N]. Prints one JSON line: the wall-clock time of
the first paint of the label holding the page, and the process's peak RSS (MB) when it quits.
"""

from __future__ import annotations

import json
import sys
import time

import pymupdf
from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QApplication, QLabel

from bench.probes.proc_memory import vm_hwm_mb


def main() -> None:
    path, zoom = sys.argv[1], float(sys.argv[2])
    app = QApplication(sys.argv[:1])
    doc = pymupdf.open(path)
    pix = doc[0].get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False)
    image = QImage(pix.samples, pix.width, pix.height, pix.stride, QImage.Format.Format_RGB888)
    painted: dict[str, float] = {}

    class PageLabel(QLabel):
        def paintEvent(self, event: object) -> None:  # noqa: N802 (Qt's name)
            super().paintEvent(event)  # type: ignore[arg-type]
            if "at" not in painted:
                painted["at"] = time.time()
                QTimer.singleShot(0, app.quit)

    label = PageLabel()
    label.setPixmap(QPixmap.fromImage(image))
    label.resize(pix.width, pix.height)
    label.show()
    app.exec()
    print(json.dumps({"painted": painted["at"], "peak_rss_mb": vm_hwm_mb(), "pages": doc.page_count}))


if __name__ == "__main__":
    main()
