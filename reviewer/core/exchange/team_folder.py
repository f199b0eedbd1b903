"""The team folder: reviews that travel through a folder a team already shares (OneDrive,
SharePoint, Dropbox, Nextcloud, Syncthing, a network drive, a git work tree).

Each reviewer writes one file per document, ``FOLDER/<document folder>/<reviewer id>.review.json``
(everything their database holds on the document but private notes), and imports every other
review file found there through the one import path (``exchange.importing``). The merge is
commutative and idempotent, so whatever order a sync client delivers files in, and however
often a sync runs, every database ends in the same state.

What sync clients leave behind is expected: files still being written, truncated or invalid
(skipped with a warning, read again next time), conflicted copies (imported like any file),
lock and temporary files (ignored), files that vanish (nothing is removed), an older copy of
one's own file (imported, then rewritten from the database).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reviewer.core.atomic import TEMP_SUFFIX, write_bytes_atomic
from reviewer.core.errors import ReviewerError
from reviewer.core.exchange import review_file
from reviewer.core.exchange.importing import import_review_data
from reviewer.core.exchange.own_file import own_file_bytes
from reviewer.core.exchange.versions import ReviewData
from reviewer.core.gcpause import collector_paused
from reviewer.core.operations import Change
from reviewer.core.review import Review

REVIEW_SUFFIX = ".review.json"
TEAM_FOLDER_SETTING = "team_folder"
# Names sync clients and editors give to files in progress or locks: never read.
_IGNORED_PREFIXES = (".", "~", "#")
_IGNORED_SUFFIXES = (TEMP_SUFFIX, ".tmp", ".part", ".partial", ".crdownload", ".lock", "#")
_UNSAFE_IN_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')


@dataclass
class FileOutcome:
    """What one sync did with one file of the folder."""

    file: str  # relative to the team folder
    action: str  # imported | not modified | skipped | written | own file unchanged
    document: str = ""
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    conflict_ids: list[str] = field(default_factory=list)
    warning: str = ""
    reviewer: str = ""  # the name of the reviewer whose file it is, when the file tells
    change: Change | None = None  # what the import changed (the app refreshes its views)

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "action": self.action,
            "document": self.document,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "conflicts": self.conflicts,
            "conflict_ids": self.conflict_ids,
            "warning": self.warning,
            "reviewer": self.reviewer,
        }


@dataclass
class SyncReport:
    folder: str
    files: list[FileOutcome] = field(default_factory=list)

    @property
    def imported(self) -> list[FileOutcome]:
        return [f for f in self.files if f.action == "imported"]

    @property
    def written(self) -> list[FileOutcome]:
        return [f for f in self.files if f.action == "written"]

    @property
    def skipped(self) -> list[FileOutcome]:
        return [f for f in self.files if f.action == "skipped"]

    def updates_by_reviewer(self) -> dict[str, int]:
        """Items added or updated, by whose file brought them (the app's status line: "3
        updates from Ben"); a file that does not tell is named by its file name."""
        out: dict[str, int] = {}
        for f in self.imported:
            count = f.added + f.updated
            if count:
                who = f.reviewer or Path(f.file).name
                out[who] = out.get(who, 0) + count
        return out

    @property
    def changes(self) -> list[Change]:
        return [f.change for f in self.files if f.change is not None]


# A teammate's file of a document this database has never opened: nothing to import it into
# yet (its text places the annotations); imported at the first sync after the document is opened.
NOT_HERE = "document not in this database"


def document_folder_name(title: str, document_id: str) -> str:
    """``<title> <first 12 hex of the sha256>``: readable, and safe on every sync client."""
    clean = _UNSAFE_IN_NAMES.sub(" ", title)
    clean = " ".join(clean.split())[:60].rstrip(" .") or "document"
    return f"{clean} {document_id[:12]}"


def own_file_name(review: Review) -> str:
    return f"{review.identity.id}{REVIEW_SUFFIX}"


def is_review_file_name(name: str) -> bool:
    """A review file, not a lock or a file a client is still writing."""
    if name.startswith(_IGNORED_PREFIXES) or name.endswith(_IGNORED_SUFFIXES):
        return False
    return name.endswith(REVIEW_SUFFIX)


def team_folder_key(folder: str | os.PathLike[str]) -> str:
    return str(Path(folder).resolve())


def sync_folder(
    review: Review, folder: str | os.PathLike[str], document_ids: Sequence[str] | None = None
) -> SyncReport:
    """Import teammates' files, then write this reviewer's own (only when its bytes change)."""
    root = Path(folder)
    if not root.is_dir():
        raise ReviewerError("is not a folder (give the team folder)", path=str(folder))
    with collector_paused():
        return _sync(review, root, document_ids)


def _sync(review: Review, root: Path, document_ids: Sequence[str] | None) -> SyncReport:
    key = team_folder_key(root)
    store = review.store
    known = {str(d["id"]): d for d in store.documents()}
    wanted = set(document_ids) if document_ids is not None else set(known)
    report = SyncReport(str(root))
    recorded = store.sync_files(key)
    own_name = own_file_name(review)
    folders_of: dict[str, Path] = {}
    for path in _review_files(root):
        name = path.relative_to(root).as_posix()
        outcome = _read_one(review, root, path, name, recorded.get(name), wanted, own_name)
        if outcome is None:
            continue
        if outcome.document and path.parent != root:
            folders_of.setdefault(outcome.document, path.parent)
        report.files.append(outcome)
    recorded = store.sync_files(key)
    for document_id in sorted(wanted & set(known)):
        place = folders_of.get(document_id) or _existing_folder(root, document_id)
        if place is None:
            place = root / document_folder_name(str(known[document_id]["title"]), document_id)
        report.files.append(_write_own(review, root, place, document_id, recorded, own_name))
    return report


def _review_files(root: Path) -> list[Path]:
    """Review files in the folder and its document folders (one level), in name order."""
    found: list[Path] = []
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError as exc:
        raise ReviewerError(f"cannot be read ({exc.strerror})", path=str(root)) from None
    for entry in entries:
        if entry.name.startswith(_IGNORED_PREFIXES):
            continue
        if entry.is_dir(follow_symlinks=False):
            try:
                inner = sorted(os.scandir(entry.path), key=lambda e: e.name)
            except OSError:
                continue
            found.extend(Path(e.path) for e in inner if is_review_file_name(e.name) and e.is_file())
        elif is_review_file_name(entry.name) and entry.is_file():
            found.append(Path(entry.path))
    return found


def _existing_folder(root: Path, document_id: str) -> Path | None:
    suffix = f" {document_id[:12]}"
    for entry in sorted(os.scandir(root), key=lambda e: e.name):
        if entry.is_dir() and entry.name.endswith(suffix):
            return Path(entry.path)
    return None


def _read_one(
    review: Review,
    root: Path,
    path: Path,
    name: str,
    last: dict[str, Any] | None,
    wanted: set[str],
    own_name: str,
) -> FileOutcome | None:
    """Import one file if it changed since it was last read or written; ``None``: a file of a
    document this database knows but was not asked to sync."""
    store = review.store
    try:
        stat = path.stat()
    except OSError:
        return None  # vanished between listing and reading: nothing to do, nothing removed
    if last is not None and _stamp(stat) == (last["size"], last["mtime_ns"], last["ctime_ns"]):
        return FileOutcome(name, "not modified")
    try:
        with open(path, "rb") as handle:
            raw = handle.read(review_file.MAX_FILE_BYTES + 1)
    except OSError as exc:
        return FileOutcome(name, "skipped", warning=f"cannot be read ({exc.strerror}); read again next time")
    digest = hashlib.sha256(raw).hexdigest()
    key = team_folder_key(root)
    if last is not None and last["sha256"] == digest:
        store.record_sync_file(key, name, _stamp(stat), digest, bool(last["own"]))
        return FileOutcome(name, "not modified")
    if not raw.strip():
        return FileOutcome(name, "skipped", warning="is empty (still being written?); read again next time")
    own = path.name == own_name
    digests = _line_digests(raw)
    # A teammate's file read before: only its new item lines are read (and checked) and
    # imported; the others are the very bytes read and checked last time.
    changed = _changed_part(raw, digests, last["line_digests"]) if last is not None and not own else None
    try:
        try:
            data = review_file.loads(changed if changed is not None else raw, str(path))
        except ReviewerError:
            if changed is None:
                raise
            data = review_file.loads(raw, str(path))  # the file decides, read whole
    except ReviewerError as exc:
        reason = str(exc).removeprefix(f"{path}: ")
        return FileOutcome(name, "skipped", warning=f"{reason}; not imported, read again next time")
    document_id = data.document.sha256
    if store.document(document_id) is None:  # a teammate's document never opened here: said
        return FileOutcome(name, NOT_HERE, document_id)
    if document_id not in wanted:
        return None
    try:
        result = import_review_data(review, data, str(path), document_id)
    except ReviewerError as exc:
        reason = str(exc).removeprefix(f"{path}: ")
        return FileOutcome(name, "skipped", document_id, warning=f"{reason}; not imported")
    store.record_sync_file(key, name, _stamp(stat), digest, own, line_digests=digests)
    return FileOutcome(
        name,
        "imported",
        document_id,
        added=len(result.added),
        updated=len(result.updated),
        unchanged=len(result.unchanged),
        conflicts=len(result.conflicts),
        conflict_ids=list(result.conflicts),
        reviewer=_reviewer_of(path.name, data),
        change=result.change,
    )


def _reviewer_of(file_name: str, data: ReviewData) -> str:
    """The name of the reviewer whose file this is: the file is named by their id (a sync
    client's copy adds to the name), and their versions carry the id with the name."""
    reviewer_id = file_name[:36]
    for state in (*data.annotations.values(), *data.replies.values()):
        for version in state.heads():
            if version.get("modified_by_id") == reviewer_id and version.get("modified_by_name"):
                return str(version["modified_by_name"])
            if version.get("author_id") == reviewer_id:
                return str(version["author_name"])
    return ""


_ITEMS_OPEN = b'"items": [\n'
_ITEMS_CLOSE = b"\n ]"
_DIGEST_SIZE = 16


def _item_lines(raw: bytes) -> list[bytes] | None:
    """Each item's line, when the file has the layout Reviewer writes (one item per line)."""
    start = raw.find(_ITEMS_OPEN)
    end = raw.rfind(_ITEMS_CLOSE)
    if start < 0 or end < start:
        return None
    return raw[start + len(_ITEMS_OPEN) : end].split(b",\n")


_DOCUMENT_SHA = re.compile(rb'"sha256": "([0-9a-f]{64})"')
# In an item line as Reviewer writes it (inside texts, quotes are escaped: these never match there).
_LINE_ID = re.compile(rb'\s*\{"@context":"[^"]*","id":"urn:uuid:([0-9a-f-]{36})"')
_REPLY_TARGET = re.compile(rb'"motivation":"replying",.*?"target":"urn:uuid:([0-9a-f-]{36})"')


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=_DIGEST_SIZE).digest()


