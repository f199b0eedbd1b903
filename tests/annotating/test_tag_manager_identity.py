"""The tag manager (usage counts, add/rename/recolour/retire/merge, undo) and the first-run
reviewer identity."""

from __future__ import annotations

import json

from reviewer.core.pdf import open_pdf
from reviewer.core.settings import Settings
from reviewer.ui.identity import IdentityDialog, ensure_identity
from reviewer.ui.tag_manager import TagManagerDialog
from reviewer.ui.undo import UndoController


def test_tag_manager_actions_are_undoable_and_show_usage(qtbot, review, sample_pdf):
    pdf = open_pdf(sample_pdf)
    doc_id = review.register(pdf)["id"]
    a = review.annotate_quote(pdf, "judicial or other independent review", tags=["safeguard"])
    review.annotate_quote(pdf, "competent authorities", occurrence=1, tags=["vague definition"])
    undo = UndoController(review)
    dialog = TagManagerDialog(review, undo, doc_id)
    qtbot.addWidget(dialog)
    assert dialog.usage_of("safeguard") == 1
    assert dialog.usage_of("good practice") == 0

    assert dialog.add_tag("proportionality", "#1B998B")
    assert review.tag("proportionality").color == "#1B998B"
    assert dialog.selected_tag().name == "proportionality"
    assert dialog.rename_tag("safeguard", "adequate safeguard")
    assert review.annotation(a.id).tag_names == ["adequate safeguard"]
    assert dialog.recolor_tag("adequate safeguard", "#000080")
    assert review.tag("adequate safeguard").color == "#000080"
    assert dialog.merge_tags("vague definition", "adequate safeguard")
    assert dialog.usage_of("adequate safeguard") == 2
    assert review.tag("vague definition").retired
    assert dialog.retire_tag("good practice")
    assert review.tag("good practice").retired
    assert dialog.rename_tag("adequate safeguard", "surveillance power") is False
    assert "exists already" in dialog.note.text()

    # five undo steps bring the taxonomy and the annotations back
    for _ in range(5):
        undo.undo()
    names = {t.name for t in review.tags()}
    assert "safeguard" in names and "proportionality" not in names
    assert not review.tag("vague definition").retired
    assert review.tag("safeguard").color == "#3FA34D"
    assert review.annotation(a.id).tag_names == ["safeguard"]
    assert dialog.usage_of("vague definition") == 1
    undo.redo()
    assert review.tag("proportionality").color == "#1B998B"
    pdf.close()


def test_tag_manager_buttons_ask_then_act(qtbot, review):
    undo = UndoController(review)
    dialog = TagManagerDialog(review, undo)
    qtbot.addWidget(dialog)
    dialog.ask_text = lambda title, label, value: "sunset clause"
    dialog.ask_color = lambda name, current: "#123456"
    dialog.add_button.click()
    assert review.tag("sunset clause").color == "#123456"
    dialog.select("sunset clause")
    dialog.ask_choice = lambda title, label, options: "good practice"
    dialog.merge_button.click()
    assert review.tag("sunset clause").retired
    assert dialog.retire_button.text() == "&Restore"
    dialog.retire_button.click()
    assert not review.tag("sunset clause").retired


def test_new_tag_on_the_spot_asks_for_a_colour(qtbot, review, sample_pdf):
    from reviewer.ui.panel import AnnotationPanel

    pdf = open_pdf(sample_pdf)
    a = review.annotate_quote(pdf, "judicial or other independent review")
    panel = AnnotationPanel(review)
    qtbot.addWidget(panel)
    panel.set_document(review.register(pdf)["id"])
    panel.select_annotation(a.id)
    editor = panel.editor
    asked = []
    editor.color_chooser = lambda parent, name: asked.append(name) or "#ABCDEF"
    qtbot.keyClicks(editor.tag_input, "needs sunset")
    qtbot.keyClick(editor.tag_input, "\r")
    assert asked == ["needs sunset"]
    assert review.tag("needs sunset").color == "#ABCDEF"
    assert review.annotation(a.id).tag_names == ["needs sunset"]
    # one undo step removes both the tag from the annotation and the new tag
    panel.undo.undo()
    assert review.annotation(a.id).tag_names == []
    assert "needs sunset" not in {t.name for t in review.tags()}
    # a known tag: type-ahead completes it, no colour asked
    assert "safeguard" in editor.completer.model().stringList()
    qtbot.keyClicks(editor.tag_input, "Safeguard")
    qtbot.keyClick(editor.tag_input, "\r")
    assert review.annotation(a.id).tag_names == ["safeguard"]
    assert asked == ["needs sunset"]
    pdf.close()


def test_first_run_asks_the_name_once_and_keeps_a_stable_id(tmp_path, monkeypatch):
    monkeypatch.delenv("REVIEWER_AUTHOR")
    settings = Settings.load()
    asked = []
    identity = ensure_identity(settings, ask=lambda suggestion: asked.append(1) or "  Ada   Lovelace ")
    assert identity.name == "Ada Lovelace"
    stored = json.loads((tmp_path / "config" / "settings.json").read_text("utf-8"))
    assert stored["reviewer_name"] == "Ada Lovelace"
    assert identity.id == stored["reviewer_id"] and len(identity.id) == 36
    again = ensure_identity(Settings.load(), ask=lambda s: asked.append(2) or "Someone Else")
    assert again == identity
    assert asked == [1]


def test_author_override_skips_the_question(monkeypatch):
    monkeypatch.setenv("REVIEWER_AUTHOR", "Bruno Lima")
    identity = ensure_identity(Settings(), ask=lambda s: (_ for _ in ()).throw(AssertionError))
    assert identity.name == "Bruno Lima"


def test_identity_dialog_needs_a_name(qtbot):
    dialog = IdentityDialog("")
    qtbot.addWidget(dialog)
    ok = dialog.buttons.buttons()[0]
    assert not ok.isEnabled()
    qtbot.keyClicks(dialog.name_edit, "Chen Wei")
    assert ok.isEnabled() and dialog.name() == "Chen Wei"
