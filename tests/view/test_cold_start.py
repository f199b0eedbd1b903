"""How `reviewer open` starts: the page first, the panel and the database right after it.

A document this app opened before is shown before the annotation panel is attached (the
panel's imports and queries would delay the first page by ~100 ms); one never opened here
goes through the crash probe, which asks the database, so the panel comes first. The boxes
of pages far from the start page are read after the first paint.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pymupdf
import pytest
from PySide6.QtCore import QEvent, QObject

from reviewer.core.pdf import open_pdf, sha256_of_file
from reviewer.core.review import Review
from reviewer.core.settings import Identity, Settings
from reviewer.ui.annotation_model import ID_ROLE
from reviewer.ui.layout import PageLayout

from .conftest import corpus_file

IDENTITY = Identity("11111111-1111-4111-8111-111111111111", "Ada Tester")


def _settings(*opened: str) -> Settings:
    return Settings(reviewer_name=IDENTITY.name, reviewer_id=IDENTITY.id, opened_documents=list(opened))


def test_a_known_document_paints_its_page_before_the_panel_then_shows_its_annotations(
    sample_pdf: Path, db_path: Path, qtbot
) -> None:
    from reviewer.ui.app import create_main_window

    review = Review.open(db_path, IDENTITY)
    with open_pdf(sample_pdf) as pdf:
        created = review.annotate_quote(pdf, "Statement of purpose", tags=["safeguard"], comment="first page")
    review.close()
    window = create_main_window(
        str(sample_pdf), db_path, IDENTITY.name, settings=_settings(sha256_of_file(sample_pdf)),
        remember=False, panel_after_first_paint=True,
    )  # fmt: skip
    qtbot.addWidget(window)
    view = window.view
    seen_at_first_page: list[object] = []
    first_screen: list[tuple[int, float, int]] = []

    class FirstPage(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
            if event.type() == QEvent.Type.Paint and view.is_idle() and not seen_at_first_page:
                seen_at_first_page.append(getattr(window, "annotating", None))
                first_screen.append((view.viewport().width(), view.zoom(), view.verticalScrollBar().value()))
            return super().eventFilter(obj, event)

    watch = FirstPage()
    view.viewport().installEventFilter(watch)
    assert getattr(window, "annotating", None) is None  # nothing of the panel before the page
    window.resize(1100, 800)
    window.show()
    qtbot.waitUntil(lambda: getattr(window, "annotating", None) is not None, timeout=10000)
    assert seen_at_first_page == [None]  # the page was on screen before the panel came
    controller = window.annotating
    assert controller.document_id is not None
    qtbot.waitUntil(lambda: created.id in controller._items, timeout=10000)
    model = controller.panel.model
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=10000)
    panel_ids = [model.index(row, 0).data(ID_ROLE) for row in range(model.rowCount())]
    assert created.id in panel_ids  # listed in the panel and drawn on the page
    # the panel took the room its placeholder had: the page did not move or re-render
    assert first_screen == [(view.viewport().width(), view.zoom(), view.verticalScrollBar().value())]
    assert view.document() is not None and view.is_idle()
    window.close()


@pytest.mark.parametrize(
    "corpus_name", [None, "pdfbox-rotations-90-180-270.pdf", "sf-latex-two-column.pdf", "us-crpt-118hrpt728.pdf"]
)  # ours, rotated pages, LaTeX two columns, a GPO-typeset report
def test_the_first_screen_is_asked_of_the_worker_before_the_window_is_shown_at_its_final_size(
    sample_pdf: Path, db_path: Path, qtbot, tmp_path: Path, corpus_name: str | None
) -> None:
    """``reviewer open`` lays the window out before showing it and asks the head-start worker
    for the visible tiles then, so the worker renders while the window maps. The keys asked
    before show() must be the ones the shown window wants: one render of the first screen,
    not a second one at another scale."""
    import time

    from reviewer.ui.app import create_main_window

    if corpus_name is not None:
        sample_pdf = tmp_path / corpus_name
        shutil.copyfile(corpus_file(corpus_name), sample_pdf)
    window = create_main_window(
        str(sample_pdf), db_path, IDENTITY.name, settings=_settings(sha256_of_file(sample_pdf)),
        remember=False, panel_after_first_paint=True,
    )  # fmt: skip
    qtbot.addWidget(window)
    window.resize(1100, 800)
    view = window.view
    asked: list[tuple[bool, list[tuple[int, float, tuple[int, int, int, int]]]]] = []
    request_tiles = view._pool.request_tiles
    view._pool.request_tiles = lambda keys: (asked.append((window.isVisible(), list(keys))), request_tiles(keys))[1]
    deadline = time.monotonic() + 20
    while not view._pool._bridge._items and time.monotonic() < deadline:  # no event loop: as before exec()
        time.sleep(0.01)
    assert view._pool._bridge._items, "the head-start worker sent no summary"
    assert window.lay_out_before_show()
    view.request_first_screen()
    assert asked and asked[0][0] is False  # asked while the window was still hidden
    before_show = set(asked[0][1])
    window.show()
    view.request_first_screen()
    qtbot.waitUntil(view.is_idle, timeout=10000)
    visible = set(view._wanted_tiles(ahead=False))
    assert visible and visible <= before_show  # what the shown window wants was asked already
    scales = {scale for _, keys in asked for page, scale, _clip in keys if page == view.current_page()}
    assert scales == {scale for _page, scale, _clip in visible}  # one scale: nothing drawn twice
    window.close()


def test_a_window_shown_maximized_asks_for_its_first_screen_only_once_shown(
    sample_pdf: Path, db_path: Path, qtbot
) -> None:
    """A maximized window gets its size from show(): laid out before, the first screen would
    be asked for at the hidden size and drawn twice."""
    import time

    from PySide6.QtCore import Qt

    from reviewer.ui.app import create_main_window

    window = create_main_window(
        str(sample_pdf), db_path, IDENTITY.name, settings=_settings(sha256_of_file(sample_pdf)),
        remember=False, panel_after_first_paint=True,
    )  # fmt: skip
    qtbot.addWidget(window)
    window.setWindowState(Qt.WindowState.WindowMaximized)
    view = window.view
    asked: list[bool] = []
    request_tiles = view._pool.request_tiles
    view._pool.request_tiles = lambda keys: (asked.append(window.isVisible()), request_tiles(keys))[1]
    deadline = time.monotonic() + 20
    while not view._pool._bridge._items and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not window.lay_out_before_show()  # nothing laid out for a size it will not have
    window.show()
    view.request_first_screen()
    qtbot.waitUntil(view.is_idle, timeout=10000)
    assert asked and all(asked)  # every tile asked for once the window was shown
    window.close()


def test_a_document_never_opened_here_gets_the_panel_and_the_probe_first(
    tmp_path: Path, db_path: Path, qtbot
) -> None:
    from reviewer.ui.app import create_main_window

    pdf = tmp_path / "rotations.pdf"
    shutil.copyfile(corpus_file("pdfbox-rotations-90-180-270.pdf"), pdf)
    settings = _settings()
    from reviewer.ui import head_start

    head_start.begin(pdf)  # as `reviewer open` does before it knows the file must be probed
    early = head_start._waiting
    assert early is not None
    window = create_main_window(
        str(pdf), db_path, IDENTITY.name, settings=settings, remember=False, panel_after_first_paint=True
    )
    qtbot.addWidget(window)
    assert window.annotating is not None  # attached before the gate asked the database
    assert window.view.document() is None  # opened after the probe, once the loop runs
    workers = [w for w in window.view._pool._workers if w is not None]
    assert [w.process for w in workers] == [early.process]  # the head start shows page 1 meanwhile
    window.resize(1000, 700)
    window.show()
    qtbot.waitUntil(lambda: window.view.document() is not None, timeout=30000)
    assert window.pdf_gate.last is not None and window.pdf_gate.last.ok  # the probe ran
    assert settings.opened_documents == [sha256_of_file(pdf)]  # next time: the fast way
    window.close()


def test_a_head_start_for_another_file_does_not_linger(tmp_path: Path, db_path: Path, qtbot) -> None:
    from reviewer.ui import head_start
    from reviewer.ui.app import create_main_window

    pdf = tmp_path / "rotations.pdf"
    shutil.copyfile(corpus_file("pdfbox-rotations-90-180-270.pdf"), pdf)
    head_start.begin(pdf)
    early = head_start._waiting
    assert early is not None
    window = create_main_window(None, db_path, IDENTITY.name, settings=_settings(), remember=False)
    qtbot.addWidget(window)  # it opened the sample treaty, not the file the worker was started for
    assert early.process.wait(timeout=10) is not None
    window.close()


def _mixed_sizes_pdf(path: Path, pages: int) -> None:
    doc = pymupdf.open()
    for i in range(pages):
        width, height = (595, 842) if i % 3 else (842, 595)
        page = doc.new_page(width=width + i, height=height)
        page.insert_text((72, 72), f"Page {i + 1}")
        if i % 5 == 4:
            page.set_rotation(90)
    doc.save(path)
    doc.close()


def test_far_page_boxes_are_read_after_the_first_screen_and_nothing_visible_moves(
    tmp_path: Path, qtbot
) -> None:
    from reviewer.ui.page_view import EXACT_PAGES_AHEAD, PageView

    path = tmp_path / "mixed.pdf"
    _mixed_sizes_pdf(path, 60)
    document = open_pdf(path)
    view = PageView(render_workers=1)
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.set_document(document, page=20, zoom=1.0)
    assert view._geometry_exact == 20 + EXACT_PAGES_AHEAD  # up to a screen past the start page
    truth = [document.geometry(i) for i in range(document.page_count)]
    assert view._geometries[:28] == truth[:28]
    assert view.page_geometry(50) == truth[50]  # asked for: exact even before the layout has it
    view.show()
    qtbot.waitUntil(lambda: view._geometry_exact == document.page_count, timeout=10000)
    assert view._geometries == truth
    exact = PageLayout([(g.width, g.height) for g in truth], view.zoom(), view._dpr())
    assert view._layout.tops == exact.tops  # laid out again with every page's own size
    assert view.current_page() == 20
    assert view.verticalScrollBar().value() == round(exact.tops[20] - exact.margin)
    view.shutdown()
    document.close()


def test_an_encrypted_document_opened_before_still_asks_for_its_password(
    tmp_path: Path, db_path: Path, qtbot
) -> None:
    from reviewer.ui.app import create_main_window

    pdf = tmp_path / "secret.pdf"
    shutil.copyfile(corpus_file("pdfjs-encrypted-nonascii-password.pdf"), pdf)
    asked: list[str] = []
    window = create_main_window(
        str(pdf), db_path, IDENTITY.name, settings=_settings(sha256_of_file(pdf)),
        remember=False, panel_after_first_paint=True,
    )  # fmt: skip
    qtbot.addWidget(window)
    window.ask_password = lambda path, retry: asked.append(path) or "æøå"
    window.resize(1000, 700)
    window.show()
    qtbot.waitUntil(lambda: window.view.document() is not None, timeout=20000)
    qtbot.waitUntil(lambda: getattr(window, "annotating", None) is not None, timeout=20000)
    qtbot.waitUntil(window.view.is_idle, timeout=20000)
    assert asked == [str(pdf)]  # the head start cannot open it: the window asks, once
    assert window.last_error == ""
    assert "encrypted" not in window.statusBar().currentMessage()  # no stale error from the worker
    assert window.view.page_count() == window.view.document().page_count
    window.close()
