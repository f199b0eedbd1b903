"""Reviewer's cold start, as ``reviewer open PDF`` does it, until page 1 is painted.

Usage: app_first_paint.py PDF DB [--memory] [--opened SHA256]. Starts the head-start render
worker (what ``reviewer.cli.launch`` does first for ``reviewer open PDF``, which does not load the
command-line parser), then does what ``run_app`` does, and watches the page view's viewport:
the first paint that happens once every visible tile of the page is in the tile cache is the
first page painted. Prints one JSON line with its wall-clock time and the page scale. ``--opened``
says the app opened this PDF before (its hash is in the settings), as for a reviewer coming
back to a document whose review is in the database: no crash probe before it opens.

With ``--memory`` it keeps going until the document's text is extracted and the annotation
panel (if the window has one) is filled, then prints the peak RSS of the window's process
and of each of its worker processes (VmHWM from /proc, read at every 50 ms sample too, so a
worker that ends before the text is loaded, the text worker, is counted), the number the
memory budget is about.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from bench.probes.proc_memory import vm_hwm_mb


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            text = Path(f"/proc/{pid}/task/{task}/children").read_text()
        except OSError:
            continue
        for child in text.split():
            found.append(int(child))
            found.extend(_children(int(child)))
    return found


def _pss_mb(pid: int) -> float:
    """Proportional set size: shared library pages split between the processes sharing them."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def main() -> None:
    pdf, db = sys.argv[1], Path(sys.argv[2])
    memory = "--memory" in sys.argv[3:]
    from reviewer.ui import head_start

    head_start.begin(pdf)  # what reviewer.cli.launch does first for `reviewer open PDF`
    from PySide6.QtCore import QEvent, QObject, QTimer

    import reviewer.cli.launch  # noqa: F401  (the `reviewer` command's entry point)
    from reviewer.core.settings import Settings
    from reviewer.ui.app import application, create_main_window

    app = application()
    settings = Settings(reviewer_name="Bench Reviewer", reviewer_id="00000000-0000-4000-8000-00000000be0c")
    if "--opened" in sys.argv:  # a returning reviewer: this app opened the PDF before
        settings.opened_documents = [sys.argv[sys.argv.index("--opened") + 1]]
    window = create_main_window(
        pdf, db, "Bench Reviewer", None, settings=settings, remember=False, panel_after_first_paint=True
    )  # as run_app (`reviewer open`) does
    view = window.view
    state: dict[str, float] = {}
    worker_peaks: dict[int, float] = {}  # every worker seen, in start order: its own VmHWM

    class PaintWatch(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
            if event.type() == QEvent.Type.Paint and "painted" not in state and view.is_idle():
                # This paint draws page 1 from its tiles; note the time once it is done.
                QTimer.singleShot(0, first_paint_done)
                state["painted"] = -1.0
            # Not a literal False: returning it here has crashed PySide6 6.12 with a refcount
            # error on Py_False after a few thousand events.
            return super().eventFilter(obj, event)

    def first_paint_done() -> None:
        state["painted"] = time.time()
        view.viewport().removeEventFilter(watch)
        sample_memory()
        if not memory:
            app.quit()
        else:
            poll.start(50)

    def memory_ready() -> None:
        # The whole app's resident memory at this moment (window + workers), its peak kept.
        children = _children(os.getpid())
        now = sum(_pss_mb(p) for p in [os.getpid(), *children])
        state["total_rss_peak_mb"] = max(state.get("total_rss_peak_mb", 0.0), now)
        for pid in children:  # a worker that ends before the last sample (the text worker)
            worker_peaks[pid] = max(worker_peaks.get(pid, 0.0), vm_hwm_mb(pid))
        if view.text_flow() is None:
            return
        state.setdefault("text_ready", time.time())
        if time.time() - state["text_ready"] < 1.0:  # let the panel and outline settle
            return
        poll.stop()
        sample_memory()
        app.quit()

    def sample_memory() -> None:
        """Peaks of the window's process and its render workers (read before they stop)."""
        for pid in _children(os.getpid()):
            worker_peaks[pid] = max(worker_peaks.get(pid, 0.0), vm_hwm_mb(pid))
        state["peak_rss_mb"] = vm_hwm_mb(os.getpid())
        state["workers"] = len(worker_peaks)
        state["each_worker_peak_rss_mb"] = [round(peak, 1) for peak in worker_peaks.values()]  # type: ignore[assignment]
        state["workers_peak_rss_mb"] = sum(worker_peaks.values())

    watch = PaintWatch()
    view.viewport().installEventFilter(watch)
    poll = QTimer()
    poll.timeout.connect(memory_ready)
    window.show()
    timeout = QTimer()
    timeout.setSingleShot(True)
    timeout.timeout.connect(app.quit)
    timeout.start(120_000)
    app.exec()
    result = {
        "painted": state.get("painted", 0.0),
        "text_ready": state.get("text_ready"),
        "scale": float(view._layout.scale),
        "zoom": float(view.zoom()),
        "peak_rss_mb": state.get("peak_rss_mb", 0.0),
        "workers": state.get("workers", 0),
        "workers_peak_rss_mb": state.get("workers_peak_rss_mb", 0.0),
        "each_worker_peak_rss_mb": state.get("each_worker_peak_rss_mb", []),
        "total_rss_peak_mb": state.get("total_rss_peak_mb", 0.0),
        "panel": type(window.panel_dock.widget()).__name__ if hasattr(window, "panel_dock") else None,
    }
    print(json.dumps(result), flush=True)
    if hasattr(view, "shutdown"):
        view.shutdown()
    os._exit(0)


if __name__ == "__main__":
    main()
