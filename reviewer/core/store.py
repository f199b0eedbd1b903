"""The one module that speaks SQL. One SQLite database per user, through sqlite-utils.

WAL journal with ``synchronous=FULL`` (a simulated power cut lost commits with NORMAL),
foreign keys on, a busy timeout. The schema grows by append-only migrations; a database that
a newer Reviewer has migrated further is refused before anything is written to it.

Over 700 lines: being the only module allowed to speak SQL (tests/core/test_layering.py), it
holds the schema's migrations, the operations' snapshots and every query.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils
from sqlite_utils.migrations import Migrations

from reviewer.core.errors import NewerDatabase, ReviewerError
from reviewer.core.jsontext import compact_encoder

Row = dict[str, Any]
BUSY_TIMEOUT_MS = 5000

migrations = Migrations("reviewer")


@migrations()
def m0001_initial(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE documents (
            id TEXT PRIMARY KEY,            -- SHA-256 of the file's bytes
            pdf_id TEXT,                    -- first File Identifier, /ID[0], hex
            title TEXT NOT NULL,
            page_count INTEGER NOT NULL,
            page_labels TEXT,               -- JSON list, or NULL when the PDF has none
            last_path TEXT,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX documents_pdf_id ON documents(pdf_id)")
    db.execute(
        """
        CREATE TABLE reviewers (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL
        )"""
    )
    db.execute(
        """
        CREATE TABLE tags (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            color TEXT NOT NULL,
            definition TEXT NOT NULL DEFAULT '',
            position INTEGER NOT NULL DEFAULT 0,
            retired INTEGER NOT NULL DEFAULT 0,
            created TEXT NOT NULL,
            modified TEXT NOT NULL
        )"""
    )
    db.execute(
        """
        CREATE TABLE annotations (
            id TEXT PRIMARY KEY,            -- UUID
            document_id TEXT NOT NULL REFERENCES documents(id),
            kind TEXT NOT NULL CHECK (kind IN ('highlight', 'note', 'area')),
            author_id TEXT NOT NULL,
            author_name TEXT NOT NULL,
            created TEXT NOT NULL,          -- UTC, ISO 8601
            modified TEXT NOT NULL,
            revision INTEGER NOT NULL DEFAULT 1,
            page INTEGER NOT NULL,          -- 0-based index of the first page
            pages TEXT NOT NULL,            -- JSON list of 0-based page indexes
            quote TEXT NOT NULL DEFAULT '',
            prefix TEXT NOT NULL DEFAULT '',
            suffix TEXT NOT NULL DEFAULT '',
            text_start INTEGER,             -- offsets in the document's normalized text
            text_end INTEGER,
            quads TEXT NOT NULL,            -- JSON: [{page, points: 8 numbers}] PDF user space
            geometry TEXT NOT NULL,         -- JSON: {page: {mediabox, cropbox, rotation}}
            comment TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'open'
                CHECK (status IN ('open', 'accepted', 'rejected', 'resolved')),
            deleted INTEGER NOT NULL DEFAULT 0,
            origin_id TEXT,                 -- the annotation this one was carried from
            anchor TEXT NOT NULL DEFAULT 'exact',
            anchor_score REAL,
            article INTEGER,
            paragraph INTEGER,
            subparagraph TEXT,
            citation TEXT
        )"""
    )
    db.execute("CREATE INDEX annotations_document ON annotations(document_id, page)")
    db.execute(
        """
        CREATE TABLE annotation_tags (
            annotation_id TEXT NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
            tag_id TEXT NOT NULL REFERENCES tags(id),
            position INTEGER NOT NULL,
            PRIMARY KEY (annotation_id, tag_id)
        )"""
    )
    db.execute("CREATE INDEX annotation_tags_tag ON annotation_tags(tag_id)")
    db.execute(
        """
        CREATE TABLE replies (
            id TEXT PRIMARY KEY,
            annotation_id TEXT NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
            author_id TEXT NOT NULL,
            author_name TEXT NOT NULL,
            created TEXT NOT NULL,
            modified TEXT NOT NULL,
            revision INTEGER NOT NULL DEFAULT 1,
            comment TEXT NOT NULL,
            deleted INTEGER NOT NULL DEFAULT 0
        )"""
    )
    db.execute("CREATE INDEX replies_annotation ON replies(annotation_id)")
    db.table("annotations").enable_fts(
        ["quote", "comment"],
        fts_version="FTS5",
        create_triggers=True,
        tokenize="unicode61 remove_diacritics 2",
    )


@migrations()
def m0002_default_taxonomy(db: sqlite_utils.Database) -> None:
    import uuid

    from reviewer.core.taxonomy import default_taxonomy
    from reviewer.core.timeutil import utc_now

    now = utc_now()
    for position, spec in enumerate(default_taxonomy()):
        db.execute(
            "INSERT OR IGNORE INTO tags(id, name, color, definition, position, retired, created, modified) "
            "VALUES (?, ?, ?, ?, ?, 0, ?, ?)",
            [str(uuid.uuid4()), spec.name, spec.color, spec.definition, position, now, now],
        )


@migrations()
def m0003_exchange_conflicts(db: sqlite_utils.Database) -> None:
    """Merge bookkeeping: versions an item has replaced, and versions that lost a merge."""
    db.execute(
        """
        CREATE TABLE exchange_versions (
            item_id TEXT NOT NULL,          -- annotation or reply id
            version_hash TEXT NOT NULL,     -- a version this database held or replaced
            PRIMARY KEY (item_id, version_hash)
        ) WITHOUT ROWID"""
    )
    db.execute(
        """
        CREATE TABLE exchange_conflicts (
            item_id TEXT NOT NULL,
            version_hash TEXT NOT NULL,
            item_kind TEXT NOT NULL CHECK (item_kind IN ('annotation', 'reply')),
            document_id TEXT NOT NULL,
            annotation_id TEXT NOT NULL,    -- the annotation itself, or the one a reply answers
            revision INTEGER NOT NULL,
            modified TEXT NOT NULL,
            author_name TEXT NOT NULL,
            data TEXT NOT NULL,             -- JSON: the losing version, all its fields
            PRIMARY KEY (item_id, version_hash)
        )"""
    )
    db.execute("CREATE INDEX exchange_conflicts_document ON exchange_conflicts(document_id)")


@migrations()
def m0004_annotation_item(db: sqlite_utils.Database) -> None:
    """The level under a subparagraph a passage stands in: "ii" of Art. 6(1)(a)(ii)."""
    db.execute("ALTER TABLE annotations ADD COLUMN item TEXT")


@migrations()
def m0005_carry_outcomes(db: sqlite_utils.Database) -> None:
    """What a carry made of each annotation it copied, for the reviewer to walk through."""
    db.execute(
        """
        CREATE TABLE carry_outcomes (
            annotation_id TEXT PRIMARY KEY REFERENCES annotations(id) ON DELETE CASCADE,
            outcome TEXT NOT NULL CHECK (outcome IN ('exact', 'fuzzy', 'changed', 'orphan')),
            score REAL,
            kinds TEXT NOT NULL DEFAULT '[]',   -- JSON: material kinds ("number", "modal" ...)
            diff TEXT NOT NULL DEFAULT '[]',    -- JSON: [["=" | "-" | "+", text], ...]
            old_quote TEXT NOT NULL DEFAULT '',
            old_citation TEXT,
            confirmed INTEGER NOT NULL DEFAULT 0
        )"""
    )


@migrations()
def m0006_modified_by(db: sqlite_utils.Database) -> None:
    """Who made each version (the author made the first; a teammate may make later ones).
    NULL in rows written before: the author, as far as anyone knows."""
    for table in ("annotations", "replies"):
        db.execute(f"ALTER TABLE {table} ADD COLUMN modified_by_id TEXT")
        db.execute(f"ALTER TABLE {table} ADD COLUMN modified_by_name TEXT")


@migrations()
def m0007_annotation_kinds(db: sqlite_utils.Database) -> None:
    """Two more kinds: a link (one annotation, a target in each of two documents) and a
    position (a reviewer's stance on an article). SQLite cannot ALTER a CHECK constraint; its
    documented way to loosen one without touching stored rows is to rewrite the table's SQL
    (sqlite.org/lang_altertable.html, "make other kinds of table schema changes", 7)."""
    old_check = "CHECK (kind IN ('highlight', 'note', 'area'))"
    new_check = "CHECK (kind IN ('highlight', 'note', 'area', 'link', 'position'))"
    (table_sql,) = db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'annotations'"
    ).fetchone()
    if old_check not in table_sql:
        raise ReviewerError("the annotations table has an unexpected shape; not migrated")
    (schema_version,) = db.execute("PRAGMA schema_version").fetchone()
    db.execute("PRAGMA writable_schema = ON")
    try:
        db.execute(
            "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'annotations'",
            [table_sql.replace(old_check, new_check)],
        )
        db.execute(f"PRAGMA schema_version = {int(schema_version) + 1}")
    finally:
        db.execute("PRAGMA writable_schema = OFF")
    (verdict,) = db.execute("PRAGMA integrity_check").fetchone()
    if verdict != "ok":
        raise ReviewerError(f"the database failed its integrity check after migration: {verdict}")


@migrations()
def m0008_links_concordance(db: sqlite_utils.Database) -> None:
    """Comparing two treaties. A link is an annotation (kind 'link') whose first target is its
    own row; its other ends, in another document, are rows of ``link_targets``. The team's
    confirmed concordance of two documents' articles is ``concordance``: one row per pair, its
    two documents in id order (the relation reads from the first), deleted when unset, merged
    like annotations (a lost concurrent version is kept in ``concordance_conflicts``)."""
    db.execute(
        """
        CREATE TABLE link_targets (
            annotation_id TEXT NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,      -- 1, 2 ...: the ends after the annotation's own
            document_id TEXT NOT NULL,      -- no foreign key: a teammate's file may name a
                                            -- document this database has not seen
            relation TEXT,                  -- the first end's passage relative to this one
            page INTEGER NOT NULL,
            pages TEXT NOT NULL,
            quote TEXT NOT NULL DEFAULT '',
            prefix TEXT NOT NULL DEFAULT '',
            suffix TEXT NOT NULL DEFAULT '',
            text_start INTEGER,
            text_end INTEGER,
            quads TEXT NOT NULL,
            geometry TEXT NOT NULL,
            article INTEGER,
            paragraph INTEGER,
            subparagraph TEXT,
            item TEXT,
            citation TEXT,
            PRIMARY KEY (annotation_id, position)
        )"""
    )
    db.execute("CREATE INDEX link_targets_document ON link_targets(document_id, page)")
    db.execute(
        """
        CREATE TABLE concordance (
            id TEXT PRIMARY KEY,            -- from the two documents and citations
            a_document_id TEXT NOT NULL,    -- a_document_id < b_document_id
            a_citation TEXT NOT NULL,
            b_document_id TEXT NOT NULL,
            b_citation TEXT NOT NULL,
            relation TEXT,                  -- a's article relative to b's; NULL: not said
            author_id TEXT NOT NULL,
            author_name TEXT NOT NULL,
            created TEXT NOT NULL,
            modified TEXT NOT NULL,
            revision INTEGER NOT NULL DEFAULT 1,
            deleted INTEGER NOT NULL DEFAULT 0,
            modified_by_id TEXT,
            modified_by_name TEXT,
            CHECK (a_document_id < b_document_id)
        )"""
    )
    db.execute("CREATE INDEX concordance_documents ON concordance(a_document_id, b_document_id)")
    db.execute(
        """
        CREATE TABLE concordance_conflicts (
            item_id TEXT NOT NULL,
            version_hash TEXT NOT NULL,
            data TEXT NOT NULL,             -- JSON: the losing version, all its fields
            PRIMARY KEY (item_id, version_hash)
        )"""
    )


@migrations()
def m0009_private_and_sync(db: sqlite_utils.Database) -> None:
    """Private notes (never leave this database) and the team folder's bookkeeping: which
    folder a database syncs with (``local_settings``), the files it last read or wrote there
    (``sync_files``: an unchanged file is neither read again nor rewritten; of a teammate's
    file, a digest of each item line, so that only changed items are imported), and a counter
    that every change to what a review file holds moves (``change_counter``, kept by
    triggers), so that a sync with nothing new does not rebuild the reviewer's own file."""
    db.execute("ALTER TABLE annotations ADD COLUMN private INTEGER NOT NULL DEFAULT 0")
    db.execute(
        """
        CREATE TABLE sync_files (
            folder TEXT NOT NULL,           -- the team folder, absolute
            name TEXT NOT NULL,             -- the file, relative to the folder
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            ctime_ns INTEGER NOT NULL,      -- changes on any write, even one that keeps mtime
            sha256 TEXT NOT NULL,           -- of the bytes last imported (or written, if own)
            own INTEGER NOT NULL DEFAULT 0,
            counter INTEGER,                -- own file: change_counter when it was written
            line_digests BLOB,              -- teammate's file: 16 bytes per item line read
            PRIMARY KEY (folder, name)
        )"""
    )
    db.execute(
        """
        CREATE TABLE local_settings (
            key TEXT PRIMARY KEY,           -- settings of this database, e.g. 'team_folder'
            value TEXT NOT NULL
        )"""
    )
    db.execute("CREATE TABLE change_counter (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL)")
    db.execute("INSERT INTO change_counter(id, value) VALUES (1, 0)")
    db.execute(
        """
        CREATE TABLE sync_dirty (
            item_id TEXT PRIMARY KEY,       -- an annotation or reply; '*': every item (tags)
            counter INTEGER NOT NULL        -- change_counter when it last changed
        )"""
    )
    _count_changes(db, COUNTED_TABLES)


NOT_IN_BULK = "(SELECT bulk FROM change_counter WHERE id = 1) = 0"
BULK_MARKS_FROM = 100  # rows in one write: from here its items are marked once, at its end


def _count_changes(db: sqlite_utils.Database, tables: dict[str, str]) -> None:
    """Triggers that move change_counter (and mark the item) on every change to ``tables``."""
    for table, item in tables.items():
        for event in ("INSERT", "UPDATE", "DELETE"):
            row = "OLD" if event == "DELETE" else "NEW"
            mark = ""
            if item:
                value = f"{row}.{item}" if item != "'*'" else item
                mark = (
                    "INSERT INTO sync_dirty(item_id, counter) VALUES "
                    f"({value}, (SELECT value FROM change_counter WHERE id = 1)) "
                    "ON CONFLICT(item_id) DO UPDATE SET counter = excluded.counter; "
                )
            db.execute(
                f"CREATE TRIGGER {table}_counted_{event.lower()} AFTER {event} ON {table} "
                f"BEGIN UPDATE change_counter SET value = value + 1 WHERE id = 1; {mark}END"
            )


# What a review file is made of: a change to any of these moves change_counter, and marks
# the item whose line it changes (the column naming it; '*' all of them; '' none: the
# document's row changes only the file's header, which is always written anew).
COUNTED_TABLES = {
    "documents": "",
    "tags": "'*'",
    "annotations": "id",
    "annotation_tags": "annotation_id",
    "replies": "id",
    "exchange_versions": "item_id",
    "exchange_conflicts": "item_id",
    # a link's far ends are in its line; concordance pairs are items of every file of
    # either document, so a change to one rebuilds the file
    "link_targets": "annotation_id",
    "concordance": "'*'",
    "concordance_conflicts": "'*'",
}


@migrations()
def m0010_positions_coverage(db: sqlite_utils.Database) -> None:
    """Article by article: a position's stance and proposed wording (its rationale is the
    annotation's comment), the versions a new position superseded, who marked an article
    reviewed, and who is assigned to it."""
    db.execute("ALTER TABLE annotations ADD COLUMN stance TEXT")
    db.execute("ALTER TABLE annotations ADD COLUMN proposal TEXT")
    db.execute(
        """
        CREATE TABLE position_history (
            id TEXT PRIMARY KEY,            -- annotation id '#' the revision it was
            annotation_id TEXT NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
            revision INTEGER NOT NULL,
            stance TEXT,
            rationale TEXT NOT NULL DEFAULT '',
            proposal TEXT,
            modified TEXT NOT NULL,         -- when that version was made
            superseded TEXT NOT NULL        -- when a newer position replaced it
        )"""
    )
    db.execute("CREATE INDEX position_history_annotation ON position_history(annotation_id)")
    db.execute(
        """
        CREATE TABLE article_marks (
            id TEXT PRIMARY KEY,            -- UUID 5 of document, article and reviewer
            document_id TEXT NOT NULL REFERENCES documents(id),
            article INTEGER NOT NULL,
            reviewer_id TEXT NOT NULL,
            reviewer_name TEXT NOT NULL,
            reviewed INTEGER NOT NULL,
            revision INTEGER NOT NULL DEFAULT 1,
            modified TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX article_marks_document ON article_marks(document_id, article)")
    db.execute(
        """
        CREATE TABLE article_assignments (
            id TEXT PRIMARY KEY,            -- UUID 5 of document and article
            document_id TEXT NOT NULL REFERENCES documents(id),
            article INTEGER NOT NULL,
            assignee TEXT,                  -- NULL: unassigned again
            revision INTEGER NOT NULL DEFAULT 1,
            modified TEXT NOT NULL,
            modified_by_id TEXT,
            modified_by_name TEXT
        )"""
    )
    db.execute("CREATE INDEX article_assignments_document ON article_assignments(document_id, article)")
    # coverage travels in a review file's header (rebuilt whenever the counter moves)
    _count_changes(db, {"article_marks": "", "article_assignments": "", "position_history": ""})


@migrations()
def m0011_bulk_marks(db: sqlite_utils.Database) -> None:
    """A write of many rows counts and marks its items once, after its statements, instead of
    a counter update and a mark per row (an import of 10,000 annotations: a third of its
    SQLite time): every counting trigger stands aside while ``change_counter.bulk`` is set,
    which only ``Store._bulk_marks`` does, inside the write's transaction."""
    db.execute("ALTER TABLE change_counter ADD COLUMN bulk INTEGER NOT NULL DEFAULT 0")
    counted = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name GLOB '*_counted_*'"
    ).fetchall()
    for name, sql in counted:
        db.execute(f"DROP TRIGGER {name}")
        head, body = sql.split(" BEGIN ", 1)
        db.execute(f"{head} WHEN {NOT_IN_BULK} BEGIN {body}")


@migrations()
def m0012_bulk_full_text(db: sqlite_utils.Database) -> None:
    """The full-text index of a write of many rows is filled by one statement after them
    (``_index_by_hand``) instead of a trigger per row: the triggers' per-row cost was
    60 % of the SQLite time of an import of 10,000 annotations, the index's own work 5 %. Only
    the insert and update triggers stand aside; a delete is never bulk."""
    for name in ("annotations_ai", "annotations_au"):
        (sql,) = db.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", [name]
        ).fetchone()
        db.execute(f"DROP TRIGGER {name}")
        head, body = sql.split(" BEGIN", 1)
        db.execute(f"{head} WHEN {NOT_IN_BULK} BEGIN{body}")