def _line_digests(raw: bytes) -> bytes | None:
    """The document's digest, then one per item line (what ``_changed_part`` compares)."""
    lines = _item_lines(raw)
    found = _DOCUMENT_SHA.search(raw, 0, raw.find(_ITEMS_OPEN))
    if lines is None or found is None:
        return None
    return _digest(found.group(1)) + b"".join(_digest(line) for line in lines)


def _changed_part(raw: bytes, now: bytes | None, before: bytes | None) -> bytes | None:
    """The file with only the item lines that are new since it was last imported: the same
    header, fewer items. Importing an item again changes nothing (the database holds its
    versions or newer ones: every merge is a join), so this is the same import, read and
    checked in a fraction of the time; a truncated or damaged file still fails whole, as its
    damaged line is new. ``None``: the file is not in Reviewer's layout, or is of another
    document now, or was not read before; it is read whole."""
    if not before or now is None or now[:_DIGEST_SIZE] != before[:_DIGEST_SIZE]:
        return None
    lines = _item_lines(raw)
    assert lines is not None
    seen = {before[i : i + _DIGEST_SIZE] for i in range(_DIGEST_SIZE, len(before), _DIGEST_SIZE)}
    fresh = {
        at for at in range(len(lines)) if now[(at + 1) * _DIGEST_SIZE : (at + 2) * _DIGEST_SIZE] not in seen
    }
    # A file holds the annotation of each of its replies: a new reply brings its annotation.
    parents = {m.group(1) for at in fresh if (m := _REPLY_TARGET.search(lines[at])) is not None}
    if parents:
        for at, line in enumerate(lines):
            found = _LINE_ID.match(line)
            if found is not None and found.group(1) in parents:
                fresh.add(at)
    start = raw.find(_ITEMS_OPEN) + len(_ITEMS_OPEN)
    end = raw.rfind(_ITEMS_CLOSE)
    if not fresh:
        return raw[: start - 1] + b"]" + raw[end + len(_ITEMS_CLOSE) :]
    return raw[:start] + b",\n".join(lines[at] for at in sorted(fresh)) + raw[end:]


