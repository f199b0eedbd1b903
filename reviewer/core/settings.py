"""User settings (reviewer name and id), a small JSON file in the platform config directory.

Passed around as a typed object, never a global. ``REVIEWER_CONFIG_DIR`` moves it (tests).
"""

from __future__ import annotations

import getpass
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reviewer.core.plain_text import clean_text

if TYPE_CHECKING:
    import uuid

REVIEWER_NAMESPACE_TEXT = "8d0c7a3e-4f5b-4a7e-9a1b-6c2f1d9e0b42"


def _namespace() -> uuid.UUID:
    """The UUID reviewer ids are derived in, made when asked for: the window reads its settings
    before its first page, and ``uuid`` costs 6 ms to import."""
    import uuid

    return uuid.UUID(REVIEWER_NAMESPACE_TEXT)


def __getattr__(name: str) -> uuid.UUID:
    """``REVIEWER_NAMESPACE`` (see ``_namespace``)."""
    if name == "REVIEWER_NAMESPACE":
        return _namespace()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def config_dir() -> Path:
    override = os.environ.get("REVIEWER_CONFIG_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_config_dir("Reviewer", appauthor=False))


@dataclass
class Settings:
    reviewer_name: str = ""
    reviewer_id: str = ""
    recent_files: list[str] = field(default_factory=list)
    opened_sample: bool = False
    # SHA-256 of PDFs this app opened before, newest first: they skip the crash probe
    # (reviewer/ui/pdf_gate.py) without waiting for the review database to say it knows them.
    opened_documents: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, directory: Path | None = None) -> Settings:
        path = (directory or config_dir()) / "settings.json"
        try:
            data: dict[str, Any] = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            return cls()
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def save(self, directory: Path | None = None) -> None:
        folder = directory or config_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "settings.json"
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(asdict(self), indent=2, ensure_ascii=False), "utf-8")
        os.replace(tmp, path)

    def add_recent(self, path: str, limit: int = 10) -> None:
        self.recent_files = [path] + [p for p in self.recent_files if p != path][: limit - 1]

    def add_opened(self, sha256: str, limit: int = 200) -> None:
        self.opened_documents = [sha256] + [s for s in self.opened_documents if s != sha256][: limit - 1]


@dataclass(frozen=True)
class Identity:
    """Who makes the changes: a display name and a stable reviewer id."""

    id: str
    name: str


def resolve_identity(author: str | None, settings: Settings) -> Identity:
    """``--author`` / ``REVIEWER_AUTHOR``, else the settings, else the login name.

    The settings' reviewer id is used for the settings' name; any other name gets an id
    derived from it, so that the same name always maps to the same reviewer.
    """
    name = clean_text(author or settings.reviewer_name or _login_name(), one_line=True).strip() or "reviewer"
    if settings.reviewer_id and name == settings.reviewer_name:
        return Identity(settings.reviewer_id, name)
    import uuid

    return Identity(str(uuid.uuid5(_namespace(), name)), name)


def _login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "reviewer"


def document_to_open(pdf: str | None, recent_files: list[str]) -> str:
    """The PDF the window shows: the one asked for, else the last one opened, else the sample."""
    if pdf:
        return pdf
    for recent in recent_files:
        if os.path.isfile(recent):
            return recent
    from reviewer.core.resources import sample_treaty_path

    return str(sample_treaty_path())
