"""Three reviewers edit copies of one review; their files merge alike in any order and grouping."""

from __future__ import annotations

import itertools
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewer.core.exchange import review_file
from reviewer.core.exchange.service import export_document, import_file, merge_files
from reviewer.core.exchange.versions import ANNOTATION, REPLY, version_hash
from reviewer.core.pdf import open_pdf
from reviewer.core.resources import sample_treaty_path

from .helpers import ADA, BEN, CARLA, open_review

QUOTES = [
    "promote and strengthen measures",
    "reliable safeguards",
    "international cooperation",
    "human rights",
]
TEXTS = ["Too broad.", "Needs a sunset clause.", "Agreed.", "See Art. 13.", "Ünïcödé — „ok“"]

# One operation: (kind, which annotation / quote, which text)
operation = st.tuples(
    st.sampled_from(["create", "edit", "edit", "reply", "delete", "status"]),
    st.integers(min_value=0, max_value=3),
    st.integers(min_value=0, max_value=len(TEXTS) - 1),
)


def _apply(review, pdf, ops):  # type: ignore[no-untyped-def]
    for kind, which, text in ops:
        live = [a for a in review.annotations(None)]
        if kind == "create":
            quote = QUOTES[which % len(QUOTES)]
            review.annotate_quote(pdf, quote, occurrence=1, comment=TEXTS[text])
        elif not live:
            continue
        else:
            target = live[which % len(live)]
            if kind == "edit":
                review.edit(target.id, comment=TEXTS[text] + f" ({review.identity.name})")
            elif kind == "reply":
                review.reply(target.id, TEXTS[text])
            elif kind == "delete":
                review.delete(target.id)
            else:
                review.edit(target.id, status=["accepted", "rejected", "resolved"][text % 3])


