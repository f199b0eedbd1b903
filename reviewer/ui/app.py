"""Start the GUI: ``reviewer open`` calls ``run_app``; tests call ``create_main_window``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication

from reviewer.core.settings import Settings, document_to_open

# pyside_workarounds before the window's modules: None's reference count on PySide6 6.12, and
# no source scan of every module imported after PySide6.
from reviewer.ui import head_start, pyside_workarounds  # noqa: F401
from reviewer.ui.head_start import HeadStart
from reviewer.ui.main_window import MainWindow

if TYPE_CHECKING:
    from reviewer.core.review import Review
    from reviewer.ui.annotating import AnnotatingController

# One listener per database this process holds (see reviewer.ui.single_instance).
_SERVERS: dict[str, object] = {}


def application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
        app.setApplicationName("Reviewer")
        app.setOrganizationName("Reviewer")
    return app


def initial_document(pdf: str | None, settings: Settings) -> str:
    """The PDF to show: the one asked for, else the last one opened, else the sample treaty."""
    return document_to_open(pdf, settings.recent_files)


def create_main_window(
    pdf: str | None = None,
    db_path: Path | None = None,
    author: str | None = None,
    password: str | None = None,
    settings: Settings | None = None,
    remember: bool = True,
    panel_after_first_paint: bool = False,
) -> MainWindow:
    """A main window showing ``pdf`` (or the default document), not yet shown.

    With ``panel_after_first_paint`` (what ``reviewer open`` does) a document this app opened
    before is shown first and the annotation panel, highlights and review database are
    attached right after its first screen is painted (~100 ms of imports and queries the
    reader would otherwise wait for). A document never opened here goes through the crash
    probe, which asks the database first, so the panel is attached before it opens; while
    the probe reads an unknown file, the head-start worker shows its first page."""
    application()
    settings = settings or Settings.load()
    window = MainWindow(settings, db_path, author, remember=remember)
    window.new_window_opener = open_in_new_window
    from reviewer.ui.pdf_gate import PdfGate

    window.pdf_gate = PdfGate(window)  # hostile PDFs: probe in a worker first
    target = initial_document(pdf, settings)
    # what another app holding the database is asked to open instead (see single_instance)
    window.document_to_hand_over = pdf  # type: ignore[attr-defined]
    if panel_after_first_paint and not window.pdf_gate.needs_probe(target):
        head = _head_start(target) if password is None else None
        if head is not None:
            _preview_then_open(window, target, author, db_path, head)  # links: after the page
            return window
        _follow_links(window)
        if window.open_document(target, password):
            _attach_after_first_paint(window, author, db_path)
        else:  # refused with a dialog: the window shows no document, the panel comes now
            _attach_now(window, author, db_path)
        return window
    _follow_links(window)
    _attach_now(window, author, db_path)
    head = head_start.take(target)  # started by `reviewer open` before it knew
    if getattr(window, "handed_over", False):
        if head is not None:
            head_start.discard(head)
        return window
    if panel_after_first_paint and password is None and window.pdf_gate.needs_probe(target):
        # A file never seen: the crash probe reads every page first (seconds on a long
        # report). The worker, a process of its own, shows the first page meanwhile.
        head = head or _head_start(target)
        if head is not None:
            window.preview_document(target, head)
            QTimer.singleShot(0, lambda: _open_after_probe(window, target))
            return window
    if head is not None:
        head_start.discard(head)
    window.open_document(target, password)
    return window


def _follow_links(window: MainWindow) -> None:
    """Clicks on the document's links (web links after asking; see reviewer.ui.links)."""
    from reviewer.ui.links import LinkFollower

    window.link_follower = LinkFollower(window.view)  # type: ignore[attr-defined]


def _open_after_probe(window: MainWindow, target: str) -> None:
    """The window's own open, after the probe (a nested event loop: the preview repaints)."""
    if not window.open_document(target, None):
        window.view.clear()  # refused: what the worker showed of it goes too


def _head_start(target: str) -> HeadStart | None:
    """The worker ``reviewer open`` started before Qt was loaded, else one started now."""
    head = head_start.take(target)
    if head is None:
        head_start.begin(target)
        head = head_start.take(target)
    return head