SCHEMA_STEPS = [m.name for m in migrations._migrations]
ANNOTATION_COLUMNS = [
    "id",
    "document_id",
    "kind",
    "author_id",
    "author_name",
    "created",
    "modified",
    "revision",
    "page",
    "pages",
    "quote",
    "prefix",
    "suffix",
    "text_start",
    "text_end",
    "quads",
    "geometry",
    "comment",
    "status",
    "deleted",
    "origin_id",
    "anchor",
    "anchor_score",
    "article",
    "paragraph",
    "subparagraph",
    "item",
    "citation",
    "modified_by_id",
    "modified_by_name",
    "stance",
    "proposal",
]
# Columns of this database alone: written with a row when it carries them, never exchanged
# (not in ANNOTATION_COLUMNS, from which the versions' fields are derived).
LOCAL_ANNOTATION_DEFAULTS: dict[str, Any] = {"private": 0}
LOCAL_ANNOTATION_COLUMNS = list(LOCAL_ANNOTATION_DEFAULTS)
REPLY_COLUMNS = [
    "id",
    "annotation_id",
    "author_id",
    "author_name",
    "created",
    "modified",
    "revision",
    "comment",
    "deleted",
    "modified_by_id",
    "modified_by_name",
]
CARRY_OUTCOME_COLUMNS = [
    "annotation_id",
    "outcome",
    "score",
    "kinds",
    "diff",
    "old_quote",
    "old_citation",
    "confirmed",
]
# Where a passage stands (an annotation's target, or one end of a link): the same columns in
# both tables.
ANCHOR_COLUMNS = (
    "page",
    "pages",
    "quote",
    "prefix",
    "suffix",
    "text_start",
    "text_end",
    "quads",
    "geometry",
    "article",
    "paragraph",
    "subparagraph",
    "item",
    "citation",
)
LINK_TARGET_COLUMNS = ["annotation_id", "position", "document_id", "relation", *ANCHOR_COLUMNS]
CONCORDANCE_COLUMNS = [
    "id",
    "a_document_id",
    "a_citation",
    "b_document_id",
    "b_citation",
    "relation",
    "author_id",
    "author_name",
    "created",
    "modified",
    "revision",
    "deleted",
    "modified_by_id",
    "modified_by_name",
]
MARK_COLUMNS = [
    "id",
    "document_id",
    "article",
    "reviewer_id",
    "reviewer_name",
    "reviewed",
    "revision",
    "modified",
]
ASSIGNMENT_COLUMNS = [
    "id",
    "document_id",
    "article",
    "assignee",
    "revision",
    "modified",
    "modified_by_id",
    "modified_by_name",
]
POSITION_HISTORY_COLUMNS = [
    "id",
    "annotation_id",
    "revision",
    "stance",
    "rationale",
    "proposal",
    "modified",
    "superseded",
]
# Tables whose rows an operation may hold by id alone (Snapshot field, table, columns).
ROW_TABLES = (
    ("marks", "article_marks", MARK_COLUMNS),
    ("assignments", "article_assignments", ASSIGNMENT_COLUMNS),
    ("position_history", "position_history", POSITION_HISTORY_COLUMNS),
)
TAG_COLUMNS = ["id", "name", "color", "definition", "position", "retired", "created", "modified"]