def _write_own(
    review: Review,
    root: Path,
    place: Path,
    document_id: str,
    recorded: dict[str, dict[str, Any]],
    own_name: str,
) -> FileOutcome:
    store = review.store
    target = place / own_name
    name = target.relative_to(root).as_posix()
    last = recorded.get(name)
    counter = store.change_counter()
    key = team_folder_key(root)
    if last is not None and last["counter"] == counter:
        # Nothing a review file holds changed since this file was written: it is the same,
        # if it is still the file written then.
        try:
            if _stamp(target.stat()) == (last["size"], last["mtime_ns"], last["ctime_ns"]):
                return FileOutcome(name, "own file unchanged", document_id)
        except OSError:
            pass
    try:
        on_disk: bytes | None = target.read_bytes()
    except OSError:
        on_disk = None
    # The file as written last (not a copy a sync client put back): rebuilt where it changed.
    written = (
        on_disk is not None
        and last is not None
        and last["counter"] is not None
        and last["sha256"] == hashlib.sha256(on_disk).hexdigest()
    )
    raw, pairs = own_file_bytes(
        review, document_id, on_disk if written else None, last["counter"] if written and last else None
    )
    digest = hashlib.sha256(raw).hexdigest()
    # Versions that left this database: a later local edit supersedes them (see versions.py).
    # Recorded before the counter is read, as the recording may move it.
    store.exchange_add_versions(pairs)
    counter = store.change_counter()
    if on_disk == raw:
        store.record_sync_file(key, name, _stamp(target.stat()), digest, True, counter=counter)
        return FileOutcome(name, "own file unchanged", document_id)
    place.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(target, raw)
    store.record_sync_file(key, name, _stamp(target.stat()), digest, True, counter=counter)
    return FileOutcome(name, "written", document_id)


def _stamp(stat: os.stat_result) -> tuple[int, int, int]:
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


def remembered_folder(review: Review) -> str | None:
    """The team folder this database syncs with (File → Team Folder…), if any."""
    return review.store.local_setting(TEAM_FOLDER_SETTING)


def remember_folder(review: Review, folder: str | None) -> None:
    review.store.set_local_setting(TEAM_FOLDER_SETTING, team_folder_key(folder) if folder else None)
