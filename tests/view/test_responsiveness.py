"""The window stays live while a 700-page document scrolls, its text is extracted, a heavy page
renders at 400 % and find streams its hits.

Rendering and text extraction run in worker processes; the flow is built between events. A
5 ms QTimer records the longest gap between its ticks; the figure is printed (run with -s).
The 50 ms budget is the benchmark's (``python -m bench --scenarios scroll_stall``), measured as
a ratio beside a bare Qt program on the same machine: the developers' guide keeps timed
budgets out of the suite, and on this shared machine the same code measured 27-32 ms one day
and 84-144 ms another (the code of 4a636f9, unchanged). Here the test asserts what holds on any
machine: every tile rendered, every hit found, the timer kept ticking, and no freeze (a gap of
FREEZE_MS or more).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QElapsedTimer, QTimer

from .conftest import wait_rendered

ESSA = "us-crpt-114hrpt354-essa-conference-report.pdf"
BUDGET_MS = 50  # the benchmark's budget, printed beside the figure
FREEZE_MS = 2000  # a window that does not answer for two seconds is frozen, on any machine


class GapMeter:
    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.last = 0
        self.worst = 0
        self.ticks = 0
        self.phase = "start"
        self.long: list[tuple[str, int]] = []

    def start(self) -> None:
        self.clock.start()
        self.last = 0
        self.timer.start()

    def _tick(self) -> None:
        now = self.clock.elapsed()
        gap = now - self.last
        self.worst = max(self.worst, gap)
        if gap > 30:
            self.long.append((self.phase, gap))
        self.last = now
        self.ticks += 1

    def stop(self) -> None:
        self.timer.stop()


def exercise(window, qtbot) -> tuple[int, int]:
    view = window.view
    meter = GapMeter()
    meter.start()
    bar = view.verticalScrollBar()
    # fast wheel-like scrolling for about two seconds
    meter.phase = "scroll"
    for _ in range(120):
        bar.setValue(bar.value() + 90)
        qtbot.wait(16)
    # jumps far through the document while text extraction still runs
    meter.phase = "jumps"
    for page in (150, 300, 450, 600, 751, 10):
        view.go_to_page(page)
        qtbot.wait(120)
    # the heavy first page at 400 %
    meter.phase = "400%"
    view.go_to_page(0)
    view.set_zoom(4.0)
    qtbot.waitUntil(view.is_idle, timeout=60000)
    meter.phase = "waiting for text"
    view.flowReady.connect(lambda: setattr(meter, "phase", "text ready"))
    qtbot.waitUntil(lambda: view.text_flow() is not None, timeout=120000)
    # find over the whole report, hits streaming in, then walking through a few of them
    meter.phase = "find"
    finder = window.finder
    finder.search("State educational agency", immediately=True)
    qtbot.waitUntil(lambda: finder.finished, timeout=30000)
    for _ in range(5):
        finder.next()
        qtbot.wait(30)
    qtbot.wait(100)
    meter.stop()
    flow = view.text_flow()
    assert len(finder.hits) == flow.key_folded.count("state educational agency") > 100
    print("long gaps (phase, ms):", meter.long)
    return meter.worst, meter.ticks


def test_the_window_stays_live_while_a_long_report_loads(
    make_window, corpus_copy, qtbot, capsys, monkeypatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    dialogs: list[str] = []  # a dialog (the crash probe timing out on a slow machine) would wait
    monkeypatch.setattr(QMessageBox, "exec", lambda box: dialogs.append(box.text()) or 0)
    path: Path = corpus_copy(ESSA)
    window = make_window(path, size=(1100, 800))
    assert window.view.page_count() == 752
    wait_rendered(qtbot, window, timeout=30000)
    worst, ticks = exercise(window, qtbot)
    with capsys.disabled():
        print(f"\n[responsiveness] worst event-loop gap: {worst} ms (the benchmark's budget: {BUDGET_MS} ms)")
    assert dialogs == []
    assert ticks > 100
    assert not window.view.tile_errors()
    assert worst < FREEZE_MS, f"the window froze for {worst} ms"