@dataclass
class Snapshot:
    """Rows of the entities an operation touches, as they are (``None`` = absent).

    ``annotation_tags`` maps an annotation id to its tag ids in order.
    """

    annotations: dict[str, Row | None] = field(default_factory=dict)
    annotation_tags: dict[str, tuple[str, ...]] = field(default_factory=dict)
    replies: dict[str, Row | None] = field(default_factory=dict)
    tags: dict[str, Row | None] = field(default_factory=dict)
    carry_outcomes: dict[str, Row | None] = field(default_factory=dict)  # by annotation id
    link_targets: dict[str, tuple[Row, ...]] = field(default_factory=dict)  # a link's other ends
    concordance: dict[str, Row | None] = field(default_factory=dict)
    marks: dict[str, Row | None] = field(default_factory=dict)
    assignments: dict[str, Row | None] = field(default_factory=dict)
    position_history: dict[str, Row | None] = field(default_factory=dict)

    def keys(self) -> SnapshotKeys:
        return SnapshotKeys(
            annotations=tuple(self.annotations),
            replies=tuple(self.replies),
            tags=tuple(self.tags),
            carry_outcomes=tuple(self.carry_outcomes),
            link_targets=tuple(self.link_targets),
            concordance=tuple(self.concordance),
            marks=tuple(self.marks),
            assignments=tuple(self.assignments),
            position_history=tuple(self.position_history),
        )


@dataclass(frozen=True)
class SnapshotKeys:
    annotations: tuple[str, ...] = ()
    replies: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    carry_outcomes: tuple[str, ...] = ()
    link_targets: tuple[str, ...] = ()
    concordance: tuple[str, ...] = ()
    marks: tuple[str, ...] = ()
    assignments: tuple[str, ...] = ()
    position_history: tuple[str, ...] = ()


def default_db_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("Reviewer", appauthor=False)) / "reviewer.sqlite3"


