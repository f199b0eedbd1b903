"""Hostile PDFs in the window: a crash or hang of the reader is contained; links act only
through safe_link_target (page jumps; web links after confirmation; nothing else)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtTest import QTest

from reviewer.core.pdf_guard import ProbeResult

ROOT = Path(__file__).resolve().parents[2]


def hostile_pdf(tmp_path: Path) -> Path:
    spec = importlib.util.spec_from_file_location("hostile_pdf", ROOT / "tests/safety/hostile_pdf.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    path = tmp_path / "links.pdf"
    path.write_bytes(module.hostile_pdf_bytes())
    return path


def open_window(qtbot, pdf: Path, db: Path):  # type: ignore[no-untyped-def]
    from reviewer.ui.app import create_main_window

    window = create_main_window(str(pdf), db_path=db, remember=False)
    qtbot.addWidget(window)
    window.resize(1000, 800)
    window.show()
    qtbot.waitExposed(window)
    return window


def a_new_pdf(sample_pdf: Path, tmp_path: Path, name: str) -> Path:
    """A file this database has not seen (so the gate probes it)."""
    path = tmp_path / name
    path.write_bytes(sample_pdf.read_bytes() + f"\n% {name}\n".encode())
    return path


def test_a_crash_of_the_reader_gives_a_dialog_and_the_window_lives(
    qtbot, dialogs, db_path: Path, sample_pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window(qtbot, sample_pdf, db_path)
    shown = window.view.document()
    monkeypatch.setenv("REVIEWER_PROBE_FAULT", "crash")  # the real worker aborts (SIGABRT)
    crashing = a_new_pdf(sample_pdf, tmp_path, "crashes.pdf")
    assert window.open_document(str(crashing)) is False
    text = dialogs.last()
    assert text.startswith(f"{crashing}: the PDF reader crashed on this file (signal 6)")
    assert "Reviewer keeps running" in text
    assert window.view.document() is shown and window.isVisible()
    monkeypatch.delenv("REVIEWER_PROBE_FAULT")
    fine = a_new_pdf(sample_pdf, tmp_path, "fine.pdf")
    assert window.open_document(str(fine)) is True  # the app goes on opening files
    assert window.view.document() is not shown


def test_a_hang_is_cut_off(qtbot, dialogs, db_path: Path, sample_pdf: Path, tmp_path: Path) -> None:
    window = open_window(qtbot, sample_pdf, db_path)
    window.pdf_gate.probe = lambda path, password, timeout: ProbeResult(
        path, "timeout", f"{path}: reading the PDF did not finish within 20 s"
    )
    hanging = a_new_pdf(sample_pdf, tmp_path, "hangs.pdf")
    assert window.open_document(str(hanging)) is False
    assert dialogs.last().startswith(f"{hanging}: reading the PDF did not finish")


def test_known_documents_are_not_probed_again(
    qtbot, dialogs, db_path: Path, sample_pdf: Path, tmp_path: Path
) -> None:
    window = open_window(qtbot, sample_pdf, db_path)
    calls: list[str] = []
    real = window.pdf_gate.probe
    window.pdf_gate.probe = lambda p, pw, t: calls.append(p) or real(p, pw, t)
    new = a_new_pdf(sample_pdf, tmp_path, "new.pdf")
    assert window.open_document(str(new))
    assert window.open_document(str(sample_pdf))  # the bundled sample's bytes: trusted
    assert window.open_document(str(new))  # registered in the review now: not again
    assert calls == [str(new)]
    assert dialogs.texts == []


def test_a_copy_of_the_bundled_sample_is_never_probed(sample_pdf: Path, tmp_path: Path) -> None:
    """No database and no settings know it: its bytes alone make it trusted."""
    from types import SimpleNamespace

    from reviewer.core.settings import Settings
    from reviewer.ui.pdf_gate import PdfGate

    calls: list[str] = []
    window = SimpleNamespace(settings=Settings(), annotating=None)
    gate = PdfGate(window, probe=lambda p, pw, t: calls.append(p))  # type: ignore[arg-type, func-returns-value]
    assert not gate.needs_probe(str(sample_pdf))
    assert gate(str(sample_pdf), None)
    assert calls == []
    assert gate.needs_probe(str(a_new_pdf(sample_pdf, tmp_path, "new.pdf")))


def click_link(qtbot, window, page: int, x: float, y: float) -> None:  # type: ignore[no-untyped-def]
    view = window.view
    view.scroll_to(page, (x - 5, y - 5, x + 5, y + 5), record=False)
    qtbot.wait(50)
    point: QPoint = view.viewport_point(page, x, y).toPoint()
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)


# hostile_pdf.py: link n covers PDF y in [700 - 50n, 730 - 50n], x 72..300, on page 1 (y up).
def link_center(n: int) -> tuple[float, float]:
    return (186.0, 792.0 - (715.0 - 50 * n))


def test_links_follow_only_safe_targets(
    qtbot, dialogs, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    window = open_window(qtbot, hostile_pdf(tmp_path), db_path)
    view = window.view
    assert view.page_count() == 2
    # launch, launch-win, JavaScript action, javascript:, file:, smb:, GoToR, GoToE: nothing
    for n in range(8):
        click_link(qtbot, window, 0, *link_center(n))
    assert dialogs.texts == [] and opened == []
    assert view.current_page() == 0
    # the web link asks first; declined: the browser is not opened
    dialogs.answer_yes = False
    click_link(qtbot, window, 0, *link_center(8))
    assert "https://treaties.example.org/convention" in dialogs.last()
    assert "Open it in your web browser?" in dialogs.last()
    assert opened == []
    # accepted: opened once
    dialogs.answer_yes = True
    click_link(qtbot, window, 0, *link_center(8))
    assert opened == ["https://treaties.example.org/convention"]
    # the page link jumps at once, no question
    asked = len(dialogs.texts)
    click_link(qtbot, window, 0, *link_center(9))
    qtbot.waitUntil(lambda: view.current_page() == 1, timeout=5000)
    assert len(dialogs.texts) == asked


def _first_open(qtbot, pdf: Path, db: Path, probe):  # type: ignore[no-untyped-def]
    """`reviewer open` on a file this app never opened, with ``probe`` as the crash probe."""
    from reviewer.core.settings import Settings
    from reviewer.ui.app import create_main_window

    settings = Settings(reviewer_name="Ada Tester", reviewer_id="11111111-1111-4111-8111-111111111111")
    window = create_main_window(
        str(pdf), db_path=db, settings=settings, remember=False, panel_after_first_paint=True
    )
    window.pdf_gate.probe = probe  # the probe runs once the event loop does
    qtbot.addWidget(window)
    window.resize(1000, 800)
    window.show()
    return window


def test_a_file_never_seen_shows_its_first_page_while_the_probe_reads_it(
    qtbot, dialogs, db_path: Path, sample_pdf: Path, tmp_path: Path
) -> None:
    import time

    new = a_new_pdf(sample_pdf, tmp_path, "new.pdf")
    probed: list[str] = []

    def slow_probe(path: str, password: str | None, timeout: float) -> ProbeResult:
        probed.append(path)
        time.sleep(1.5)  # a long report's every page
        return ProbeResult(path, "ok", page_count=7)

    from PySide6.QtCore import QTimer

    window = _first_open(qtbot, new, db_path, slow_probe)
    view = window.view
    seen: list[tuple[bool, int, bool, tuple[float, ...]]] = []
    watch = QTimer()  # runs in the probe's nested event loop too: what the reader sees meanwhile
    watch.timeout.connect(
        lambda: seen.append(
            (view.document() is None, view.page_count(), view.is_idle(), tuple(view._layout.tops))
        )
    )
    watch.start(50)
    qtbot.waitUntil(lambda: view.document() is not None and view.is_idle(), timeout=15000)
    watch.stop()
    assert probed == [str(new)]
    painted_before_open = [s for s in seen if s[0] and s[1] == 7 and s[2]]
    assert painted_before_open, seen[:5]  # the first page was on screen during the probe
    assert tuple(view._layout.tops) == painted_before_open[-1][3]  # taken over, not laid out again
    assert window.annotating is not None and dialogs.texts == []


def test_a_file_the_probe_refuses_leaves_nothing_of_its_preview(
    qtbot, dialogs, db_path: Path, sample_pdf: Path, tmp_path: Path
) -> None:
    crashing = a_new_pdf(sample_pdf, tmp_path, "crashes.pdf")

    def crashed(path: str, password: str | None, timeout: float) -> ProbeResult:
        return ProbeResult(path, "crashed", f"{path}: the PDF reader crashed on this file (signal 11)")

    window = _first_open(qtbot, crashing, db_path, crashed)
    qtbot.waitUntil(lambda: bool(dialogs.texts), timeout=10000)
    assert dialogs.last().startswith(f"{crashing}: the PDF reader crashed on this file")
    qtbot.waitUntil(lambda: window.view.page_count() == 0, timeout=5000)
    assert window.view.document() is None and window.isVisible()
