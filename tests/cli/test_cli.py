"""The command line as scripts use it: output, JSON, exit codes and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest

from reviewer.cli import main, main_group

ROOT = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def test_info_text_and_json(capsys, sample_pdf: Path) -> None:
    code, out, err = run(capsys, "info", str(sample_pdf), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["pages"] == 7 and data["annotations"] == 0
    assert len(data["id"]) == 64 and data["title"].startswith("Convention on Cross-Border")
    code, out, _ = run(capsys, "info", str(sample_pdf))
    assert f"id:          {data['id']}" in out and "pages:       7" in out


def test_annotate_list_edit_reply_delete(capsys, sample_pdf: Path) -> None:
    code, out, err = run(
        capsys,
        "annotate",
        str(sample_pdf),
        "--quote",
        "traffic data in real time",
        "--tag",
        "surveillance power",
        "--comment",
        "No judicial authorisation.",
    )
    assert code == 0, err
    annotation_id = out.strip()
    assert len(annotation_id) == 36

    code, out, _ = run(
        capsys, "edit", annotation_id[:8], "--add-tag", "weak or missing safeguard", "--status", "accepted"
    )
    assert code == 0 and out.strip() == f"{annotation_id} revision 2"
    code, out, _ = run(capsys, "reply", annotation_id, "--comment", "Agreed — compare Art. 13.")
    assert code == 0 and len(out.strip()) == 36

    code, out, _ = run(capsys, "list", str(sample_pdf), "--json")
    (item,) = json.loads(out)
    for key in (
        "id",
        "document",
        "page",
        "quote",
        "tags",
        "comment",
        "author",
        "status",
        "created",
        "modified",
        "revision",
        "deleted",
        "replies",
    ):
        assert key in item
    assert item["id"] == annotation_id
    assert item["page"] == 5  # 1-based
    assert item["quote"] == "traffic data in real time"
    assert item["tags"] == ["surveillance power", "weak or missing safeguard"]
    assert item["comment"] == "No judicial authorisation."
    assert item["author"] == "Ada Tester" and item["status"] == "accepted" and item["revision"] == 2
    assert item["deleted"] is False
    assert [r["comment"] for r in item["replies"]] == ["Agreed — compare Art. 13."]
    assert item["created"].endswith("Z") and item["modified"] >= item["created"]

    code, out, _ = run(capsys, "list", str(sample_pdf))
    assert annotation_id[:8] in out and "“traffic data in real time”" in out and "1 reply" in out

    code, out, _ = run(capsys, "list", str(sample_pdf), "--tag", "safeguard", "--json")
    assert json.loads(out) == []
    code, out, _ = run(capsys, "list", str(sample_pdf), "--search", "judicial", "--json")
    assert [a["id"] for a in json.loads(out)] == [annotation_id]

    code, out, _ = run(capsys, "delete", annotation_id)
    assert code == 0 and out.strip() == f"deleted {annotation_id}"
    code, out, _ = run(capsys, "list", str(sample_pdf), "--json")
    assert json.loads(out) == []
    code, out, _ = run(capsys, "list", str(sample_pdf), "--include-deleted", "--json")
    assert json.loads(out)[0]["deleted"] is True


def test_user_errors_are_one_line_exit_1(capsys, sample_pdf: Path, tmp_path: Path) -> None:
    code, out, err = run(capsys, "annotate", str(sample_pdf), "--quote", "State Party")
    assert code == 1 and out == ""
    assert err.count("\n") == 1
    assert err.startswith(f"reviewer: error: {sample_pdf}: quote 'State Party' occurs ")
    assert "add --page N or --occurrence K" in err

    code, _, err = run(capsys, "annotate", str(sample_pdf), "--quote", "no such words in it")
    assert code == 1 and "quote not found: 'no such words in it'" in err

    code, _, err = run(capsys, "annotate", str(sample_pdf), "--quote", "Denunciation", "--tag", "nonsense")
    assert (
        code == 1
        and err.strip()
        == "reviewer: error: unknown tag 'nonsense' (see 'reviewer tags'; add it with 'reviewer tags add')"
    )

    missing = tmp_path / "missing.pdf"
    code, _, err = run(capsys, "info", str(missing))
    assert code == 1 and err.strip() == f"reviewer: error: {missing}: no such file"

    not_pdf = tmp_path / "notes.pdf"
    not_pdf.write_text("hello")
    code, _, err = run(capsys, "info", str(not_pdf))
    assert code == 1 and err.strip() == f"reviewer: error: {not_pdf}: not a PDF (no %PDF header)"

    code, _, err = run(capsys, "edit", "deadbeef", "--status", "open")
    assert code == 1 and "no annotation with id 'deadbeef'" in err


def test_usage_errors_exit_2(capsys, sample_pdf: Path) -> None:
    code, _, err = run(capsys, "annotate", str(sample_pdf))
    assert code == 2 and "Missing option '--quote'" in err
    code, _, err = run(capsys, "list", str(sample_pdf), "--status", "maybe")
    assert code == 2 and "'maybe' is not one of" in err


def test_encrypted_pdf_needs_its_password(capsys, tmp_path: Path) -> None:
    from tests.conftest import corpus_file

    pdf = tmp_path / "locked.pdf"
    pdf.write_bytes(corpus_file("pdfjs-encrypted-nonascii-password.pdf").read_bytes())
    code, _, err = run(capsys, "info", str(pdf))
    assert code == 1 and "is encrypted: give its password (--password)" in err
    code, _, err = run(capsys, "--password", "wrong", "info", str(pdf))
    assert code == 1 and err.strip().endswith("wrong password")
    code, out, err = run(capsys, "--password", "æøå", "info", str(pdf), "--json")
    assert code == 0, err and json.loads(out)["pages"] == 1


def test_saslprep_password(capsys, tmp_path: Path) -> None:
    from tests.conftest import corpus_file

    pdf = tmp_path / "sasl.pdf"
    pdf.write_bytes(corpus_file("pdfjs-encrypted-saslprep-r6.pdf").read_bytes())
    code, out, err = run(capsys, "--password", "S\u00aaSL\u00adprep", "info", str(pdf), "--json")
    assert code == 0, err


def test_tags_commands(capsys, sample_pdf: Path) -> None:
    code, out, _ = run(capsys, "tags", "--json")
    tags = json.loads(out)
    assert [t["name"] for t in tags][:2] == ["surveillance power", "safeguard"]
    assert (
        run(
            capsys, "tags", "add", "proportionality", "--color", "#1b998b", "--definition", "Necessity test."
        )[0]
        == 0
    )
    code, _, err = run(capsys, "tags", "add", "Proportionality")
    assert code == 1 and "exists already" in err
    code, _, err = run(capsys, "tags", "add", "x", "--color", "chartreuse-ish")
    assert code == 1 and "is not a colour" in err
    run(
        capsys,
        "annotate",
        str(sample_pdf),
        "--quote",
        "Liability of legal persons",
        "--tag",
        "proportionality",
    )
    assert run(capsys, "tags", "rename", "proportionality", "necessity and proportionality")[0] == 0
    code, out, _ = run(capsys, "list", str(sample_pdf), "--json")
    assert json.loads(out)[0]["tags"] == ["necessity and proportionality"]
    assert run(capsys, "tags", "recolor", "necessity and proportionality", "blue")[0] == 0
    assert run(capsys, "tags", "retire", "dual criminality")[0] == 0
    code, out, _ = run(capsys, "tags", "--json")
    by_name = {t["name"]: t for t in json.loads(out)}
    assert by_name["necessity and proportionality"]["color"] == "#2E86DE"
    assert by_name["necessity and proportionality"]["count"] == 1
    assert by_name["dual criminality"]["retired"] is True
    code, out, _ = run(capsys, "tags")
    assert "dual criminality" not in out and out.startswith("1  #E4572E  surveillance power")


def _all_commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in group.commands.items():
        found.append((f"{prefix}{name}", command))
        if isinstance(command, click.Group):
            found.extend(_all_commands(command, f"{prefix}{name} "))
    return found


def test_every_command_has_help_with_an_example(capsys) -> None:
    commands = _all_commands(main_group)
    assert {
        "open",
        "info",
        "annotate",
        "list",
        "edit",
        "reply",
        "delete",
        "tags",
        "tags add",
        "tags rename",
        "tags recolor",
        "tags retire",
    } <= {n for n, _ in commands}
    for name, _ in commands:
        code, out, err = run(capsys, *name.split(), "--help")
        assert code == 0, (name, err)
        assert "Examples:" in out and "reviewer " in out.split("Examples:")[1], name


def test_real_process_exit_codes_and_no_traceback(sample_pdf: Path, tmp_path: Path) -> None:
    def env_run(*a):
        return subprocess.run(
            [sys.executable, "-m", "reviewer", *a], capture_output=True, text=True, cwd=ROOT
        )  # noqa: E731

    ok = env_run("annotate", str(sample_pdf), "--quote", "Settlement of disputes", "--json")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["quote"] == "Settlement of disputes"
    bad = env_run("info", str(tmp_path / "nope.pdf"))
    assert bad.returncode == 1 and "Traceback" not in bad.stderr and bad.stderr.count("\n") == 1
    usage = env_run("frobnicate")
    assert usage.returncode == 2


def test_no_display_gives_a_clear_message(tmp_path: Path) -> None:
    import os

    env = {k: v for k, v in os.environ.items() if k not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}}
    result = subprocess.run(
        [sys.executable, "-m", "reviewer", "open"], capture_output=True, text=True, cwd=ROOT, env=env
    )
    if sys.platform.startswith("linux"):
        assert result.returncode == 1
        assert "no display found" in result.stderr and "QT_QPA_PLATFORM=offscreen" in result.stderr
