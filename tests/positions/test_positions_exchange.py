"""Positions, reviewed marks and assignments travel in review files: export, import and merge
in any order give the same result, and the same reviewer changing a position on two machines
is a conflict."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from reviewer.core.coverage import coverage
from reviewer.core.exchange.merge import merge_files
from reviewer.core.exchange.review_file import read
from reviewer.core.exchange.service import export_document, import_file
from reviewer.core.pdf import open_pdf
from reviewer.core.positions import assign, mark_reviewed, set_position
from reviewer.core.review import Review
from reviewer.core.settings import Identity

ADA = Identity("11111111-1111-4111-8111-111111111111", "Ada Tester")
BEN = Identity("22222222-2222-4222-8222-222222222222", "Ben Reviewer")
CARLA = Identity("33333333-3333-4333-8333-333333333333", "Carla Jurist")
PROPOSAL_FR = "La République se réserve le droit de ne pas appliquer l’article 12, § 2."
PROPOSAL_EL_ZH = "Η Δημοκρατία δηλώνει ότι 第十二条 s’applique sous contrôle judiciaire."


def state(review: Review, pdf) -> dict:  # type: ignore[no-untyped-def]
    """What a user sees: coverage, and every position with its wording."""
    found = coverage(review, pdf)
    positions = sorted(
        (a.article.number, p.author, p.stance, p.rationale, p.proposal)
        for a in found.articles
        for p in a.positions
    )
    return {"coverage": found.to_json(), "positions": positions}


def team_files(tmp_path: Path, sample_pdf: Path) -> list[Path]:
    """Ada starts; Ben and Carla each work from Ada's file; each exports their own."""
    pdf = open_pdf(sample_pdf)
    ada = Review.open(tmp_path / "ada.db", ADA)
    set_position(ada, pdf, 12, "reservation", "No oversight", PROPOSAL_FR)
    set_position(ada, pdf, 3, "support")
    mark_reviewed(ada, pdf, [12, 3], True)
    assign(ada, pdf, "1-13", "Ada Tester")
    assign(ada, pdf, "14-26", "Ben Reviewer")
    ada_file = tmp_path / "ada.review.json"
    export_document(ada, pdf, "review", ada_file)

    ben = Review.open(tmp_path / "ben.db", BEN)
    import_file(ben, str(ada_file), pdf_path=str(sample_pdf))
    set_position(ben, pdf, 12, "reservation", "Judicial control", PROPOSAL_EL_ZH)
    mark_reviewed(ben, pdf, [14, 12], True)
    ben_file = tmp_path / "ben.review.json"
    export_document(ben, pdf, "review", ben_file)

    carla = Review.open(tmp_path / "carla.db", CARLA)
    import_file(carla, str(ada_file), pdf_path=str(sample_pdf))
    set_position(carla, pdf, 12, "oppose", "Do not ratify this article")
    mark_reviewed(carla, pdf, [12], True)
    mark_reviewed(carla, pdf, [12], False)  # changed her mind: a second revision
    assign(carla, pdf, "26", "Carla Jurist")
    carla_file = tmp_path / "carla.review.json"
    export_document(carla, pdf, "review", carla_file)
    for r in (ada, ben, carla):
        r.close()
    return [ada_file, ben_file, carla_file]


def test_import_in_any_order_gives_the_same_team_view(tmp_path: Path, sample_pdf: Path) -> None:
    files = team_files(tmp_path, sample_pdf)
    pdf = open_pdf(sample_pdf)
    seen = []
    for n, order in enumerate(itertools.permutations(files)):
        review = Review.open(
            tmp_path / f"order{n}.db", Identity(f"0000000{n}-0000-4000-8000-000000000000", "Z")
        )
        for path in order:
            import_file(review, str(path), pdf_path=str(sample_pdf))
        for path in order:  # again: idempotent
            result = import_file(review, str(path), pdf_path=str(sample_pdf))
            assert result.added == [] and result.updated == [] and result.conflicts == []
        seen.append(state(review, pdf))
        review.close()
    assert all(s == seen[0] for s in seen)
    view = seen[0]
    assert view["positions"] == [
        (3, "Ada Tester", "support", "", None),
        (12, "Ada Tester", "reservation", "No oversight", PROPOSAL_FR),
        (12, "Ben Reviewer", "reservation", "Judicial control", PROPOSAL_EL_ZH),
        (12, "Carla Jurist", "oppose", "Do not ratify this article", None),
    ]
    by = {a["article"]: a for a in view["coverage"]["articles"]}
    assert by[12]["reviewed_by"] == ["Ada Tester", "Ben Reviewer"]  # Carla took hers back
    assert by[14]["reviewed_by"] == ["Ben Reviewer"] and by[3]["reviewed_by"] == ["Ada Tester"]
    assert by[1]["assignee"] == "Ada Tester" and by[25]["assignee"] == "Ben Reviewer"
    assert by[26]["assignee"] == "Carla Jurist"  # her later revision wins everywhere


