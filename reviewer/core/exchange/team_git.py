"""The team folder in a git work tree (``reviewer sync FOLDER --git``): pull, sync, commit,
push; a push that lost a race pulls again and retries.

Each reviewer writes only their own file, so teammates' commits touch other files and merge
without conflict; should two clones of one reviewer both change the same file, the review-file
merge driver (configured in the repository when missing) merges it like any review.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reviewer.core.errors import ReviewerError
from reviewer.core.exchange.team_folder import SyncReport, sync_folder
from reviewer.core.review import Review

MERGE_DRIVER = "reviewer"
ATTRIBUTE_LINE = f"*.review.json merge={MERGE_DRIVER}"
PUSH_ATTEMPTS = 5


@dataclass
class GitSyncOutcome:
    report: SyncReport
    steps: list[str] = field(default_factory=list)  # what git did, one line each


class GitError(ReviewerError):
    pass


def git_sync(
    review: Review,
    folder: str | os.PathLike[str],
    document_ids: Sequence[str] | None = None,
    *,
    attempts: int = PUSH_ATTEMPTS,
) -> GitSyncOutcome:
    place = Path(folder).absolute()
    top = work_tree_of(place)
    place.mkdir(parents=True, exist_ok=True)
    steps: list[str] = []
    if ensure_merge_driver(top):
        steps.append("configured the review-file merge driver in this repository")
    remote, branch = _remote_and_branch(top)
    _commit(review, top, place, steps)  # what a stopped sync left uncommitted
    report = SyncReport(str(place))
    last_error = [""]
    for attempt in range(1, attempts + 1):
        if remote:
            _pull(top, remote, branch, steps)
        report = sync_folder(review, place, document_ids)
        _commit(review, top, place, steps)
        if not remote:
            steps.append("no remote: committed only")
            return GitSyncOutcome(report, steps)
        pushed = _git(top, "push", remote, f"HEAD:refs/heads/{branch}", check=False)
        if pushed.returncode == 0:
            steps.append(f"pushed to {remote}/{branch}")
            return GitSyncOutcome(report, steps)
        steps.append(f"push refused (attempt {attempt}): pulling again")
        last_error = pushed.stderr.strip().splitlines()[-1:] or [""]
    raise GitError(
        f"push refused {attempts} times ({last_error[0]}); the commit is kept, sync again later",
        path=str(place),
    )


def work_tree_of(place: Path) -> Path:
    """The top of the git work tree holding ``place`` (or its nearest existing parent)."""
    probe = place
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    found = _run(["git", "rev-parse", "--show-toplevel"], probe if probe.is_dir() else probe.parent)
    if found.returncode != 0:
        raise GitError(
            "is not inside a git work tree (leave out --git, or clone the team's repository)",
            path=str(place),
        )
    return Path(found.stdout.strip())


def ensure_merge_driver(top: Path) -> bool:
    """Configure the review-file merge driver in this repository (local config and
    ``info/attributes``, nothing committed) when it is missing; True if something was added."""
    changed = False
    if _git(top, "config", "--get", f"merge.{MERGE_DRIVER}.driver", check=False).returncode != 0:
        command = f"{shlex.quote(sys.executable)} -m reviewer merge-driver %O %A %B"
        _git(top, "config", f"merge.{MERGE_DRIVER}.name", "Reviewer review files")
        _git(top, "config", f"merge.{MERGE_DRIVER}.driver", command)
        changed = True
    current = _git(top, "check-attr", "merge", "--", "x.review.json").stdout
    if not current.strip().endswith(f": {MERGE_DRIVER}"):
        attributes = Path(_git(top, "rev-parse", "--git-path", "info/attributes").stdout.strip())
        if not attributes.is_absolute():
            attributes = top / attributes
        attributes.parent.mkdir(parents=True, exist_ok=True)
        text = attributes.read_text("utf-8") if attributes.exists() else ""
        if text and not text.endswith("\n"):
            text += "\n"
        attributes.write_text(text + ATTRIBUTE_LINE + "\n", "utf-8")
        changed = True
    return changed


def _remote_and_branch(top: Path) -> tuple[str | None, str]:
    branch = _git(top, "symbolic-ref", "--short", "HEAD", check=False).stdout.strip() or "main"
    upstream = _git(top, "config", "--get", f"branch.{branch}.remote", check=False).stdout.strip()
    remotes = _git(top, "remote").stdout.split()
    remote = upstream or ("origin" if "origin" in remotes else (remotes[0] if remotes else None))
    return remote, branch


def _pull(top: Path, remote: str, branch: str, steps: list[str]) -> None:
    heads = _git(top, "ls-remote", "--heads", remote, branch)
    if not heads.stdout.strip():
        steps.append(f"{remote}/{branch} does not exist yet: nothing to pull")
        return
    pulled = _git(
        top, "pull", "--no-rebase", "--no-edit", "--allow-unrelated-histories", remote, branch, check=False
    )
    if pulled.returncode != 0:
        _git(top, "merge", "--abort", check=False)
        reason = (pulled.stderr.strip() or pulled.stdout.strip()).splitlines()[-1:] or ["git pull failed"]
        raise GitError(f"git pull failed: {reason[0]}", path=str(top))
    steps.append(f"pulled {remote}/{branch}")


def _commit(review: Review, top: Path, place: Path, steps: list[str]) -> None:
    relative = os.path.relpath(place, top)
    _git(top, "add", "-A", "--", relative)
    if _git(top, "diff", "--cached", "--quiet", "--", relative, check=False).returncode == 0:
        return
    identity: list[str] = []
    if _git(top, "config", "--get", "user.name", check=False).returncode != 0:
        identity += ["-c", f"user.name={review.identity.name}"]
    if _git(top, "config", "--get", "user.email", check=False).returncode != 0:
        identity += ["-c", f"user.email={review.identity.id}@reviewer.invalid"]
    message = f"Reviewer sync: {review.identity.name}"
    _run(["git", *identity, "commit", "--quiet", "-m", message, "--", relative], top, check=True)
    steps.append(f"committed \u201c{message}\u201d")


def _git(top: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return _run(["git", *args], top, check=check)


def _run(command: list[str], cwd: Path, check: bool = False) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0", GIT_MERGE_AUTOEDIT="no", LC_ALL="C")
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed (or not on PATH)") from None
    if check and done.returncode != 0:
        reason = (done.stderr.strip() or done.stdout.strip()).splitlines()[-1:] or ["failed"]
        raise GitError(f"git {' '.join(command[1:3])} failed: {reason[0]}", path=str(cwd))
    return done