def applied_schema_steps(path: Path) -> list[str] | None:
    """Schema steps recorded in an existing database, read without writing anything."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise ReviewerError(f"cannot open the database: {exc}", path=str(path)) from None
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if Migrations.migrations_table not in tables:
            return None
        return [
            r[0]
            for r in conn.execute(
                f"SELECT name FROM {Migrations.migrations_table} WHERE migration_set = ?", ["reviewer"]
            )
        ]
    except sqlite3.DatabaseError as exc:
        if not _is_damage(exc):
            raise DatabaseUnreadable(
                f"cannot be read ({describe_storage_error(exc)})", path=str(path)
            ) from None
        raise ReviewerError(f"is not a usable Reviewer database ({exc})", path=str(path)) from None
    finally:
        conn.close()


def refuse_newer_schema(db_path: Path) -> None:
    """A database written by a newer Reviewer is refused before anything touches it."""
    steps = applied_schema_steps(db_path)
    unknown = [s for s in (steps or []) if s not in SCHEMA_STEPS]
    if unknown:
        raise NewerDatabase(
            "was written by a newer version of Reviewer (schema step "
            f"{unknown[-1]!r} is unknown here); upgrade Reviewer to open it",
            path=str(db_path),
        )


class Store:
    """The local review database. Every write happens inside ``transaction()``."""

    def __init__(self, path: Path, db: sqlite_utils.Database) -> None:
        self.path = path
        self.db = db
        self._depth = 0
        self._holds_writer_lock = False
        self.closed = False  # a window's late timers ask before they read

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        before_migration: Callable[[Store], object] | None = None,
    ) -> Store:
        """Open (or create) the database: no startup checks or backups, see
        ``reviewer.core.opening.open_store`` for the sequence the app and commands use.

        A newer schema is refused before anything is written; ``before_migration`` is called
        (with the writer lock held) before pending schema steps are applied to an existing
        database.
        """
        db_path = Path(path)
        existed = db_path.exists()
        if existed:
            if db_path.is_dir():
                raise ReviewerError("is a folder, not a database", path=str(db_path))
            refuse_newer_schema(db_path)
        else:
            db_path.parent.mkdir(parents=True, exist_ok=True)
        from reviewer.core import lock

        # Creating or migrating a database holds the writer lock (creation from the first byte:
        # another process that starts meanwhile must not take the empty file for a damaged one).
        # Opening an existing, current database takes no lock: reading works beside the app.
        needs_lock = not existed or _pending_steps(db_path)
        if needs_lock:
            lock.acquire(db_path)
        try:
            try:
                conn = sqlite3.connect(str(db_path), isolation_level=None, check_same_thread=False)
                conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = FULL")
                conn.execute("PRAGMA foreign_keys = ON")
            except sqlite3.DatabaseError as exc:
                raise ReviewerError(f"is not a usable database ({exc})", path=str(db_path)) from None
            db = sqlite_utils.Database(conn)
            store = cls(db_path, db)
            try:
                if migrations.pending(db):
                    if existed and before_migration is not None:
                        before_migration(store)
                    migrations.apply(db)
                    conn.execute(f"PRAGMA user_version = {len(SCHEMA_STEPS)}")
            except BaseException:
                conn.close()
                raise
        finally:
            if needs_lock:
                lock.release(db_path)
        return store

    def close(self) -> None:
        self.release_writer_lock()
        self.db.conn.close()
        self.closed = True

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic, durable write; nested calls join the outer transaction."""
        conn = self.db.conn
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        from reviewer.core import lock

        lock.acquire(self.path)  # one writer: see reviewer/core/lock.py
        try:
            conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                self._write_pending_reviewer()
                yield
                conn.execute("COMMIT")
                self._pending_reviewer = None
            except BaseException as exc:
                if conn.in_transaction:
                    with suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.OperationalError):
                    raise _storage_error(exc, self.path) from None
                raise
            finally:
                self._depth = 0
        finally:
            lock.release(self.path)

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        cursor = self.db.conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    # documents -------------------------------------------------------------------------
    def upsert_document(self, row: Row) -> None:
        if self._another_process_writes() and self.document(row["id"]):
            return  # bookkeeping only (last seen): reading goes on while the app holds the lock
        with self.transaction():
            existing = self.document(row["id"])
            if existing:
                self.db.conn.execute(
                    "UPDATE documents SET pdf_id = ?, title = ?, page_count = ?, page_labels = ?, "
                    "last_path = ?, last_seen = ? WHERE id = ?",
                    [
                        row["pdf_id"],
                        row["title"],
                        row["page_count"],
                        row["page_labels"],
                        row["last_path"],
                        row["last_seen"],
                        row["id"],
                    ],
                )
            else:
                self.db.table("documents").insert(row)

    def document(self, document_id: str) -> Row | None:
        rows = self._rows("SELECT * FROM documents WHERE id = ?", [document_id])
        return rows[0] if rows else None

    def documents_with_pdf_id(self, pdf_id: str) -> list[Row]:
        return self._rows("SELECT * FROM documents WHERE pdf_id = ? ORDER BY last_seen DESC", [pdf_id])

    def documents(self) -> list[Row]:
        return self._rows("SELECT * FROM documents ORDER BY last_seen DESC")

    # reviewers -------------------------------------------------------------------------
    def upsert_reviewer(self, reviewer_id: str, name: str) -> None:
        """Remember who writes through this store. The row is written with this store's next
        write, in the same transaction: opening a review to read, or for an import that is
        then refused, leaves the database byte for byte as it was."""
        known = self.db.conn.execute("SELECT name FROM reviewers WHERE id = ?", [reviewer_id]).fetchone()
        self._pending_reviewer = None if known and known[0] == name else (reviewer_id, name)

    _pending_reviewer: tuple[str, str] | None = None

    def _write_pending_reviewer(self) -> None:
        if self._pending_reviewer is not None:
            self.db.conn.execute(
                "INSERT INTO reviewers(id, name) VALUES (?, ?) "
                "ON CONFLICT(id) DO UPDATE SET name = excluded.name",
                list(self._pending_reviewer),
            )

    # snapshots: the operations' view of the tables -------------------------------------
    def snapshot(self, keys: SnapshotKeys) -> Snapshot:
        """The rows ``keys`` name, as they are (None for absent ones); read 500 ids a query."""
        snap = Snapshot()
        found = self._rows_by_id("annotations", "id", list(keys.annotations))
        tags_of: dict[str, list[str]] = {}
        for chunk in _chunks(list(keys.annotations), 500):
            for annotation_id, tag_id in self.db.conn.execute(
                "SELECT annotation_id, tag_id FROM annotation_tags WHERE annotation_id IN "
                f"({','.join('?' * len(chunk))}) ORDER BY annotation_id, position",
                chunk,
            ):
                tags_of.setdefault(annotation_id, []).append(tag_id)
        for annotation_id in keys.annotations:
            snap.annotations[annotation_id] = found.get(annotation_id)
            snap.annotation_tags[annotation_id] = tuple(tags_of.get(annotation_id, ()))
        found = self._rows_by_id("replies", "id", list(keys.replies))
        for reply_id in keys.replies:
            snap.replies[reply_id] = found.get(reply_id)
        found = self._rows_by_id("tags", "id", list(keys.tags))
        for tag_id in keys.tags:
            snap.tags[tag_id] = found.get(tag_id)
        found = self._rows_by_id("carry_outcomes", "annotation_id", list(keys.carry_outcomes))
        for annotation_id in keys.carry_outcomes:
            snap.carry_outcomes[annotation_id] = found.get(annotation_id)
        for annotation_id in keys.link_targets:
            snap.link_targets[annotation_id] = tuple(
                self._rows(
                    "SELECT * FROM link_targets WHERE annotation_id = ? ORDER BY position", [annotation_id]
                )
            )
        for pair_id in keys.concordance:
            rows = self._rows("SELECT * FROM concordance WHERE id = ?", [pair_id])
            snap.concordance[pair_id] = rows[0] if rows else None
        for name, table, _ in ROW_TABLES:
            held: dict[str, Row | None] = getattr(snap, name)
            found = self._rows_by_id(table, "id", list(getattr(keys, name)))
            for row_id in getattr(keys, name):
                held[row_id] = found.get(row_id)
        return snap

    def _rows_by_id(self, table: str, key: str, ids: list[str]) -> dict[str, Row]:
        found: dict[str, Row] = {}
        for chunk in _chunks(ids, 500):
            for row in self._rows(
                f"SELECT * FROM {table} WHERE {key} IN ({','.join('?' * len(chunk))})", chunk
            ):
                found[row[key]] = row
        return found

    @contextmanager
    def _bulk_marks(self, wanted: bool, items: set[str]) -> Iterator[None]:
        """Inside a transaction: with ``wanted``, the counting triggers stand aside while the
        body writes, then the counter moves once and ``items`` (filled by the body) are marked
        as the triggers would have marked them."""
        if not wanted:
            yield
            return
        conn = self.db.conn
        conn.execute("UPDATE change_counter SET bulk = 1 WHERE id = 1")
        try:
            yield
        finally:
            conn.execute("UPDATE change_counter SET value = value + 1, bulk = 0 WHERE id = 1")
        (value,) = conn.execute("SELECT value FROM change_counter WHERE id = 1").fetchone()
        conn.executemany(
            "INSERT INTO sync_dirty(item_id, counter) VALUES (?, ?) "
            "ON CONFLICT(item_id) DO UPDATE SET counter = excluded.counter",
            [(item, value) for item in sorted(items)],
        )

    def write(self, snap: Snapshot) -> None:
        """Make the touched rows equal to ``snap`` (absent rows deleted)."""
        # A hard delete of annotations cascades to rows no snapshot names (their replies):
        # only the triggers mark those.
        bulk = len(snap.annotations) + len(snap.replies) >= BULK_MARKS_FROM and all(
            row is not None for row in snap.annotations.values()
        )
        items: set[str] = set()
        if bulk:
            items.update(snap.annotations, snap.replies, snap.annotation_tags, snap.link_targets)
            if snap.tags or snap.concordance:
                items.add("*")
        with self.transaction(), self._bulk_marks(bulk, items):
            self._write_rows(snap, index_by_hand=bulk)

    def _write_rows(self, snap: Snapshot, *, index_by_hand: bool = False) -> None:
        conn = self.db.conn
        # Tags first (annotations refer to them), replies last (they refer to annotations).
        # One statement per table and kind of change: an import writes 10,000 rows.
        _upsert_many(conn, "tags", TAG_COLUMNS, [r for r in snap.tags.values() if r is not None])
        gone = [(i,) for i, row in snap.annotations.items() if row is None]
        if gone:
            conn.executemany("DELETE FROM annotations WHERE id = ?", gone)
        # private (local-only) columns are written when the row names them
        by_columns: dict[tuple[str, ...], list[Row]] = {}
        for r in snap.annotations.values():
            if r is not None:
                local = tuple(c for c in LOCAL_ANNOTATION_COLUMNS if c in r)
                by_columns.setdefault(local, []).append(r)
        # In a bulk write the full-text triggers stand aside (m0012): the rows' old words
        # leave the index before their upsert and their new words enter it after.
        indexed = [i for i, row in snap.annotations.items() if row is not None] if index_by_hand else []
        _index_by_hand(conn, indexed, remove=True)
        for local, rows in by_columns.items():
            _upsert_many(conn, "annotations", [*ANNOTATION_COLUMNS, *local], rows)
        _index_by_hand(conn, indexed, remove=False)
        retagged = [
            annotation_id
            for annotation_id in snap.annotation_tags
            if snap.annotations.get(annotation_id, {}) is not None
        ]
        if retagged:
            conn.executemany(
                "DELETE FROM annotation_tags WHERE annotation_id = ?", [(i,) for i in retagged]
            )
            conn.executemany(
                "INSERT INTO annotation_tags(annotation_id, tag_id, position) VALUES (?, ?, ?)",
                [
                    (annotation_id, tag_id, i)
                    for annotation_id in retagged
                    for i, tag_id in enumerate(snap.annotation_tags[annotation_id])
                ],
            )
        gone = [(i,) for i, row in snap.replies.items() if row is None]
        if gone:
            conn.executemany("DELETE FROM replies WHERE id = ?", gone)
        _upsert_many(conn, "replies", REPLY_COLUMNS, [r for r in snap.replies.values() if r is not None])
        for tag_id, row in snap.tags.items():
            if row is None:
                conn.execute("DELETE FROM tags WHERE id = ?", [tag_id])
        for annotation_id, row in snap.carry_outcomes.items():
            if row is None:
                conn.execute("DELETE FROM carry_outcomes WHERE annotation_id = ?", [annotation_id])
            else:
                values = [row.get(c) for c in CARRY_OUTCOME_COLUMNS]
                updates = ", ".join(f"{c} = excluded.{c}" for c in CARRY_OUTCOME_COLUMNS[1:])
                conn.execute(
                    f"INSERT INTO carry_outcomes({', '.join(CARRY_OUTCOME_COLUMNS)}) "
                    f"VALUES ({','.join('?' * len(CARRY_OUTCOME_COLUMNS))}) "
                    f"ON CONFLICT(annotation_id) DO UPDATE SET {updates}",
                    values,
                )
        for annotation_id, targets in snap.link_targets.items():
            if snap.annotations.get(annotation_id, {}) is None:
                continue  # gone with its annotation (ON DELETE CASCADE)
            conn.execute("DELETE FROM link_targets WHERE annotation_id = ?", [annotation_id])
            conn.executemany(
                f"INSERT INTO link_targets({', '.join(LINK_TARGET_COLUMNS)}) "
                f"VALUES ({','.join('?' * len(LINK_TARGET_COLUMNS))})",
                [
                    [dict(t, annotation_id=annotation_id).get(c) for c in LINK_TARGET_COLUMNS]
                    for t in targets
                ],
            )
        for pair_id, row in snap.concordance.items():
            if row is None:
                conn.execute("DELETE FROM concordance WHERE id = ?", [pair_id])
            else:
                _upsert_many(conn, "concordance", CONCORDANCE_COLUMNS, [row])
        for name, table, columns in ROW_TABLES:  # after annotations: history refers to them
            for row_id, row in getattr(snap, name).items():
                if row is None:
                    conn.execute(f"DELETE FROM {table} WHERE id = ?", [row_id])
                else:
                    _upsert_many(conn, table, columns, [row])

    # queries ---------------------------------------------------------------------------
    def tags(self, include_retired: bool = True) -> list[Row]:
        where = "" if include_retired else "WHERE retired = 0"
        return self._rows(f"SELECT * FROM tags {where} ORDER BY retired, position, name")

    def tag_by_name(self, name: str) -> Row | None:
        rows = self._rows("SELECT * FROM tags WHERE name = ? COLLATE NOCASE", [name])
        return rows[0] if rows else None

    def tag_usage(self, document_id: str | None = None) -> dict[str, int]:
        sql = (
            "SELECT at.tag_id, count(*) FROM annotation_tags at JOIN annotations a "
            "ON a.id = at.annotation_id WHERE a.deleted = 0"
        )
        params: list[Any] = []
        if document_id:
            sql += " AND a.document_id = ?"
            params.append(document_id)
        sql += " GROUP BY at.tag_id"
        return {r[0]: r[1] for r in self.db.conn.execute(sql, params)}

    def annotation_ids_with_tag(self, tag_id: str) -> list[str]:
        return [
            r[0]
            for r in self.db.conn.execute(
                "SELECT annotation_id FROM annotation_tags WHERE tag_id = ?", [tag_id]
            )
        ]

    def annotation_row(self, annotation_id: str) -> Row | None:
        rows = self._rows("SELECT * FROM annotations WHERE id = ?", [annotation_id])
        return rows[0] if rows else None

    def annotation_ids_with_prefix(self, prefix: str) -> list[str]:
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return [
            r[0]
            for r in self.db.conn.execute(
                "SELECT id FROM annotations WHERE id LIKE ? ESCAPE '\\' LIMIT 3", [escaped + "%"]
            )
        ]

    def carry_outcomes(self, document_id: str) -> list[Row]:
        """The carry outcomes of a document's live annotations, in reading order."""
        return self._rows(
            "SELECT c.*, a.page, a.text_start FROM carry_outcomes c JOIN annotations a "
            "ON a.id = c.annotation_id WHERE a.document_id = ? AND a.deleted = 0 "
            "ORDER BY a.text_start IS NULL, a.text_start, a.page",
            [document_id],
        )

    def reply_row(self, reply_id: str) -> Row | None:
        rows = self._rows("SELECT * FROM replies WHERE id = ?", [reply_id])
        return rows[0] if rows else None

    def query_annotations(
        self,
        document_id: str | None,
        *,
        tags: Sequence[str] = (),
        authors: Sequence[str] = (),
        statuses: Sequence[str] = (),
        search: str | None = None,
        include_deleted: bool = False,
        ids: Sequence[str] | None = None,
        with_links_here: bool = False,
        include_private: bool = True,
    ) -> list[Row]:
        """Annotation rows with their ``tag_ids`` (list), ``replies`` (list of rows) and, for
        a link, ``link_targets``. ``with_links_here``: also the links made on another document
        with an end in this one (rows as stored: ``reviewer.core.links.seen_from`` shows them).
        ``include_private=False``: what may leave this database (exports, the team folder).

        Every piece of user text reaches SQLite as a parameter; the full-text query is quoted.
        """
        where: list[str] = []
        params: list[Any] = []
        if document_id is not None and with_links_here:
            where.append(
                "(a.document_id = ? OR a.id IN "
                "(SELECT annotation_id FROM link_targets WHERE document_id = ?))"
            )
            params.extend([document_id, document_id])
        elif document_id is not None:
            where.append("a.document_id = ?")
            params.append(document_id)
        if not include_deleted:
            where.append("a.deleted = 0")
        if not include_private:
            where.append("a.private = 0")
        filter_where, filter_params = _filter_clauses(tags, authors, statuses, search)
        where.extend(filter_where)
        params.extend(filter_params)
        if ids is not None:
            marks = ",".join("?" * len(ids))
            where.append(f"a.id IN ({marks})")
            params.extend(ids)
        sql = "SELECT a.* FROM annotations a"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY a.page, a.text_start, a.created, a.id"
        rows = self._rows(sql, params)
        if not rows:
            return rows
        by_id = {r["id"]: r for r in rows}
        for r in rows:
            r["tag_ids"] = []
            r["replies"] = []
        links = [r["id"] for r in rows if r["kind"] == "link"]
        for annotation_id in links:  # only links carry the key: other rows keep their shape
            by_id[annotation_id]["link_targets"] = []
        for annotation_id, targets in self.link_targets_of(links).items():
            by_id[annotation_id]["link_targets"] = targets
        for chunk in _chunks(list(by_id), 500):
            marks = ",".join("?" * len(chunk))
            for annotation_id, tag_id in self.db.conn.execute(
                f"SELECT annotation_id, tag_id FROM annotation_tags WHERE annotation_id IN ({marks}) "
                "ORDER BY annotation_id, position",
                chunk,
            ):
                by_id[annotation_id]["tag_ids"].append(tag_id)
            reply_sql = f"SELECT * FROM replies WHERE annotation_id IN ({marks})"
            if not include_deleted:
                reply_sql += " AND deleted = 0"
            for reply in self._rows(reply_sql + " ORDER BY created, id", chunk):
                by_id[reply["annotation_id"]]["replies"].append(reply)
        return rows

    def link_targets_of(self, annotation_ids: Sequence[str]) -> dict[str, list[Row]]:
        """The other ends of these links, in order."""
        out: dict[str, list[Row]] = {}
        for chunk in _chunks(list(annotation_ids), 500):
            marks = ",".join("?" * len(chunk))
            for row in self._rows(
                f"SELECT * FROM link_targets WHERE annotation_id IN ({marks}) "
                "ORDER BY annotation_id, position",
                chunk,
            ):
                out.setdefault(row["annotation_id"], []).append(row)
        return out

    def links_between(self, first_id: str, second_id: str) -> list[Row]:
        """Live links with an end in each of the two documents (rows with ``link_targets``)."""
        ids = [
            r[0]
            for r in self.db.conn.execute(
                "SELECT DISTINCT a.id FROM annotations a JOIN link_targets t ON t.annotation_id = a.id "
                "WHERE a.deleted = 0 AND a.kind = 'link' AND "
                "((a.document_id = ? AND t.document_id = ?) OR (a.document_id = ? AND t.document_id = ?))",
                [first_id, second_id, second_id, first_id],
            )
        ]
        return self.query_annotations(None, ids=ids) if ids else []

    def concordance_rows(self, first_id: str, second_id: str, include_deleted: bool = True) -> list[Row]:
        """The confirmed concordance of two documents (stored in document id order)."""
        a_id, b_id = sorted((first_id, second_id))
        sql = "SELECT * FROM concordance WHERE a_document_id = ? AND b_document_id = ?"
        if not include_deleted:
            sql += " AND deleted = 0"
        return self._rows(sql + " ORDER BY a_citation, b_citation", [a_id, b_id])

    def concordance_of_document(self, document_id: str) -> list[Row]:
        """Every confirmed pair (tombstones too) with an article of this document."""
        return self._rows(
            "SELECT * FROM concordance WHERE a_document_id = ? OR b_document_id = ? ORDER BY id",
            [document_id, document_id],
        )

    def concordance_rows_by_id(self, pair_ids: Sequence[str]) -> dict[str, Row]:
        out: dict[str, Row] = {}
        for chunk in _chunks(list(pair_ids), 500):
            marks = ",".join("?" * len(chunk))
            for row in self._rows(f"SELECT * FROM concordance WHERE id IN ({marks})", chunk):
                out[row["id"]] = row
        return out

    def concordance_conflict_rows(self, pair_ids: Sequence[str]) -> list[Row]:
        out: list[Row] = []
        for chunk in _chunks(list(pair_ids), 500):
            marks = ",".join("?" * len(chunk))
            out += self._rows(
                f"SELECT * FROM concordance_conflicts WHERE item_id IN ({marks}) "
                "ORDER BY item_id, version_hash",
                chunk,
            )
        return out

    def concordance_conflict_ids_with_prefix(self, prefix: str) -> list[str]:
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return [
            r[0]
            for r in self.db.conn.execute(
                "SELECT DISTINCT item_id FROM concordance_conflicts WHERE item_id LIKE ? ESCAPE '\\' LIMIT 3",
                [escaped + "%"],
            )
        ]

    def concordance_row(self, pair_id: str) -> Row | None:
        rows = self._rows("SELECT * FROM concordance WHERE id = ?", [pair_id])
        return rows[0] if rows else None

    def counts(self) -> dict[str, int]:
        out = {}
        for table in ("documents", "annotations", "replies", "tags", "reviewers"):
            out[table] = int(self.db.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        out["deleted_annotations"] = int(
            self.db.conn.execute("SELECT count(*) FROM annotations WHERE deleted = 1").fetchone()[0]
        )
        return out

    # --- safety ---------------------------------------------------------------------------
    def hold_writer_lock(self, kind: str = "app") -> None:
        """Keep the writer lock until ``close``: the app does this so that no other process
        writes behind its back (see reviewer/core/lock.py). Raises ``DatabaseInUse``."""
        from reviewer.core import lock

        if not self._holds_writer_lock:
            lock.acquire(self.path, kind=kind, wait=2.0)  # a command may be mid-write
            self._holds_writer_lock = True

    def release_writer_lock(self) -> None:
        from reviewer.core import lock

        if self._holds_writer_lock:
            self._holds_writer_lock = False
            lock.release(self.path)

    def _another_process_writes(self) -> bool:
        """True while another process (the app) holds the writer lock of this database."""
        from reviewer.core import lock

        return lock.is_locked_elsewhere(self.path) is not None

    def integrity_problems(self, quick: bool = False) -> list[str]:
        return _check_connection(self.db.conn, quick)

    # --- exchange ---------------------------------------------------------------------
    def exchange_versions(self, item_ids: Sequence[str]) -> dict[str, set[str]]:
        """Version hashes recorded for each item (see ``reviewer.core.exchange.versions``)."""
        out: dict[str, set[str]] = {}
        for chunk in _chunks(list(item_ids), 500):
            marks = ",".join("?" * len(chunk))
            for item_id, version_hash in self.db.conn.execute(
                f"SELECT item_id, version_hash FROM exchange_versions WHERE item_id IN ({marks})", chunk
            ):
                out.setdefault(item_id, set()).add(version_hash)
        return out

    def exchange_add_versions(self, pairs: Sequence[tuple[str, str]]) -> None:
        with self.transaction():
            self.db.conn.executemany(
                "INSERT OR IGNORE INTO exchange_versions(item_id, version_hash) VALUES (?, ?)", pairs
            )

    def exchange_conflict_rows(
        self, *, document_id: str | None = None, item_ids: Sequence[str] | None = None
    ) -> list[Row]:
        where: list[str] = []
        params: list[Any] = []
        if document_id is not None:
            where.append("document_id = ?")
            params.append(document_id)
        if item_ids is not None:
            if not item_ids:
                return []
            rows: list[Row] = []
            for chunk in _chunks(list(item_ids), 500):
                marks = ",".join("?" * len(chunk))
                rows.extend(
                    self._rows(
                        "SELECT * FROM exchange_conflicts WHERE "
                        + " AND ".join([*where, f"item_id IN ({marks})"])
                        + " ORDER BY annotation_id, item_id, version_hash",
                        [*params, *chunk],
                    )
                )
            return rows
        sql = "SELECT * FROM exchange_conflicts"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return self._rows(sql + " ORDER BY annotation_id, item_id, version_hash", params)

    def exchange_replace(self, item_id: str, versions: Sequence[str], conflicts: Sequence[Row]) -> None:
        """Set an item's recorded versions and its conflicts (rows of ``exchange_conflicts``)."""
        self.exchange_replace_many({item_id: (versions, conflicts)})

    def exchange_replace_many(self, items: Mapping[str, tuple[Sequence[str], Sequence[Row]]]) -> None:
        """``exchange_replace`` for many items, a statement per table (an import's 10,000)."""
        if not items:
            return
        conn = self.db.conn
        columns = [
            "item_id",
            "version_hash",
            "item_kind",
            "document_id",
            "annotation_id",
            "revision",
            "modified",
            "author_name",
            "data",
        ]
        marked: set[str] = set(items) if len(items) >= BULK_MARKS_FROM else set()
        with self.transaction(), self._bulk_marks(bool(marked), marked):
            ids = [(item_id,) for item_id in items]
            conn.executemany("DELETE FROM exchange_versions WHERE item_id = ?", ids)
            conn.executemany(
                "INSERT OR IGNORE INTO exchange_versions(item_id, version_hash) VALUES (?, ?)",
                [(item_id, h) for item_id, (versions, _) in items.items() for h in versions],
            )
            conn.executemany("DELETE FROM exchange_conflicts WHERE item_id = ?", ids)
            before = conn.total_changes
            conn.executemany("DELETE FROM concordance_conflicts WHERE item_id = ?", ids)
            every = [row for _, rows in items.values() for row in rows]
            if marked and (
                conn.total_changes != before or any(r.get("item_kind") == "concordance" for r in every)
            ):
                marked.add("*")  # concordance pairs are in every file of either document
            conn.executemany(
                "INSERT INTO concordance_conflicts(item_id, version_hash, data) VALUES (?, ?, ?)",
                [
                    [r["item_id"], r["version_hash"], r["data"]]
                    for r in every
                    if r.get("item_kind") == "concordance"
                ],
            )
            conn.executemany(
                f"INSERT INTO exchange_conflicts({', '.join(columns)}) "
                f"VALUES ({','.join('?' * len(columns))})",
                [[r[c] for c in columns] for r in every if r.get("item_kind") != "concordance"],
            )

    # --- team folder (reviewer/core/team_folder.py) -----------------------------------
    def sync_files(self, folder: str) -> dict[str, Row]:
        """What this database last read or wrote in a team folder, by file name."""
        rows = self._rows("SELECT * FROM sync_files WHERE folder = ?", [folder])
        return {r["name"]: r for r in rows}

    def record_sync_file(
        self,
        folder: str,
        name: str,
        stat: tuple[int, int, int],
        sha256: str,
        own: bool,
        *,
        counter: int | None = None,
        line_digests: bytes | None = None,
    ) -> None:
        """``stat``: (size, mtime_ns, ctime_ns) of the file as it was read or written."""
        with self.transaction():
            self.db.conn.execute(
                "INSERT INTO sync_files(folder, name, size, mtime_ns, ctime_ns, sha256, own, counter, "
                "line_digests) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(folder, name) DO UPDATE SET size = excluded.size, "
                "mtime_ns = excluded.mtime_ns, ctime_ns = excluded.ctime_ns, "
                "sha256 = excluded.sha256, own = excluded.own, counter = excluded.counter, "
                "line_digests = excluded.line_digests",
                [folder, name, *stat, sha256, int(own), counter, line_digests],
            )

    def dirty_since(self, counter: int) -> set[str]:
        """Items whose line in a review file may have changed since ``change_counter`` was
        ``counter`` ('*' among them: every item)."""
        found = self.db.conn.execute("SELECT item_id FROM sync_dirty WHERE counter > ?", [counter])
        return {r[0] for r in found}

    def file_order(
        self, document_id: str
    ) -> tuple[list[tuple[str, int, int | None, str]], list[tuple[str, str, str]]]:
        """What orders a review file, without reading the items: (id, page, text_start,
        created) of the document's shared annotations (tombstones too), and (id,
        annotation_id, created) of their replies."""
        annotations = [
            (str(r[0]), int(r[1]), r[2], str(r[3]))
            for r in self.db.conn.execute(
                "SELECT id, page, text_start, created FROM annotations "
                "WHERE document_id = ? AND private = 0",
                [document_id],
            )
        ]
        replies = [
            (str(r[0]), str(r[1]), str(r[2]))
            for r in self.db.conn.execute(
                "SELECT r.id, r.annotation_id, r.created FROM replies r JOIN annotations a "
                "ON a.id = r.annotation_id WHERE a.document_id = ? AND a.private = 0",
                [document_id],
            )
        ]
        return annotations, replies

    def items_with_conflicts(self, document_id: str) -> set[str]:
        return {
            r[0]
            for r in self.db.conn.execute(
                "SELECT DISTINCT item_id FROM exchange_conflicts WHERE document_id = ?", [document_id]
            )
        }

    def tag_ids_in_use(self, document_id: str) -> set[str]:
        """Tags of the document's shared annotations (a review file defines them)."""
        return {
            r[0]
            for r in self.db.conn.execute(
                "SELECT DISTINCT at.tag_id FROM annotation_tags at JOIN annotations a "
                "ON a.id = at.annotation_id WHERE a.document_id = ? AND a.private = 0",
                [document_id],
            )
        }

    def change_counter(self) -> int:
        """Moves with every change to what review files are made of (see m0009)."""
        found = self.db.conn.execute("SELECT value FROM change_counter WHERE id = 1").fetchone()
        return int(found[0]) if found else 0

    def local_setting(self, key: str) -> str | None:
        found = self.db.conn.execute("SELECT value FROM local_settings WHERE key = ?", [key]).fetchone()
        return None if found is None else str(found[0])

    def set_local_setting(self, key: str, value: str | None) -> None:
        with self.transaction():
            if value is None:
                self.db.conn.execute("DELETE FROM local_settings WHERE key = ?", [key])
            else:
                self.db.conn.execute(
                    "INSERT INTO local_settings(key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    [key, value],
                )

    # --- annotating ---
    def annotation_ids(
        self,
        document_id: str,
        *,
        tags: Sequence[str] = (),
        authors: Sequence[str] = (),
        statuses: Sequence[str] = (),
        search: str | None = None,
    ) -> list[str]:
        """Ids of a document's live annotations matching the filters, in reading order.

        The annotation panel keeps the records in memory and asks only for ids on each filter
        keystroke: reading 10,000 full rows again would cost far more than the 50 ms budget.
        """
        where = ["a.document_id = ?", "a.deleted = 0"]
        params: list[Any] = [document_id]
        filter_where, filter_params = _filter_clauses(tags, authors, statuses, search)
        where.extend(filter_where)
        params.extend(filter_params)
        sql = (
            "SELECT a.id FROM annotations a WHERE "
            + " AND ".join(where)
            + " ORDER BY a.page, a.text_start, a.created, a.id"
        )
        return [r[0] for r in self.db.conn.execute(sql, params)]

    ENTRY_COLUMNS = (
        "id, kind, page, quote, comment, status, author_id, author_name, created, modified, "
        "revision, citation, article, anchor, text_start, anchor_score, modified_by_name"
    )

    def annotation_entries(
        self, document_id: str, ids: Sequence[str] | None = None
    ) -> tuple[list[tuple[Any, ...]], dict[str, list[str]], dict[str, int]]:
        """What the annotation panel lists, without quads and geometry (cheap for 10,000).

        Returns rows as tuples in ``ENTRY_COLUMNS`` order (reading order), the tag ids of
        each annotation and its number of live replies.
        """
        where = "document_id = ? AND deleted = 0"
        params: list[Any] = [document_id]
        if ids is not None:
            where += f" AND id IN ({','.join('?' * len(ids))})"
            params.extend(ids)
        rows = self.db.conn.execute(
            f"SELECT {self.ENTRY_COLUMNS} FROM annotations WHERE {where} "
            "ORDER BY page, text_start, created, id",
            params,
        ).fetchall()
        tag_ids: dict[str, list[str]] = {}
        replies: dict[str, int] = {}
        scope = "a.document_id = ? AND a.deleted = 0"
        if ids is not None:
            scope += f" AND a.id IN ({','.join('?' * len(ids))})"
        for annotation_id, tag_id in self.db.conn.execute(
            "SELECT at.annotation_id, at.tag_id FROM annotation_tags at JOIN annotations a "
            f"ON a.id = at.annotation_id WHERE {scope} ORDER BY at.annotation_id, at.position",
            params,
        ):
            tag_ids.setdefault(annotation_id, []).append(tag_id)
        for annotation_id, count in self.db.conn.execute(
            "SELECT r.annotation_id, count(*) FROM replies r JOIN annotations a "
            f"ON a.id = r.annotation_id WHERE {scope} AND r.deleted = 0 GROUP BY r.annotation_id",
            params,
        ):
            replies[annotation_id] = int(count)
        return rows, tag_ids, replies

    def annotation_quads(
        self,
        document_id: str,
        ids: Sequence[str] | None = None,
        pages: Sequence[int] | None = None,
    ) -> list[tuple[str, str]]:
        """(id, quads JSON) of a document's live annotations (those of ``ids``, or starting
        on one of ``pages``): what the page view paints."""
        sql = "SELECT id, quads FROM annotations WHERE document_id = ? AND deleted = 0"
        params: list[Any] = [document_id]
        if ids is not None:
            sql += f" AND id IN ({','.join('?' * len(ids))})"
            params.extend(ids)
        if pages is not None:
            sql += f" AND page IN ({','.join('?' * len(pages))})"
            params.extend(pages)
        return [(r[0], r[1]) for r in self.db.conn.execute(sql, params)]

    # --- positions and coverage (reviewer/core/positions.py, coverage.py) ---
    def article_marks(self, document_id: str) -> list[Row]:
        return self._rows(
            "SELECT * FROM article_marks WHERE document_id = ? ORDER BY article, reviewer_name, id",
            [document_id],
        )

    def article_assignments(self, document_id: str) -> list[Row]:
        return self._rows(
            "SELECT * FROM article_assignments WHERE document_id = ? ORDER BY article, id", [document_id]
        )

    def position_history(self, annotation_id: str) -> list[Row]:
        return self._rows(
            "SELECT * FROM position_history WHERE annotation_id = ? ORDER BY revision", [annotation_id]
        )

    def position_rows(self, document_id: str) -> list[Row]:
        """A document's live positions (annotations of kind 'position')."""
        return self._rows(
            "SELECT * FROM annotations WHERE document_id = ? AND deleted = 0 AND kind = 'position' "
            "ORDER BY article, author_name, id",
            [document_id],
        )

    def annotation_counts_by_article(self, document_id: str) -> dict[int, int]:
        """Live annotations other than positions, counted per article number."""
        return {
            int(article): int(count)
            for article, count in self.db.conn.execute(
                "SELECT article, count(*) FROM annotations WHERE document_id = ? AND deleted = 0 "
                "AND kind != 'position' AND article IS NOT NULL GROUP BY article",
                [document_id],
            )
        }


def _filter_clauses(
    tags: Sequence[str], authors: Sequence[str], statuses: Sequence[str], search: str | None
) -> tuple[list[str], list[Any]]:
    """WHERE clauses (over ``annotations a``) for the panel's and the CLI's filters; every
    piece of user text is a parameter and the full-text query is quoted."""
    where: list[str] = []
    params: list[Any] = []
    if tags:
        marks = ",".join("?" * len(tags))
        where.append(
            "a.id IN (SELECT at.annotation_id FROM annotation_tags at JOIN tags t "
            f"ON t.id = at.tag_id WHERE t.name COLLATE NOCASE IN ({marks}))"
        )
        params.extend(tags)
    if authors:
        marks = ",".join("?" * len(authors))
        where.append(f"(a.author_name COLLATE NOCASE IN ({marks}) OR a.author_id IN ({marks}))")
        params.extend(authors)
        params.extend(authors)
    if statuses:
        marks = ",".join("?" * len(statuses))
        where.append(f"a.status IN ({marks})")
        params.extend(statuses)
    if search and fts_words(search):
        where.append("a.rowid IN (SELECT rowid FROM annotations_fts WHERE annotations_fts MATCH ?)")
        params.append(fts_query(search))
    return where, params


def fts_words(text: str) -> list[str]:
    printable = "".join(ch if ch.isprintable() else " " for ch in text)
    return printable.split()


def fts_query(text: str) -> str:
    """Quote every word so that any user text is a valid FTS5 query; the last word is a prefix."""
    words = [w.replace('"', '""') for w in fts_words(text)]
    if not words:
        return '""'
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def _upsert_many(conn: sqlite3.Connection, table: str, columns: Sequence[str], rows: Sequence[Row]) -> None:
    if not rows:
        return
    marks = ",".join("?" * len(columns))
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != "id")
    conn.executemany(
        f"INSERT INTO {table}({', '.join(columns)}) VALUES ({marks}) ON CONFLICT(id) DO UPDATE SET {updates}",
        [[row.get(c) for c in columns] for row in rows],
    )


