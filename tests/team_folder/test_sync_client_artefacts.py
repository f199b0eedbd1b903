"""What sync clients leave in a team folder: conflicted copies (imported), files in progress,
truncated or invalid (skipped, named once, read again later), locks and temporaries
(ignored), files that vanish (nothing removed), an older copy of one's own file (rewritten)."""

from __future__ import annotations

import json
import os
import shutil
import uuid
from pathlib import Path

from reviewer.core.settings import REVIEWER_NAMESPACE

from .helpers import Reviewer, team


def _reviewer_id(reviewer: Reviewer) -> str:
    return str(uuid.uuid5(REVIEWER_NAMESPACE, reviewer.name))


def _own_file(folder: Path, reviewer: Reviewer) -> Path:
    (found,) = folder.glob(f"*/{_reviewer_id(reviewer)}.review.json")
    return found


def _ids(reviewer: Reviewer) -> list[str]:
    listed = json.loads(reviewer.run("list", str(reviewer.pdf), "--include-deleted", "--json").stdout)
    return [a["id"] for a in listed]


def test_conflicted_copies_in_four_styles_are_imported_without_loss_or_duplicates(
    tmp_path: Path, sample_pdf: Path
) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    ada, ben = team(tmp_path, sample_pdf, ("ada", "ben"))
    ada.annotate("reliable safeguards", "--comment", "Ada's")
    ada.sync(folder)
    ben.sync(folder, "--pdf", str(ben.pdf))  # Ben had not opened the treaty: --pdf names it
    base = _own_file(folder, ben)
    ben_id = _reviewer_id(ben)
    # Ben's two laptops each wrote the file; the sync clients kept the loser as a copy. Each
    # copy holds one annotation nobody else has.
    copies = [
        f"{ben_id} (conflicted copy 2026-12-01).review.json",  # Dropbox
        f"{ben_id}-LAPTOP.review.json",  # OneDrive / SharePoint
        f"{ben_id}.sync-conflict-20261201-120000-ABC.review.json",  # Syncthing
        f"{ben_id} (Ben Reviewer's conflicted copy).review.json",  # Dropbox, shared folder
    ]
    quotes = [
        ("information system", "1"),
        ("promote and strengthen measures", "1"),
        ("Conditions and safeguards", "1"),
        ("competent authorities", "1"),
    ]
    made = []
    for name, (quote, occurrence) in zip(copies, quotes, strict=True):
        laptop = Reviewer("ben", tmp_path / f"laptop-{len(made)}.sqlite3", ben.pdf)
        shutil.copyfile(ben.db, laptop.db)
        made.append(laptop.annotate(quote, "--occurrence", occurrence, "--comment", name))
        laptop.run("export", str(ben.pdf), "--format", "review", "-o", str(base.parent / name))
    rows = ada.sync(folder)
    imported = {r["file"].split("/")[-1]: r for r in rows if r["action"] == "imported"}
    assert set(copies) <= set(imported)
    assert sum(imported[name]["added"] for name in copies) == 4  # each new one once
    ids = _ids(ada)
    assert set(made) <= set(ids) and len(ids) == len(set(ids)) == 5
    for name, annotation_id in zip(copies, made, strict=True):
        shown = json.loads(ada.run("list", str(ada.pdf), "--json").stdout)
        assert next(a["comment"] for a in shown if a["id"] == annotation_id) == name
    # Everything reaches Ben through Ada's file; again nothing twice.
    ada.sync(folder)
    ben.sync(folder)
    assert sorted(_ids(ben)) == sorted(ids)


