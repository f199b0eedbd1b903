"""The team review the positions tests share: three reviewers on the sample treaty, run through
the command line as a person would."""

from __future__ import annotations

import pytest

from reviewer.cli import main

PROPOSAL_FR = "La République se réserve le droit de ne pas appliquer l’article 12, § 2 (« sans juge »)."
PROPOSAL_EL_ZH = "Η Δημοκρατία δηλώνει ότι 第十二条 ne s’applique qu’avec un contrôle judiciaire."


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def ok(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code, out, err = run(capsys, *args)
    assert code == 0, err
    return out


def team_review(capsys: pytest.CaptureFixture[str], pdf: str) -> None:
    """Ada and Ben propose a reservation on Art. 12 (in different words), Carla opposes; all
    support Art. 3; Ada supersedes her first position on Art. 16."""
    ok(capsys, "--author", "Ada", "position", pdf, "--article", "16", "--stance", "support")
    ok(
        capsys,
        "--author",
        "Ada",
        "position",
        pdf,
        "--article",
        "16",
        "--stance",
        "declaration",
        "--rationale",
        "Real-time collection needs a declaration",
        "--proposal",
        "Déclaration: ex ante.",
    )
    ok(
        capsys,
        "--author",
        "Ada",
        "position",
        pdf,
        "--article",
        "12",
        "--stance",
        "reservation",
        "--rationale",
        "No independent oversight",
        "--proposal",
        PROPOSAL_FR,
    )
    ok(
        capsys,
        "--author",
        "Ben",
        "position",
        pdf,
        "--article",
        "12",
        "--stance",
        "reservation",
        "--rationale",
        "Judicial control",
        "--proposal",
        PROPOSAL_EL_ZH,
    )
    ok(
        capsys,
        "--author",
        "Carla",
        "position",
        pdf,
        "--article",
        "12",
        "--stance",
        "oppose",
        "--rationale",
        "A reservation is not enough: do not ratify this article",
    )
    for who in ("Ada", "Ben", "Carla"):
        ok(capsys, "--author", who, "position", pdf, "--article", "3", "--stance", "support")
    ok(capsys, "--author", "Ada", "annotate", pdf, "--quote", "Conditions and safeguards")
    ok(capsys, "--author", "Ada", "mark", pdf, "--article", "12", "--reviewed")
    ok(capsys, "--author", "Ben", "mark", pdf, "--article", "12", "--reviewed")
    ok(capsys, "--author", "Ben", "mark", pdf, "--article", "3", "--reviewed")
    ok(capsys, "--author", "Carla", "mark", pdf, "--article", "5", "--reviewed")
    ok(capsys, "--author", "Carla", "mark", pdf, "--article", "5", "--not-reviewed")
    assert ok(capsys, "assign", pdf, "--articles", "1-3,12", "--to", "Ada") == "4 articles assigned to Ada\n"
    ok(capsys, "assign", pdf, "--articles", "4-6", "--to", "Ben")
    assert ok(capsys, "assign", pdf, "--articles", "6", "--unassign") == "1 article unassigned\n"