def test_merge_is_commutative_and_idempotent_byte_for_byte(tmp_path: Path, sample_pdf: Path) -> None:
    files = team_files(tmp_path, sample_pdf)
    outputs = set()
    for n, order in enumerate(itertools.permutations(files)):
        out = tmp_path / f"merged{n}.review.json"
        merge_files([str(p) for p in order], out)
        outputs.add(out.read_bytes())
    assert len(outputs) == 1
    merged = tmp_path / "merged0.review.json"
    again = tmp_path / "again.review.json"
    merge_files([str(merged), str(merged), str(files[1])], again)
    assert again.read_bytes() == merged.read_bytes()
    header = json.loads(merged.read_text("utf-8"))
    coverage_entries = header["rv:coverage"]
    assert {e["type"] for e in coverage_entries} == {"rv:ArticleMark", "rv:ArticleAssignment"}
    text = merged.read_text("utf-8")
    assert PROPOSAL_FR in text and PROPOSAL_EL_ZH in text  # written as text, not escaped
    data = read(str(merged))
    assert data.conflict_count() == 0
    # The merged file imported into a new database equals importing the three files.
    pdf = open_pdf(sample_pdf)
    one = Review.open(tmp_path / "one.db", ADA)
    import_file(one, str(merged), pdf_path=str(sample_pdf))
    three = Review.open(tmp_path / "three.db", ADA)
    for path in files:
        import_file(three, str(path), pdf_path=str(sample_pdf))
    assert state(one, pdf) == state(three, pdf)


def test_a_concurrent_change_of_position_is_a_conflict(tmp_path: Path, sample_pdf: Path, capsys) -> None:
    pdf = open_pdf(sample_pdf)
    laptop = Review.open(tmp_path / "laptop.db", ADA)
    change = set_position(laptop, pdf, 12, "reservation", "First view", PROPOSAL_FR)
    position_id = change.annotation_ids[0]
    base = tmp_path / "base.review.json"
    export_document(laptop, pdf, "review", base)
    office = Review.open(tmp_path / "office.db", ADA)  # the same reviewer, another machine
    import_file(office, str(base), pdf_path=str(sample_pdf))
    set_position(laptop, pdf, 12, "oppose", "On reflection")
    set_position(office, pdf, 12, "declaration", "A declaration will do", "Déclaration interprétative.")
    laptop_file, office_file = tmp_path / "laptop.review.json", tmp_path / "office.review.json"
    export_document(laptop, pdf, "review", laptop_file)
    export_document(office, pdf, "review", office_file)

    merged = merge_files([str(laptop_file), str(office_file)], tmp_path / "m.review.json")
    assert merged.annotations[position_id].head_count == 2
    assert merged.conflict_count() == 1
    result = import_file(laptop, str(office_file), pdf_path=str(sample_pdf))
    assert result.conflicts == [position_id]
    conflicts = laptop.store.exchange_conflict_rows(item_ids=[position_id])
    assert len(conflicts) == 1
    # Exactly one stance stands, and the other waits as a conflict for a person to resolve.
    standing = laptop.annotation(position_id).stance
    assert {standing, json.loads(conflicts[0]["data"])["stance"]} == {"oppose", "declaration"}
    # A different reviewer's position on the same article is no conflict: it is a dissent.
    ben = Review.open(tmp_path / "ben.db", BEN)
    import_file(ben, str(base), pdf_path=str(sample_pdf))
    set_position(ben, pdf, 12, "oppose")
    ben_file = tmp_path / "ben.review.json"
    export_document(ben, pdf, "review", ben_file)
    assert import_file(office, str(ben_file), pdf_path=str(sample_pdf)).conflicts == []