def _index_by_hand(conn: sqlite3.Connection, annotation_ids: list[str], *, remove: bool) -> None:
    """Take the annotations' current quote and comment out of the full-text index, or put
    them in: what the triggers do row by row, in one statement per 500 rows. In rowid order:
    FTS5 flushes its pending terms to a new segment whenever a rowid comes below the last
    one (3× the time, in chunks of ids in any other order)."""
    command = "'delete', " if remove else ""
    columns = "annotations_fts, rowid, quote, comment" if remove else "rowid, quote, comment"
    for chunk in _chunks(annotation_ids, 500):
        conn.execute(
            f"INSERT INTO annotations_fts({columns}) SELECT {command}rowid, quote, comment "
            f"FROM annotations WHERE id IN ({','.join('?' * len(chunk))}) ORDER BY rowid",
            chunk,
        )


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


# One encoder, made once: json.dumps with options builds a new one per call (the quads,
# pages and geometry of 10,000 imported annotations: 30,000 calls, 0.3 s of the import).
dumps = compact_encoder()


# --- safety: the SQLite side of backups, checks and dumps (reviewer/core/backup.py) ------------
SQLITE_MAGIC = b"SQLite format 3\x00"


class DatabaseUnreadable(ReviewerError):
    """The database could not be checked for a reason other than damage (I/O, locks)."""


