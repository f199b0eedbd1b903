"""One app per review database: a second ``reviewer open OTHER.pdf`` hands its document over.

The app that holds a database's writer lock listens on a local socket named after the
database (``InstanceServer``). A second app on the same database finds the lock taken; instead
of showing its document read-only, it asks the first to open the document in a new window
(``hand_over``) and closes. Only the lock holder listens, so a socket left behind by a crashed
app is stale and is replaced. The socket is private to the user.
"""

from __future__ import annotations

import getpass
import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtNetwork import QLocalServer, QLocalSocket

if TYPE_CHECKING:
    from reviewer.ui.main_window import MainWindow

REQUEST_LIMIT = 64 * 1024  # a path, as JSON: anything longer is not ours


def server_name(db_path: Path) -> str:
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name: still one name per database
        user = "user"
    digest = hashlib.sha256(f"{user}\n{Path(db_path).resolve()}".encode()).hexdigest()[:24]
    return f"reviewer-{digest}"


class InstanceServer(QObject):
    """Opens the documents other app processes on the same database hand over."""

    def __init__(self, window: MainWindow, db_path: Path) -> None:
        super().__init__(window)
        self.window = window
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        name = server_name(db_path)
        if not self.server.listen(name):  # left behind by an app that crashed: we hold the lock
            QLocalServer.removeServer(name)
            self.server.listen(name)
        self.server.newConnection.connect(self._on_connection)
        self.opened: list[str] = []

    def listening(self) -> bool:
        return bool(self.server.isListening())

    def _on_connection(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            buffer = bytearray()

            def read(socket: QLocalSocket = socket, buffer: bytearray = buffer) -> None:
                buffer.extend(bytes(socket.readAll().data()))
                if len(buffer) > REQUEST_LIMIT:
                    socket.abort()
                    return
                if not buffer.endswith(b"\n"):
                    return
                answer = self._handle(bytes(buffer))
                socket.write(answer.encode() + b"\n")
                socket.flush()
                socket.disconnectFromServer()

            socket.readyRead.connect(read)
            socket.disconnected.connect(socket.deleteLater)

    def _visible_window(self) -> MainWindow | None:
        windows = _visible_windows()
        return self.window if self.window in windows else (windows[-1] if windows else None)

    def _handle(self, request: bytes) -> str:
        try:
            path = json.loads(request.decode("utf-8"))["open"]
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            return "refused"
        if path is None:  # plain `reviewer`: bring the app forward
            shown = self._visible_window()
            if shown is None:  # every window was closed but the app runs on: open a new one
                from reviewer.core.settings import document_to_open

                shown = self.window.open_in_new_window(
                    document_to_open(None, self.window.settings.recent_files)
                )
            shown.raise_()
            shown.activateWindow()
            return "opened"
        if not isinstance(path, str) or not Path(path).is_file():
            return "refused"
        self.opened.append(path)
        window = self.window.open_in_new_window(path)
        window.raise_()
        window.activateWindow()
        return "opened"


def _visible_windows() -> list[MainWindow]:
    from PySide6.QtWidgets import QApplication

    from reviewer.ui.main_window import MainWindow

    return [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]


def hand_over(db_path: Path, pdf_path: str | None, timeout_ms: int = 2000) -> bool:
    """Ask the app holding ``db_path`` to open ``pdf_path`` (None: to come forward); True when
    it did."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(db_path))
    if not socket.waitForConnected(timeout_ms):
        return False
    request = json.dumps({"open": str(Path(pdf_path).resolve()) if pdf_path else None}) + "\n"
    socket.write(request.encode("utf-8"))
    if not socket.waitForBytesWritten(timeout_ms):
        return False
    answer = b""
    while not answer.endswith(b"\n") and socket.waitForReadyRead(timeout_ms):
        answer += bytes(socket.readAll().data())
    socket.disconnectFromServer()
    return answer.strip() == b"opened"
