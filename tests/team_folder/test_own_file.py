"""One's own file rebuilt from what changed is byte for byte the file written whole, after
every kind of change a review sees."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from reviewer.core.exchange import own_file
from reviewer.core.exchange.service import export_document, import_file, resolve
from reviewer.core.pdf import open_pdf
from reviewer.core.review import Review
from reviewer.core.settings import Identity

ADA = Identity("11111111-1111-4111-8111-111111111111", "Ada Tester")
BEN = Identity("22222222-2222-4222-8222-222222222222", "Ben Reviewer")


def test_rebuilt_equals_whole_after_every_kind_of_change(tmp_path: Path, sample_pdf: Path) -> None:
    pdf = open_pdf(sample_pdf)
    ada = Review.open(tmp_path / "ada.sqlite3", ADA)
    first = ada.annotate_quote(pdf, "reliable safeguards", tags=["safeguard"], comment="One")
    second = ada.annotate_quote(pdf, "promote and strengthen measures", comment="Two")
    third = ada.annotate_quote(pdf, "information system", occurrence=1, comment="Three")
    ada.reply(first.id, "A reply")
    document_id = ada.register(pdf)["id"]
    state: dict[str, object] = {}

    def written() -> None:
        raw, pairs = own_file.own_file_bytes(ada, document_id)
        ada.store.exchange_add_versions(pairs)
        state["raw"], state["since"] = raw, ada.store.change_counter()

    def check(what: str, action: Callable[[], object], *, rebuilt: bool = True) -> None:
        action()
        previous, since = state["raw"], state["since"]
        assert isinstance(previous, bytes) and isinstance(since, int)
        whole, _ = own_file.own_file_bytes(ada, document_id)
        part = own_file._rebuilt(ada, document_id, previous, since)
        if rebuilt:
            assert part is not None, what
        if part is not None:
            assert part[0] == whole, what
        assert own_file.own_file_bytes(ada, document_id, previous, since)[0] == whole, what
        written()

    written()
    check("nothing", lambda: None)
    check("edit", lambda: ada.edit(second.id, comment="Two, edited", status="accepted"))
    check("tags", lambda: ada.edit(third.id, add_tags=["safeguard", "vague definition"]))
    reply = ada.store.query_annotations(None, ids=[first.id])[0]["replies"][0]["id"]
    check("reply", lambda: ada.reply(second.id, "Another reply"))
    from reviewer.core import operations as ops

    check("edit reply", lambda: ada.apply(ops.UpdateReply(reply, comment="A reply, edited")))
    check("private", lambda: ada.set_private(third.id, True))
    check("shared again", lambda: ada.set_private(third.id, False))
    check("delete", lambda: ada.delete(second.id))
    change = ada.edit(first.id, comment="Undo me")
    written()
    check("undo", lambda: ada.undo(change))
    check("new one", lambda: ada.annotate_quote(pdf, "Conditions and safeguards", occurrence=1))
    check("tag renamed", lambda: ada.rename_tag("safeguard", "safeguards"), rebuilt=False)
    # A teammate's concurrent edit: a conflict, then its resolution.
    base = tmp_path / "base.review.json"
    export_document(ada, pdf, "review", base)
    ben = Review.open(tmp_path / "ben.sqlite3", BEN)
    import_file(ben, str(base), pdf_path=str(sample_pdf))
    ben.edit(first.id, comment="Ben's reading")
    ben.reply(third.id, "Ben's reply")
    ada.edit(first.id, comment="Ada's reading")
    written()
    ben_file = tmp_path / "ben.review.json"
    export_document(ben, pdf, "review", ben_file)
    check("conflict", lambda: import_file(ada, str(ben_file)))
    check("resolved", lambda: resolve(ada, first.id, "theirs"))
    assert b"Ben's reply" in state["raw"]  # type: ignore[operator]