def describe_storage_error(exc: sqlite3.Error) -> str:
    """SQLite's reason in words a user can act on (EFBIG/ENOSPC arrive as full or I/O error)."""
    text = str(exc)
    if "full" in text:
        return "the disk is full"
    if "disk I/O error" in text:
        return "the disk is full or cannot be written (disk I/O error)"
    return text


def _storage_error(exc: sqlite3.Error, path: Path) -> ReviewerError:
    return ReviewerError(
        f"could not save the change ({describe_storage_error(exc)}); nothing was changed",
        path=str(path),
    )


_DAMAGE_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB


def _is_damage(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:
        text = str(exc)
        return "malformed" in text or "not a database" in text
    return (int(code) & 0xFF) in _DAMAGE_CODES


def _check_connection(conn: sqlite3.Connection, quick: bool) -> list[str]:
    pragma = "quick_check" if quick else "integrity_check"
    rows = [str(r[0]) for r in conn.execute(f"PRAGMA {pragma}(20)")]
    return [] if rows == ["ok"] else rows


def _pending_steps(path: Path) -> bool:
    steps = applied_schema_steps(path) or []
    return any(step not in steps for step in SCHEMA_STEPS)


def integrity_problems_of_file(path: str | os.PathLike[str], quick: bool = True) -> list[str]:
    """What SQLite finds wrong with a database file, read only (``[]`` = sound).

    A file that SQLite cannot read at all is reported as one problem, never raised.
    """
    file = Path(path)
    try:
        size = file.stat().st_size
    except OSError as exc:
        return [f"cannot read ({exc.strerror})"]
    if size == 0:
        return ["the file is empty"]
    with open(file, "rb") as handle:
        head = handle.read(100)
    if not head.startswith(SQLITE_MAGIC):
        return ["not an SQLite database (bad header)"]
    conn: sqlite3.Connection | None = None
    try:
        conn = sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True)
        conn.execute("PRAGMA busy_timeout = 5000")
        return _check_connection(conn, quick)
    except sqlite3.Error as exc:
        if _is_damage(exc):
            return [str(exc)]
        raise DatabaseUnreadable(
            f"cannot be checked ({describe_storage_error(exc)})", path=str(file)
        ) from None
    finally:
        if conn is not None:
            conn.close()


def copy_database(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
    """A consistent copy of a live database through SQLite's backup API (readers never block)."""
    src = sqlite3.connect(f"{Path(source).resolve().as_uri()}?mode=ro", uri=True)
    try:
        src.execute("PRAGMA busy_timeout = 5000")
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")
            dst.commit()
        finally:
            dst.close()
    finally:
        src.close()


def database_summary(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Row counts and schema steps of a database file, read only."""
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        counts = {}
        for table in ("documents", "annotations", "replies", "tags", "reviewers"):
            if table in tables:
                counts[table] = int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        steps: list[str] = []
        if Migrations.migrations_table in tables:
            steps = [
                r[0]
                for r in conn.execute(
                    f"SELECT name FROM {Migrations.migrations_table} WHERE migration_set = ?",
                    ["reviewer"],
                )
            ]
        return {"counts": counts, "schema_steps": steps}
    finally:
        conn.close()


def dump_database(path: str | os.PathLike[str]) -> str:
    """The whole database as SQL text (to compare a database before and after a refusal)."""
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()
