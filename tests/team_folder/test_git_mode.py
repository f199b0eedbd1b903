"""``reviewer sync FOLDER --git`` against a bare repository with clones: both converge, a
push race retries, two pushes at once both land, the merge driver is configured."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reviewer.core.exchange import team_git

from .helpers import team


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    bare = tmp_path / "team.git"
    subprocess.run(["git", "init", "--quiet", "--bare", "-b", "main", str(bare)], check=True)
    return bare


def clone(repo: Path, where: Path) -> Path:
    subprocess.run(["git", "clone", "--quiet", str(repo), str(where)], check=True, capture_output=True)
    return where


def test_two_clones_converge_and_commit_as_the_reviewer(tmp_path: Path, sample_pdf: Path, repo: Path) -> None:
    ada, ben = team(tmp_path, sample_pdf, ("ada", "ben"))
    ada_tree, ben_tree = clone(repo, tmp_path / "ada-clone"), clone(repo, tmp_path / "ben-clone")
    ada.annotate("reliable safeguards", "--comment", "Ada's")
    first = ada.run("sync", str(ada_tree / "reviews"), "--git").output
    assert "configured the review-file merge driver" in first and "pushed to origin/main" in first
    ben.annotate("information system", "--occurrence", "1", "--comment", "Ben's")
    ben.run("sync", str(ben_tree / "reviews"), "--git")
    ada.run("sync", str(ada_tree / "reviews"), "--git")
    assert ada.state() == ben.state()
    assert len(ada.state()["annotations"]) == 2
    log = git(ada_tree, "log", "--format=%s", "origin/main")
    assert "Reviewer sync: Ada Tester" in log and "Reviewer sync: Ben Reviewer" in log
    files = git(ada_tree, "ls-tree", "-r", "--name-only", "origin/main").splitlines()
    assert len(files) == 2 and all(f.startswith("reviews/") and f.endswith(".review.json") for f in files)
    for tree in (ada_tree, ben_tree):
        assert "merge-driver" in git(tree, "config", "--get", "merge.reviewer.driver")
        assert git(tree, "check-attr", "merge", "--", "reviews/x.review.json").strip().endswith("reviewer")
    # Nothing changed: nothing committed, nothing pushed twice.
    count = len(log.splitlines())
    ada.run("sync", str(ada_tree / "reviews"), "--git")
    assert len(git(ada_tree, "log", "--format=%s", "origin/main").splitlines()) == count


def test_a_push_that_lost_the_race_pulls_again_and_retries(
    tmp_path: Path, sample_pdf: Path, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ada, ben = team(tmp_path, sample_pdf, ("ada", "ben"))
    ada_tree, ben_tree = clone(repo, tmp_path / "ada-clone"), clone(repo, tmp_path / "ben-clone")
    ada.annotate("reliable safeguards", "--comment", "Ada's")
    ben.annotate("information system", "--occurrence", "1", "--comment", "Ben's")
    real_git = team_git._git
    raced = []

    def git_with_a_race(top: Path, *args: str, check: bool = True):  # type: ignore[no-untyped-def]
        if args[0] == "push" and top == ada_tree and not raced:
            raced.append(True)  # Ben pushes between Ada's pull and Ada's push
            ben.run("sync", str(ben_tree / "reviews"), "--git")
        return real_git(top, *args, check=check)

    monkeypatch.setattr(team_git, "_git", git_with_a_race)
    out = ada.run("sync", str(ada_tree / "reviews"), "--git").output
    assert raced and "push refused (attempt 1): pulling again" in out
    assert out.rstrip().endswith("pushed to origin/main")
    ben.run("sync", str(ben_tree / "reviews"), "--git")
    assert ada.state() == ben.state() and len(ada.state()["annotations"]) == 2
    history = git(ada_tree, "log", "--format=%s", "origin/main").splitlines()
    assert history.count("Reviewer sync: Ada Tester") >= 1


def test_both_push_at_once(tmp_path: Path, sample_pdf: Path, repo: Path) -> None:
    """Two processes sync at the same moment; whichever push loses pulls and retries."""
    reviewers = team(tmp_path, sample_pdf, ("ada", "ben"))
    trees = [clone(repo, tmp_path / f"{r.key}-clone") for r in reviewers]
    seed = reviewers[0]
    seed.annotate("reliable safeguards", "--comment", "Seed")
    seed.run("sync", str(trees[0] / "reviews"), "--git")  # the branch exists: both must pull
    for r, quote in zip(
        reviewers, ("promote and strengthen measures", "Conditions and safeguards"), strict=True
    ):
        r.annotate(quote, "--occurrence", "1", "--comment", f"{r.key} at once")
    env = dict(os.environ)
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "reviewer",
                "--db",
                str(r.db),
                "--author",
                r.name,
                "sync",
                str(tree / "reviews"),
                "--git",
                "--pdf",
                str(r.pdf),
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for r, tree in zip(reviewers, trees, strict=True)
    ]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    for out, _err in outputs:
        assert "pushed to origin/main" in out
    for r, tree in zip(reviewers, trees, strict=True):
        r.run("sync", str(tree / "reviews"), "--git")
    reviewers[0].run("sync", str(trees[0] / "reviews"), "--git")
    states = [r.state() for r in reviewers]
    assert states[0] == states[1]
    assert {a["comment"] for a in states[0]["annotations"].values()} == {"Seed", "ada at once", "ben at once"}


def test_one_reviewer_on_two_clones_merges_through_the_driver(
    tmp_path: Path, sample_pdf: Path, repo: Path
) -> None:
    """Ada's laptop and desktop both change her file: git merges it with the review-file driver."""
    (laptop,) = team(tmp_path / "laptop", sample_pdf, ("ada",))
    (desktop,) = team(tmp_path / "desktop", sample_pdf, ("ada",))
    laptop_tree, desktop_tree = clone(repo, tmp_path / "l-clone"), clone(repo, tmp_path / "d-clone")
    laptop.annotate("reliable safeguards", "--comment", "From the laptop")
    laptop.run("sync", str(laptop_tree / "reviews"), "--git")
    desktop.annotate("information system", "--occurrence", "1", "--comment", "From the desktop")
    # The desktop committed its file before it heard of the laptop's: both changed one file.
    (desktop_tree / "reviews").mkdir()
    desktop.run("sync", str(desktop_tree / "reviews"), "--pdf", str(desktop.pdf))
    git(desktop_tree, "add", "-A")
    git(desktop_tree, "-c", "user.name=Ada", "-c", "user.email=a@x", "commit", "-qm", "offline work")
    desktop.run("sync", str(desktop_tree / "reviews"), "--git")
    merge = git(desktop_tree, "log", "--merges", "--format=%H", "-1").strip()
    assert merge, "the pull made a merge commit"
    (own,) = (desktop_tree / "reviews").glob("*/*.review.json")
    text = git(desktop_tree, "show", f"{merge}:{own.relative_to(desktop_tree).as_posix()}")
    assert "From the laptop" in text and "From the desktop" in text  # the driver merged both
    laptop.run("sync", str(laptop_tree / "reviews"), "--git")
    assert laptop.state() == desktop.state()
    assert len(desktop.state()["annotations"]) == 2
    assert not git(desktop_tree, "diff", "--name-only", "--diff-filter=U").strip()


def test_outside_a_git_work_tree_is_one_line(tmp_path: Path, sample_pdf: Path) -> None:
    (ada,) = team(tmp_path, sample_pdf, ("ada",))
    ada.annotate("reliable safeguards")
    plain = tmp_path / "plain"
    plain.mkdir()
    result = ada.run("sync", str(plain), "--git", ok=False)
    assert result.exit_code == 1
    assert "is not inside a git work tree" in str(result.exception) + result.output