def _preview_then_open(
    window: MainWindow, target: str, author: str | None, db_path: Path | None, head: HeadStart
) -> None:
    """The first screen from the head-start worker; then this process opens the document
    (loading MuPDF, ~90 ms) and attaches the panel, once the page is on screen."""
    done: list[bool] = []

    def open_now() -> None:
        if done:
            return
        done.append(True)
        _follow_links(window)  # nothing to click before the page is on screen
        window.open_document(target, None)  # takes over the previewed pages (see PageView)
        # the panel at the next turn of the event loop: the window repaints in between
        QTimer.singleShot(0, lambda: _attach_now(window, author, db_path))

    window.view.firstScreenPainted.connect(open_now)
    window.view.previewFailed.connect(lambda _message: open_now())  # it reports why, itself
    QTimer.singleShot(3000, open_now)  # a minimized window paints nothing; a stalled worker
    window.preview_document(target, head)


def attach_review_layer(
    window: MainWindow,
    author: str | None = None,
    db_path: Path | None = None,
    review: Review | None = None,
) -> AnnotatingController | None:
    """Everything that works on the review database, attached to a window: the annotation
    panel and shortcuts, File → Import/Export/Report, carrying to a new version, the Conflicts
    banner, and (for the window that opened the database) the listener that takes documents
    other app processes hand over. None when the window goes on without annotations."""
    from reviewer.ui.annotating import attach_annotating
    from reviewer.ui.carry_actions import attach_carry
    from reviewer.ui.conflicts import ConflictsBanner
    from reviewer.ui.exchange_actions import attach_exchange

    controller = attach_annotating(window, author, db_path, review=review)
    if controller is None:
        return None
    actions = attach_exchange(window, controller)
    actions.conflicts = ConflictsBanner(controller, window)  # type: ignore[attr-defined]
    attach_carry(window, controller)
    from reviewer.ui.article_card import attach_article_card
    from reviewer.ui.compare_window import attach_compare

    attach_compare(window, controller.review)
    attach_article_card(window, controller)
    if review is None:  # the window that opened the database syncs it (File → Team Folder…)
        from reviewer.ui.team_folder import attach_team_folder

        attach_team_folder(window, controller)
        _listen_for_other_apps(window, controller.review.store.path)
    return controller


def _listen_for_other_apps(window: MainWindow, db_path: Path) -> None:
    """This process holds the database: other app processes hand their documents over here."""
    key = str(Path(db_path).resolve())
    if key not in _SERVERS:
        from reviewer.ui.single_instance import InstanceServer

        _SERVERS[key] = InstanceServer(window, db_path)


def _attach_now(window: MainWindow, author: str | None, db_path: Path | None) -> None:
    attach_review_layer(window, author, db_path)


def _attach_after_first_paint(window: MainWindow, author: str | None, db_path: Path | None) -> None:
    attached: list[bool] = []

    def attach() -> None:
        if attached:
            return
        attached.append(True)
        attach_review_layer(window, author, db_path)  # catches up with the open document

    window.view.firstScreenPainted.connect(attach)
    QTimer.singleShot(1000, attach)  # a window shown minimized paints nothing


def run_app(
    pdf: str | None,
    db_path: Path | None,
    author: str | None,
    password: str | None,
    settings: Settings | None = None,
) -> int:
    """``settings``: the ones ``reviewer open`` already read (else they are read here)."""
    import gc

    app = application()
    window = create_main_window(
        pdf, db_path, author, password, settings=settings, panel_after_first_paint=True
    )
    if not gc.isenabled():  # turned off by ``reviewer open`` until the first page is shown
        window.view.firstScreenPainted.connect(gc.enable)
        QTimer.singleShot(3000, gc.enable)  # a minimized window paints nothing
    # If the worker's summary has come, the first screen's tiles are asked for before the
    # window is shown: the worker renders them while the window maps and paints its frame.
    if window.lay_out_before_show():
        window.view.request_first_screen()
    window.show()
    window.view.request_first_screen()  # the summary came meanwhile
    return int(app.exec())


def open_in_new_window(source: MainWindow, path: str, password: str | None = None) -> MainWindow:
    """Another window of this process on ``path`` (a treaty beside another), sharing the
    source window's review database: one writer, each window with its own undo stack."""
    from reviewer.ui.pdf_gate import PdfGate

    window = MainWindow(source.settings, source.db_path, source.author, remember=source.remember)
    window.new_window_opener = open_in_new_window
    window.pdf_gate = PdfGate(window)
    _follow_links(window)
    controller = getattr(source, "annotating", None)
    if controller is not None:
        attach_review_layer(window, source.author, source.db_path, review=controller.review)
    else:  # the source has no database open: neither will this one (it would say why again)
        window.annotating = None  # type: ignore[attr-defined]
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.resize(source.size())
    window.move(source.pos() + QPoint(40, 40))  # cascaded: the first window stays in sight
    window.open_document(path, password)
    window.show()
    return window

