"""Three reviewers on one team folder: annotate, edit each other's work, reply, delete, and
one concurrent edit; after two rounds every database holds the same review, the concurrent
edit a conflict with both texts, whatever the order and however often each syncs."""

from __future__ import annotations

import itertools
import json
import shutil
from pathlib import Path

import pytest

from .helpers import Reviewer, team


def _round(reviewers: list[Reviewer], folder: Path, order: str = "abc") -> None:
    by_letter = {r.key[0]: r for r in reviewers}
    for letter in order:
        by_letter[letter].sync(folder)


@pytest.fixture
def worked(tmp_path: Path, sample_pdf: Path):  # type: ignore[no-untyped-def]
    """The team after a first exchange and a second day's concurrent work, not yet synced."""
    folder = tmp_path / "Team folder"
    folder.mkdir()
    ada, ben, carla = team(tmp_path, sample_pdf)
    a1 = ada.annotate(
        "promote and strengthen measures", "--tag", "surveillance power", "--comment", "Too broad."
    )
    a2 = ada.annotate("reliable safeguards", "--comment", "Start")
    b1 = ben.annotate("information system", "--occurrence", "1", "--comment", "Define it.")
    c1 = carla.annotate("Conditions and safeguards", "--occurrence", "1", "--comment", "Key article")
    for _ in range(2):
        _round([ada, ben, carla], folder)
    # Day two: each works on the others' annotations, without syncing.
    ben.run("edit", a1, "--status", "accepted", "--add-tag", "safeguard")
    carla.run("reply", b1, "--comment", "Agreed, see Art. 1.")
    ada.run("delete", c1)
    ada.run("edit", a2, "--comment", "Ada: adequate")
    ben.run("edit", a2, "--comment", "Ben: insufficient")
    return folder, [ada, ben, carla], {"a1": a1, "a2": a2, "b1": b1, "c1": c1}


def test_two_rounds_make_every_database_the_same(worked) -> None:  # type: ignore[no-untyped-def]
    folder, (ada, ben, carla), ids = worked
    for _ in range(2):
        _round([ada, ben, carla], folder)
    states = [r.state() for r in (ada, ben, carla)]
    assert states[0] == states[1] == states[2]
    seen = states[0]["annotations"]
    assert set(seen) == set(ids.values())
    assert seen[ids["a1"]]["status"] == "accepted"
    assert seen[ids["a1"]]["tags"] == ["surveillance power", "safeguard"]
    assert [r[1] for r in seen[ids["b1"]]["replies"]] == ["Agreed, see Art. 1."]
    assert seen[ids["c1"]]["deleted"] is True
    # The concurrent edit: one text current, the other kept as a conflict, in all three.
    (conflict,) = states[0]["conflicts"]
    assert conflict[0] == ids["a2"]
    assert {conflict[2], conflict[3]} == {"Ada: adequate", "Ben: insufficient"}
    for reviewer in (ada, ben, carla):
        shown = reviewer.run("list", str(reviewer.pdf), "--conflicts").output
        assert "Ada: adequate" in shown and "Ben: insufficient" in shown


ORDERS = ["abc abc", "cba cba", "bca acb", "aabbcc ccbbaa", "cab bac cab"]


def test_any_order_any_number_of_times_gives_the_same_state(worked, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder, reviewers, _ = worked
    start = tmp_path / "start"
    shutil.copytree(folder, start / "folder")
    for r in reviewers:
        shutil.copyfile(r.db, start / f"{r.key}.sqlite3")
    finals = []
    for number, order in enumerate(ORDERS):
        place = tmp_path / f"order{number}"
        shutil.copytree(start / "folder", place / "folder")
        copies = []
        for r in reviewers:
            db = place / f"{r.key}.sqlite3"
            shutil.copyfile(start / f"{r.key}.sqlite3", db)
            copies.append(Reviewer(r.key, db, r.pdf))
        for part in order.split():
            _round(copies, place / "folder", part)
        _round(copies, place / "folder", "abc")  # at least two full rounds in every order
        states = [c.state() for c in copies]
        assert states[0] == states[1] == states[2], order
        finals.append(states[0])
        # More syncs, in any order, change nothing and write nothing.
        before = {p: p.read_bytes() for p in (place / "folder").rglob("*.review.json")}
        for letters in itertools.permutations("abc"):
            _round(copies, place / "folder", "".join(letters))
        assert [c.state() for c in copies] == states
        assert {p: p.read_bytes() for p in (place / "folder").rglob("*.review.json")} == before
    assert all(f == finals[0] for f in finals)


def test_output_names_each_file_and_what_it_brought(worked) -> None:  # type: ignore[no-untyped-def]
    folder, (ada, ben, carla), ids = worked
    rows = carla.sync(folder)
    by_file = {r["file"].split("/")[-1]: r for r in rows}
    document_folder = next(p for p in folder.iterdir() if p.is_dir())
    assert document_folder.name.startswith("Convention") or document_folder.name.endswith(
        rows[0]["document"][:12]
    )
    ada_file = f"{_id_of(ada)}.review.json"
    # Carla read Ada's file of the second round already; her own file has her new reply.
    assert by_file[ada_file]["action"] == "not modified"
    assert by_file[f"{_id_of(carla)}.review.json"]["action"] == "written"
    ada.sync(folder)
    ben.sync(folder)
    rows = carla.sync(folder)
    by_file = {r["file"].split("/")[-1]: r for r in rows}
    assert by_file[ada_file]["updated"] >= 2  # a2 edited, c1 deleted
    assert by_file[f"{_id_of(ben)}.review.json"]["conflicts"] == 1
    assert ids["a2"] in by_file[f"{_id_of(ben)}.review.json"]["conflict_ids"]
    text = carla.run("sync", str(folder)).output
    assert "own file unchanged" in text and "not modified" in text


def test_own_file_is_written_only_when_its_content_changes(tmp_path: Path, sample_pdf: Path) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    (ada,) = team(tmp_path, sample_pdf, ("ada",))
    first = ada.annotate("reliable safeguards", "--comment", "One")
    assert [r["action"] for r in ada.sync(folder)] == ["written"]
    (own,) = folder.rglob("*.review.json")
    stamp = own.stat().st_mtime_ns
    assert [r["action"] for r in ada.sync(folder)] == ["not modified", "own file unchanged"]
    assert own.stat().st_mtime_ns == stamp
    ada.run("edit", first, "--comment", "Two")
    assert [r["action"] for r in ada.sync(folder)] == ["not modified", "written"]
    assert "Two" in own.read_text("utf-8")


def _id_of(reviewer: Reviewer) -> str:
    import uuid

    from reviewer.core.settings import REVIEWER_NAMESPACE

    return str(uuid.uuid5(REVIEWER_NAMESPACE, reviewer.name))


def test_a_folder_that_is_not_there_is_one_line_and_exit_1(tmp_path: Path, sample_pdf: Path) -> None:
    (ada,) = team(tmp_path, sample_pdf, ("ada",))
    ada.annotate("reliable safeguards")
    result = ada.run("sync", str(tmp_path / "missing"), ok=False)
    assert result.exit_code != 0
    assert json.dumps(str(tmp_path / "missing"))[1:-1] in (result.output + str(result.exception))


def test_interval_without_watch_is_refused(tmp_path: Path, sample_pdf: Path) -> None:
    (ada,) = team(tmp_path, sample_pdf, ("ada",))
    result = ada.run("sync", str(tmp_path), "--interval", "1", ok=False)
    assert result.exit_code == 2
    assert "--interval is for --watch" in result.output
