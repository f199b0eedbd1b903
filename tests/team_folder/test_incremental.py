"""A teammate's file read again brings only the items whose line changed; the result is the
same as importing the whole file (every merge is a join), whatever the file's layout."""

from __future__ import annotations

import json
from pathlib import Path

from .helpers import team


def _setup(tmp_path: Path, sample_pdf: Path):  # type: ignore[no-untyped-def]
    folder = tmp_path / "team"
    folder.mkdir()
    ada, ben = team(tmp_path, sample_pdf, ("ada", "ben"))
    ids = [
        ben.annotate("reliable safeguards", "--comment", "one"),
        ben.annotate("information system", "--occurrence", "1", "--comment", "two"),
        ben.annotate("promote and strengthen measures", "--comment", "three"),
    ]
    ben.run("reply", ids[0], "--comment", "a reply")
    ben.sync(folder, "--pdf", str(ben.pdf))
    ada.sync(folder, "--pdf", str(ada.pdf))
    return folder, ada, ben, ids


def _ben_row(rows: list[dict]) -> dict:  # type: ignore[type-arg]
    (row,) = [r for r in rows if r["action"] == "imported"]
    return row


def test_only_the_changed_items_are_imported_again(tmp_path: Path, sample_pdf: Path) -> None:
    folder, ada, ben, ids = _setup(tmp_path, sample_pdf)
    ben.run("edit", ids[1], "--comment", "two, edited")
    ben.sync(folder)
    row = _ben_row(ada.sync(folder))
    assert (row["added"], row["updated"], row["unchanged"]) == (0, 1, 0)
    assert ada.state() == ben.state()
    assert ada.state()["annotations"][ids[1]]["comment"] == "two, edited"


def test_a_file_in_another_layout_is_imported_whole(tmp_path: Path, sample_pdf: Path) -> None:
    folder, ada, ben, ids = _setup(tmp_path, sample_pdf)
    ben.run("edit", ids[2], "--comment", "three, edited")
    ben.sync(folder)
    (ben_file,) = [p for p in folder.rglob("*.review.json") if p != _own(folder, ada)]
    # A tool re-indented Ben's file: still the same review, each item now on many lines.
    ben_file.write_text(json.dumps(json.loads(ben_file.read_text("utf-8")), indent=2), "utf-8")
    row = _ben_row(ada.sync(folder))
    assert (row["added"], row["updated"], row["unchanged"]) == (0, 1, 3)  # 3 annotations + reply
    assert ada.state() == ben.state()


def _own(folder: Path, reviewer) -> Path:  # type: ignore[no-untyped-def]
    import uuid

    from reviewer.core.settings import REVIEWER_NAMESPACE

    (found,) = folder.glob(f"*/{uuid.uuid5(REVIEWER_NAMESPACE, reviewer.name)}.review.json")
    return found


def test_a_new_reply_is_read_with_its_annotation_only(tmp_path: Path, sample_pdf: Path) -> None:
    folder, ada, ben, ids = _setup(tmp_path, sample_pdf)
    ben.run("reply", ids[2], "--comment", "a second thought")
    ben.sync(folder)
    row = _ben_row(ada.sync(folder))
    # The reply, and its annotation (which the file must hold with it), nothing else.
    assert (row["added"], row["updated"], row["unchanged"]) == (1, 0, 1)
    assert ada.state() == ben.state()
