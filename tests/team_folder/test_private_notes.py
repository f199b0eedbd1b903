"""Private notes never leave the database: not in the team folder, not in any export."""

from __future__ import annotations

import json
from pathlib import Path

import pymupdf
import pytest

from .helpers import folder_bytes, team

SECRETS = [b"SECRET-ON-CREATION", b"SECRET-REPLY", b"SECRET-AFTER-SHARING"]


@pytest.fixture
def private_work(tmp_path: Path, sample_pdf: Path):  # type: ignore[no-untyped-def]
    folder = tmp_path / "team"
    folder.mkdir()
    ada, ben = team(tmp_path, sample_pdf, ("ada", "ben"))
    shared = ada.annotate("reliable safeguards", "--comment", "For the team")
    made_private = ada.annotate("information system", "--occurrence", "1", "--comment", "Was shared once")
    ada.sync(folder)
    ben.sync(folder, "--pdf", str(ben.pdf))
    # A note private from the start, a reply to it, and one made private after it was shared.
    secret = ada.annotate(
        "promote and strengthen measures",
        "--private",
        "--comment",
        "SECRET-ON-CREATION",
        "--tag",
        "safeguard",
    )
    ada.run("reply", secret, "--comment", "SECRET-REPLY")
    out = ada.run("edit", made_private, "--private").output
    assert out.strip().endswith("(private)")
    ada.run("edit", made_private, "--comment", "SECRET-AFTER-SHARING")
    for _ in range(2):
        ada.sync(folder)
        ben.sync(folder)
    return folder, ada, ben, {"shared": shared, "secret": secret, "made_private": made_private}


def test_a_private_note_is_in_no_file_of_the_folder(private_work) -> None:  # type: ignore[no-untyped-def]
    folder, ada, ben, ids = private_work
    everything = folder_bytes(folder)
    assert b"For the team" in everything  # the search finds what is there
    for secret in SECRETS:
        assert secret not in everything
    assert ids["secret"].encode() not in everything
    # Ben has the shared ones, the made-private one as it was shared, nothing else.
    seen = ben.state()["annotations"]
    assert set(seen) == {ids["shared"], ids["made_private"]}
    assert seen[ids["made_private"]]["comment"] == "Was shared once"
    # Ada sees hers, marked private.
    listing = ada.run("list", str(ada.pdf)).output
    assert listing.count("[private]") == 2
    shown = {a["id"]: a for a in json.loads(ada.run("list", str(ada.pdf), "--json").stdout)}
    assert shown[ids["secret"]]["private"] and not shown[ids["shared"]]["private"]


@pytest.mark.parametrize("fmt", ["review", "xfdf", "pdf", "csv"])
def test_no_export_for_others_holds_a_private_note(private_work, tmp_path: Path, fmt: str) -> None:  # type: ignore[no-untyped-def]
    _, ada, _, ids = private_work
    out = tmp_path / f"export.{'review.json' if fmt == 'review' else fmt}"
    ada.run("export", str(ada.pdf), "--format", fmt, "-o", str(out))
    raw = out.read_bytes()
    if fmt == "pdf":
        raw += pymupdf.open(out).tobytes(expand=255)  # the streams uncompressed too
        assert b"For the team" in raw or "For the team".encode("utf-16-be") in raw
    else:
        assert b"For the team" in raw
    for secret in SECRETS:
        assert secret not in raw and secret.decode().encode("utf-16-be") not in raw
    for private_id in (ids["secret"], ids["made_private"]):
        assert private_id.encode() not in raw


def test_shared_again_it_travels_with_the_next_sync(private_work) -> None:  # type: ignore[no-untyped-def]
    folder, ada, ben, ids = private_work
    assert ada.run("edit", ids["secret"], "--shared").output.strip().endswith("revision 1")
    ada.sync(folder)
    ben.sync(folder)
    seen = ben.state()["annotations"]
    assert seen[ids["secret"]]["comment"] == "SECRET-ON-CREATION"
    assert [r[1] for r in seen[ids["secret"]]["replies"]] == ["SECRET-REPLY"]
    assert b"SECRET-ON-CREATION" in folder_bytes(folder)


def test_private_is_kept_when_a_teammates_edit_arrives(tmp_path: Path, sample_pdf: Path) -> None:
    """Ben edits an annotation Ada has since made private: Ada takes his edit and it stays
    private (the flag is hers, not part of any version)."""
    folder = tmp_path / "team"
    folder.mkdir()
    ada, ben = team(tmp_path, sample_pdf, ("ada", "ben"))
    first = ada.annotate("reliable safeguards", "--comment", "Draft")
    ada.sync(folder)
    ben.sync(folder, "--pdf", str(ben.pdf))
    ada.run("edit", first, "--private")
    ben.run("edit", first, "--comment", "Ben's edit")
    ben.sync(folder)
    ada.sync(folder)
    shown = json.loads(ada.run("list", str(ada.pdf), "--json").stdout)
    assert [(a["comment"], a["private"]) for a in shown] == [("Ben's edit", True)]


@pytest.mark.parametrize("suffix", [".md", ".html", ".pdf"])
def test_a_report_leaves_private_notes_out_unless_asked(private_work, tmp_path: Path, suffix: str) -> None:  # type: ignore[no-untyped-def]
    """A report goes to a committee: private notes stay out; --include-private is a printout for
    oneself. The memorandum refuses the flag (it always goes to others)."""
    import subprocess

    _, ada, _, _ = private_work

    def text_of(path: Path) -> str:
        if suffix == ".pdf":
            return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        return path.read_text("utf-8").replace("\\-", "-")  # Markdown escapes the hyphens

    shared_out = tmp_path / f"committee{suffix}"
    ada.run("report", str(ada.pdf), "-o", str(shared_out))
    shared = text_of(shared_out)
    assert "For the team" in shared
    assert "SECRET-ON-CREATION" not in shared and "SECRET-AFTER-SHARING" not in shared
    own_out = tmp_path / f"mine{suffix}"
    ada.run("report", str(ada.pdf), "-o", str(own_out), "--include-private")
    own = text_of(own_out)
    assert "SECRET-ON-CREATION" in own and "SECRET-AFTER-SHARING" in own


def test_the_memorandum_refuses_include_private(private_work, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, ada, _, _ = private_work
    done = ada.run(
        "report", str(ada.pdf), "--template", "memorandum", "-o", str(tmp_path / "m.md"), "--include-private",
        ok=False,
    )  # fmt: skip
    assert done.exit_code == 2
    assert "a memorandum never holds private notes" in done.output
