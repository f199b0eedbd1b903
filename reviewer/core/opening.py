"""The opening sequence of the review database that the app and every command use.

It joins the store (SQLite) and the backups: ``store`` knows nothing of backups and
``backup`` builds on ``store``, so the sequence that needs both lives here, above them.
"""

from __future__ import annotations

import os
from pathlib import Path

from reviewer.core.backup import backup_before, raise_if_corrupt, start_of_session
from reviewer.core.store import Store, refuse_newer_schema


def open_store(path: str | os.PathLike[str], *, startup_checks: bool = True) -> Store:
    """Open (or create) the database as the app does.

    With ``startup_checks`` a damaged database is detected and moved aside
    (``CorruptDatabase``, with the newest verified backup to offer), a newer schema is refused
    before anything is written, stale temporaries are cleared and a backup is made when the
    newest is older than a day. A backup is always made before a pending schema migration.
    """
    db_path = Path(path)
    if startup_checks and db_path.exists() and not db_path.is_dir():
        raise_if_corrupt(db_path)
        refuse_newer_schema(db_path)
        start_of_session(db_path)
    return Store.open(db_path, before_migration=lambda store: backup_before(store, "before-migration"))
