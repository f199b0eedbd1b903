"""Positions, marks, assignments and coverage as a team records them from the command line:
three reviewers, one article where they disagree, proposals in accented and non-Latin script."""

from __future__ import annotations

import json
from pathlib import Path

from tests.positions.positions_team import PROPOSAL_EL_ZH, PROPOSAL_FR, ok, run, team_review


def test_coverage_json_is_exact(capsys, sample_pdf: Path) -> None:
    pdf = str(sample_pdf)
    team_review(capsys, pdf)
    data = json.loads(ok(capsys, "coverage", pdf, "--json"))
    assert set(data) == {"articles", "reviewed"}
    assert [a["article"] for a in data["articles"]] == list(range(1, 27))
    by = {a["article"]: a for a in data["articles"]}
    assert by[12] == {
        "article": 12,
        "citation": "Art. 12",
        "title": "Conditions and safeguards",
        "assignee": "Ada",
        "reviewed_by": ["Ada", "Ben"],
        "annotations": 1,
        "positions": [
            {"author": "Ada", "stance": "reservation"},
            {"author": "Ben", "stance": "reservation"},
            {"author": "Carla", "stance": "oppose"},
        ],
    }
    assert by[3]["reviewed_by"] == ["Ben"] and by[3]["assignee"] == "Ada"
    assert [p["stance"] for p in by[3]["positions"]] == ["support"] * 3
    assert by[5] == {
        "article": 5,
        "citation": "Art. 5",
        "title": "Respect for human rights",
        "assignee": "Ben",
        "reviewed_by": [],
        "annotations": 0,
        "positions": [],
    }
    assert by[6]["assignee"] is None and by[4]["assignee"] == "Ben"
    assert by[16]["positions"] == [{"author": "Ada", "stance": "declaration"}]
    assert data["reviewed"] == round(2 / 26, 2)  # Art. 3 and Art. 12
    text = ok(capsys, "coverage", pdf)
    assert "Ada: 2 of 4 assigned articles reviewed" in text and "Ben: 0 of 2" in text
    assert text.rstrip().endswith("2 of 26 articles reviewed (8%)")


def test_list_json_shows_positions_and_history_is_kept(capsys, sample_pdf: Path, db_path: Path) -> None:
    pdf = str(sample_pdf)
    team_review(capsys, pdf)
    records = json.loads(ok(capsys, "list", pdf, "--json"))
    positions = [r for r in records if r["kind"] == "position"]
    assert len(positions) == 7  # Ada's Art. 16 twice is one position, superseded
    ada_12 = next(r for r in positions if r["author"] == "Ada" and r["article"] == 12)
    assert ada_12["stance"] == "reservation" and ada_12["proposal"] == PROPOSAL_FR
    assert ada_12["rationale"] == "No independent oversight" == ada_12["comment"]
    assert ada_12["citation"] == "Art. 12" and ada_12["quote"].startswith("Article 12")
    ben_12 = next(r for r in positions if r["author"] == "Ben" and r["article"] == 12)
    assert ben_12["proposal"] == PROPOSAL_EL_ZH
    ada_16 = next(r for r in positions if r["author"] == "Ada" and r["article"] == 16)
    assert (ada_16["stance"], ada_16["revision"]) == ("declaration", 2)
    highlight = next(r for r in records if r["kind"] == "highlight")
    assert "stance" not in highlight

    from reviewer.core.positions import position_history
    from reviewer.core.review import Review
    from reviewer.core.settings import Identity

    review = Review.open(db_path, Identity("x", "Reader"))
    try:
        history = position_history(review, ada_16["id"])
    finally:
        review.close()
    assert [(h["revision"], h["stance"], h["proposal"]) for h in history] == [(1, "support", None)]


def test_bad_input_is_one_line_and_leaves_the_database(capsys, sample_pdf: Path, db_path: Path) -> None:
    pdf = str(sample_pdf)
    ok(capsys, "position", pdf, "--article", "3", "--stance", "support")
    before = db_path.read_bytes()
    for args, message in [
        (
            ("position", pdf, "--article", "99", "--stance", "oppose"),
            "article 99 is not in the document (its articles are 1-26)",
        ),
        (("assign", pdf, "--articles", "3-1", "--to", "Ada"), "--articles: the range '3-1' runs backwards"),
        (
            ("assign", pdf, "--articles", "1,x", "--to", "Ada"),
            "--articles: 'x' is not a number or a range like 1-20",
        ),
        (
            ("assign", pdf, "--articles", "25-28", "--to", "Ada"),
            "--articles: article 27, 28 is not in the document",
        ),
        (("mark", pdf, "--article", "40", "--reviewed"), "article 40 is not in the document"),
    ]:
        code, out, err = run(capsys, *args)
        assert code == 1 and out == "", (args, err)
        assert err.count("\n") == 1 and message in err and str(sample_pdf) in err, err
    code, _, err = run(capsys, "position", pdf, "--article", "3", "--stance", "average")
    assert code == 2 and "'average' is not one of" in err
    code, _, err = run(capsys, "assign", pdf, "--articles", "3")
    assert code == 2 and "give either --to NAME or --unassign" in err
    assert db_path.read_bytes() == before


def test_undo_restores_the_previous_position_mark_and_assignment(review, sample_pdf: Path) -> None:
    from reviewer.core.coverage import coverage
    from reviewer.core.pdf import open_pdf
    from reviewer.core.positions import assign, mark_reviewed, set_position

    pdf = open_pdf(sample_pdf)
    set_position(review, pdf, 12, "reservation", "first", "Wording one")
    second = set_position(review, pdf, 12, "oppose", "second")
    marked = mark_reviewed(review, pdf, [12], True)
    assigned = assign(review, pdf, "12", "Ben")
    (a12,) = [a for a in coverage(review, pdf).articles if a.article.number == 12]
    assert (a12.positions[0].stance, a12.reviewed_by, a12.assignee) == ("oppose", ["Ada Tester"], "Ben")
    for change in (assigned, marked, second):
        review.undo(change)
    (a12,) = [a for a in coverage(review, pdf).articles if a.article.number == 12]
    p = a12.positions[0]
    assert (p.stance, p.rationale, p.proposal, a12.reviewed_by, a12.assignee) == (
        "reservation",
        "first",
        "Wording one",
        [],
        None,
    )
    assert review.store.position_history(p.annotation_id) == []
    review.redo(second)
    assert [h["stance"] for h in review.store.position_history(p.annotation_id)] == ["reservation"]


def test_the_ordinary_report_and_list_show_positions_as_verdicts(
    capsys, sample_pdf: Path, tmp_path: Path
) -> None:
    pdf = str(sample_pdf)
    team_review(capsys, pdf)
    out = tmp_path / "report.md"
    ok(capsys, "report", pdf, "-o", str(out))
    text = out.read_text("utf-8")
    assert "**Counts:** 1 annotations" in text  # the highlight; positions are the memorandum's
    assert PROPOSAL_FR not in text
    listed = ok(capsys, "list", pdf, "--author", "Carla")
    assert "“position: oppose”" in listed and "Art. 12" in listed
    listed = ok(capsys, "list", pdf, "--author", "Ben")
    assert "“position: reservation (with a proposal)”" in listed