class Team:
    """A base review and three reviewers' databases, each started from its file."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.pdf_path = folder / "treaty.pdf"
        shutil.copyfile(sample_treaty_path(), self.pdf_path)
        self.pdf = open_pdf(self.pdf_path)
        base = open_review(folder / "base.db", ADA)
        a = base.annotate_quote(self.pdf, "reliable safeguards", comment="Base comment", tags=["safeguard"])
        base.annotate_quote(self.pdf, "human rights", occurrence=1, comment="Second")
        base.reply(a.id, "Base reply")
        self.base_file = folder / "base.review.json"
        export_document(base, self.pdf, "review", self.base_file)
        base.close()

    def reviewer(self, name: str, identity):  # type: ignore[no-untyped-def]
        review = open_review(self.folder / f"{name}.db", identity)
        import_file(review, str(self.base_file), pdf_path=str(self.pdf_path))
        return review


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(operation, max_size=6),
    st.lists(operation, max_size=6),
    st.lists(operation, max_size=6),
)
def test_three_reviewers_merge_properties(ops_a, ops_b, ops_c) -> None:  # type: ignore[no-untyped-def]
    folder = Path(tempfile.mkdtemp(prefix="merge-prop-"))
    try:
        team = Team(folder)
        files = []
        reviewers = []
        for name, identity, ops in (("a", ADA, ops_a), ("b", BEN, ops_b), ("c", CARLA, ops_c)):
            review = team.reviewer(name, identity)
            _apply(review, team.pdf, ops)
            out = folder / f"{name}.review.json"
            export_document(review, team.pdf, "review", out)
            files.append(out)
            reviewers.append(review)

        # Every order and every grouping: the same bytes.
        outputs = set()
        for order in itertools.permutations(files):
            target = folder / "merged.review.json"
            merge_files([str(p) for p in order], target)
            outputs.add(target.read_bytes())
        left = folder / "left.review.json"
        merge_files([str(files[0]), str(files[1])], left)
        merge_files([str(left), str(files[2])], left)
        outputs.add(left.read_bytes())
        right = folder / "right.review.json"
        merge_files([str(files[1]), str(files[2])], right)
        merge_files([str(files[0]), str(right)], right)
        outputs.add(right.read_bytes())
        assert len(outputs) == 1
        merged_bytes = outputs.pop()

        # merge(A, A) = A, byte for byte.
        for f in files:
            same = folder / "same.review.json"
            merge_files([str(f), str(f)], same)
            assert same.read_bytes() == f.read_bytes()

        merged = review_file.loads(merged_bytes, "merged")
        # Nothing is lost: each reviewer's version of each item is in the merge (winner or
        # conflict), unless another reviewer's newer version replaced it -- which only happens
        # to versions the reviewer did not change.
        base = review_file.read(str(team.base_file))
        for f in files:
            mine = review_file.read(str(f))
            for table, kind in ((mine.annotations, ANNOTATION), (mine.replies, REPLY)):
                merged_table = merged.annotations if kind == ANNOTATION else merged.replies
                for item_id, state in table.items():
                    head = state.winner_hash
                    held = merged_table[item_id]
                    if head in held.versions:
                        continue
                    assert head in held.history
                    base_table = base.annotations if kind == ANNOTATION else base.replies
                    assert item_id in base_table and base_table[item_id].winner_hash == head
        # Deletes propagate: whatever one reviewer deleted is deleted in the merge's winner, or
        # kept as a visible conflict against a concurrent edit.
        for f in files:
            for item_id, state in review_file.read(str(f)).annotations.items():
                if state.winner["deleted"]:
                    held = merged.annotations[item_id]
                    assert any(v["deleted"] for v in held.versions.values())
        # Concurrent edits keep both texts.
        for item_id, held in merged.annotations.items():
            texts = {v["comment"] for v in held.versions.values()}
            for f in files:
                mine = review_file.read(str(f)).annotations.get(item_id)
                if mine is not None and mine.winner_hash in held.versions:
                    assert mine.winner["comment"] in texts

        # Importing the merge into each reviewer's database: then re-importing changes nothing
        # and never duplicates.
        merged_path = folder / "merged.review.json"
        for review in reviewers:
            import_file(review, str(merged_path))
            again = import_file(review, str(merged_path))
            assert again.added == [] and again.updated == [] and again.conflicts == []
            ids = [a.id for a in review.annotations(None, None)]
            assert len(ids) == len(set(ids))
            live_merged = {i for i, s in merged.annotations.items() if not s.winner["deleted"]}
            assert set(ids) == live_merged
            # After the import, the reviewer's export merges to the same content.
            back = folder / "back.review.json"
            export_document(review, team.pdf, "review", back)
            remerged = folder / "remerged.review.json"
            merge_files([str(back), str(merged_path)], remerged)
            data = review_file.loads(remerged.read_bytes(), "x")
            assert {k: sorted(s.versions) for k, s in data.annotations.items()} == {
                k: sorted(s.versions) for k, s in merged.annotations.items()
            }
            assert version_hash  # imported for the reader of this test
        for review in reviewers:
            review.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_three_concurrent_edits_merge_the_same_in_every_order(tmp_path: Path) -> None:
    """All three change the same comment: one winner, two conflicts, whatever the order."""
    team = Team(tmp_path)
    files = []
    first = None
    for name, identity in (("a", ADA), ("b", BEN), ("c", CARLA)):
        review = team.reviewer(name, identity)
        first = first or review.annotations(None)[0].id
        review.edit(first, comment=f"Reading of {identity.name}")
        out = tmp_path / f"{name}.review.json"
        export_document(review, team.pdf, "review", out)
        files.append(out)
        review.close()
    outputs = set()
    for order in itertools.permutations(files):
        target = tmp_path / "m.review.json"
        merge_files([str(p) for p in order], target)
        outputs.add(target.read_bytes())
    assert len(outputs) == 1
    merged = review_file.loads(outputs.pop(), "m")
    held = merged.annotations[first]
    assert sorted(v["comment"] for v in held.versions.values()) == [
        "Reading of Ada Tester",
        "Reading of Ben Reviewer",
        "Reading of Carla Jurist",
    ]
    assert len(held.conflicts) == 2
