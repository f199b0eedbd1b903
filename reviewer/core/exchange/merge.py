"""Merging review files with each other (``reviewer merge`` and the git merge driver), without a
database.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from reviewer.core import progress
from reviewer.core.errors import ReviewerError
from reviewer.core.exchange import review_file
from reviewer.core.exchange.versions import (
    ReviewData,
    merge_all,
)
from reviewer.core.gcpause import collector_paused


def merge_files(paths: Sequence[str], out: str | os.PathLike[str] | None = None) -> ReviewData:
    """Combine review files of one document; the result does not depend on their order."""
    with collector_paused():
        return _merge_files(paths, out)


def _merge_files(paths: Sequence[str], out: str | os.PathLike[str] | None) -> ReviewData:
    if not paths:
        raise ReviewerError("give at least one review file to merge")
    read_before: dict[str, Any] = {}  # equal item lines in several files are read once
    loaded = []
    for at, p in enumerate(paths):
        progress.report("reading the review files", at, len(paths))
        loaded.append((p, review_file.read(p, read_before)))
    first_path, first = loaded[0]
    for path, data in loaded[1:]:
        if data.document.sha256 != first.document.sha256:
            raise ReviewerError(
                f"is a review of another document ({data.document.title!r}) than {first_path} "
                f"({first.document.title!r})",
                path=path,
            )
    progress.report("merging", len(paths), len(paths) + 1)
    merged = merge_all(d for _, d in loaded)
    if out is not None:
        review_file.write(merged, out)
    progress.report("merging", len(paths) + 1, len(paths) + 1)
    return merged


def merge_driver(base: str, ours: str, theirs: str) -> ReviewData:
    """git merge driver: the merge of all three is written into ``ours``."""
    paths = [p for p in (base, ours, theirs) if os.path.getsize(p) > 0]
    return merge_files(paths or [ours], ours)
