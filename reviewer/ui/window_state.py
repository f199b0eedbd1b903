"""Window geometry and each document's last page and zoom, in a QSettings ini file kept in
the Reviewer config folder (so tests with REVIEWER_CONFIG_DIR never touch the user's)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

from reviewer.core.settings import config_dir


def window_settings() -> QSettings:
    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return QSettings(str(folder / "window.ini"), QSettings.Format.IniFormat)


def save_position(sha256: str, page: int, zoom: float | str) -> None:
    settings = window_settings()
    settings.setValue(f"documents/{sha256}/page", page)
    settings.setValue(f"documents/{sha256}/zoom", str(zoom))
    settings.sync()


def load_position(sha256: str) -> tuple[int, float | str] | None:
    settings = window_settings()
    page = settings.value(f"documents/{sha256}/page")
    zoom = settings.value(f"documents/{sha256}/zoom")
    if page is None:
        return None
    try:
        page_index = int(page)
    except (TypeError, ValueError):
        return None
    value: float | str = 1.0
    if zoom in ("width", "page"):
        value = str(zoom)
    else:
        try:
            value = float(zoom)
        except (TypeError, ValueError):
            value = 1.0
    return page_index, value


def save_window(geometry: QByteArray, state: QByteArray) -> None:
    settings = window_settings()
    settings.setValue("window/geometry", geometry)
    settings.setValue("window/state", state)
    settings.sync()


def load_window() -> tuple[QByteArray | None, QByteArray | None]:
    settings = window_settings()
    return settings.value("window/geometry"), settings.value("window/state")