def test_files_in_progress_damaged_or_locks(tmp_path: Path, sample_pdf: Path) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    ada, ben, carla = team(tmp_path, sample_pdf)
    ada.annotate("reliable safeguards")
    ben.annotate("information system", "--occurrence", "1", "--comment", "Ben's")
    carla.annotate("Conditions and safeguards", "--occurrence", "1", "--comment", "Carla's")
    for r in (ada, ben, carla, ada, ben):
        r.sync(folder)
    place = _own_file(folder, ada).parent
    ben_file, carla_file = _own_file(folder, ben), _own_file(folder, carla)
    ben_bytes, carla_bytes = ben_file.read_bytes(), carla_file.read_bytes()
    dump_before = ada.state()
    # Ben's and Carla's new files arrive: Ben's only half written, Carla's damaged.
    ben.annotate("promote and strengthen measures", "--comment", "Ben's second")
    carla.annotate("competent authorities", "--occurrence", "1", "--comment", "Carla's second")
    ben.sync(folder)
    carla.sync(folder)
    ben_new, carla_new = ben_file.read_bytes(), carla_file.read_bytes()
    ben_file.write_bytes(ben_new[: len(ben_new) * 2 // 3])  # truncated mid-item
    assert b'"type":"Annotation"' in carla_new
    carla_file.write_bytes(carla_new.replace(b'"type":"Annotation"', b'"type":"Annotation",,', 1))
    empty = place / "dave.review.json"
    empty.write_bytes(b"")
    binary = place / "eve.review.json"
    binary.write_bytes(b"\x00\xff" * 50)
    # Locks and temporaries of editors and sync clients: never read, never named.
    ignored = [
        f".syncthing.{ben_file.name}.tmp",
        f"~${ben_file.name}",
        f".~lock.{ben_file.name}#",
        f"{ben_file.name}.part",
        f".{ben_file.name}.abc123.reviewer-tmp",
        f"{ben_file.name}.tmp",
        ".dropbox.cache",
        "desktop.ini",
    ]
    for name in ignored:
        (place / name).write_bytes(b"{not json")
    result = ada.run("sync", str(folder))
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    for broken in (ben_file, carla_file, empty, binary):
        assert sum(broken.name in line for line in warnings) == 1, (broken.name, warnings)
    assert len(warnings) == 4
    for name in ignored:
        assert name not in result.output
    assert "is not valid JSON" in next(w for w in warnings if ben_file.name in w)
    # Nothing of the damaged files was imported (never half an import).
    assert ada.state() == dump_before
    # The files are whole again (the clients finished): read again, imported.
    ben_file.write_bytes(ben_new)
    carla_file.write_bytes(carla_new)
    rows = ada.sync(folder)
    got = {r["file"].split("/")[-1]: r for r in rows}
    assert got[ben_file.name]["action"] == got[carla_file.name]["action"] == "imported"
    assert got[ben_file.name]["added"] + got[carla_file.name]["added"] == 2
    comments = {a["comment"] for a in ada.state()["annotations"].values()}
    assert {"Ben's second", "Carla's second"} <= comments
    assert ben_bytes != ben_new and carla_bytes != carla_new


def test_a_file_that_vanishes_removes_nothing(tmp_path: Path, sample_pdf: Path) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    ada, ben = team(tmp_path, sample_pdf, ("ada", "ben"))
    ben.annotate("information system", "--occurrence", "1", "--comment", "Ben's")
    ben.sync(folder)
    ada.annotate("reliable safeguards")
    ada.sync(folder)
    before = ada.state()
    assert len(before["annotations"]) == 2
    _own_file(folder, ben).unlink()
    ada.sync(folder)
    shutil.rmtree(_own_file(folder, ada).parent)  # the whole document folder, even
    ada.sync(folder)
    assert ada.state() == before
    assert _own_file(folder, ada).exists()  # written again


def test_an_older_copy_of_ones_own_file_is_rewritten(tmp_path: Path, sample_pdf: Path) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    (ada,) = team(tmp_path, sample_pdf, ("ada",))
    first = ada.annotate("reliable safeguards", "--comment", "First thought")
    ada.sync(folder)
    own = _own_file(folder, ada)
    old = tmp_path / "old.review.json"
    shutil.copy2(own, old)
    ada.run("edit", first, "--comment", "Second thought")
    ada.annotate("information system", "--occurrence", "1")
    ada.sync(folder)
    current = own.read_bytes()
    stat = own.stat()
    shutil.copyfile(old, own)  # the sync client puts back the old one...
    os.utime(own, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # ...even with the new time
    before = ada.state()
    rows = ada.sync(folder)
    assert [r["action"] for r in rows] == ["imported", "written"]
    assert rows[0]["added"] == rows[0]["updated"] == 0
    assert own.read_bytes() == current
    assert ada.state() == before
    assert before["annotations"][first]["comment"] == "Second thought"


def test_a_teammates_file_of_a_document_never_opened_here_is_named_then_imported(
    tmp_path: Path, sample_pdf: Path
) -> None:
    """A new teammate's first sync: Ada's file is of a document Ben's database has never seen.
    It is named (nothing to import it into yet), then imported once Ben opened the document."""
    folder = tmp_path / "team"
    folder.mkdir()
    ada, ben = team(tmp_path, sample_pdf, ("ada", "ben"))
    ada.annotate("reliable safeguards", "--comment", "Too weak")
    ada.sync(folder)
    first = ben.run("sync", str(folder)).stdout.splitlines()
    ada_file = _own_file(folder, ada).relative_to(folder).as_posix()
    assert first == [
        f"{ada_file}: not imported: its document is not in this database "
        "(open the PDF once, e.g. 'reviewer list PDF', then sync again)"
    ]
    assert [f["action"] for f in ben.sync(folder)] == ["document not in this database"]
    assert json.loads(ben.run("list", str(ben.pdf), "--json").stdout) == []  # opens it here
    outcomes = ben.sync(folder)
    assert [(f["file"], f["action"], f["added"]) for f in outcomes if f["action"] == "imported"] == [
        (ada_file, "imported", 1)
    ]
    assert [a["comment"] for a in ben.state()["annotations"].values()] == ["Too weak"]
