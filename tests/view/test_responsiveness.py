"""Acceptance test of issue 3: the event loop never stalls while a 700-page document scrolls,
its text is extracted and a heavy page renders at 400 %.

Rendering and text extraction run in worker processes; the flow is built between events. A
5 ms QTimer records the longest gap between its ticks. The figure is printed (run with -s).
The machine is shared, so up to two more runs absorb a scheduling hiccup of the OS; every
run's figure is printed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QElapsedTimer, QTimer

from .conftest import wait_rendered

ESSA = "us-crpt-114hrpt354-essa-conference-report.pdf"
BUDGET_MS = 50
ATTEMPTS = 3  # the machine is shared: another process can deschedule us for a moment


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


def test_event_loop_never_blocked_over_50ms(make_window, corpus_copy, qtbot, capsys) -> None:
    path: Path = corpus_copy(ESSA)
    window = make_window(path, size=(1100, 800))
    assert window.view.page_count() == 752
    runs: list[int] = []
    for attempt in range(ATTEMPTS):
        if attempt:
            window.open_document(str(path))  # a fresh start: text extraction runs again
        wait_rendered(qtbot, window, timeout=30000)
        worst, ticks = exercise(window, qtbot)
        assert ticks > 100
        runs.append(worst)
        if worst <= BUDGET_MS:
            break
    with capsys.disabled():
        print(f"\n[responsiveness] worst event-loop gap per run: {runs} ms (budget {BUDGET_MS} ms)")
    assert not window.view.tile_errors()
    assert min(runs) <= BUDGET_MS, f"event loop blocked: worst gaps {runs} ms"
