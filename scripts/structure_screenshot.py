"""Screenshot for docs/: the outline of a Budapest-like treaty with its divisions nested, and
the panel showing item-level citations ("Art. 6(1)(a)(ii)"). Run under Xvfb:

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python scripts/structure_screenshot.py docs/

Typesets the corpus's Budapest-like text (tests/structure_corpus) into a throwaway folder with
a throwaway database and settings; never touches the user's review data.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from annotating_screenshots import settle, wait  # noqa: E402  (the event-loop waits both scripts use)

PASSAGES = [
    ("a computer password, access code, or similar data", ["surveillance power"], "Covers every password."),
    ("a device, including a computer program, designed or adapted primarily", ["vague definition"], ""),
    ("with intent that it be used for the purpose of committing", ["safeguard"], "Intent test: keep."),
    ("limitation of the scope and the duration of such power or procedure", ["safeguard"], ""),
    ("refuse assistance if:", ["human-rights concern"], ""),
]


def main(out_dir: str) -> None:
    work = Path(tempfile.mkdtemp())
    os.environ["REVIEWER_CONFIG_DIR"] = str(work / "config")
    os.environ["REVIEWER_AUTHOR"] = "Ada Tester"
    from tests.structure_corpus.treaties import CORPUS
    from tests.structure_corpus.typeset import typeset

    _, markup, style = next(c for c in CORPUS if c[0] == "cyber-coe")
    pdf = work / "convention-on-offences-against-information-systems.pdf"
    pdf.write_bytes(typeset(markup, style)[0])

    from PySide6.QtWidgets import QApplication

    from reviewer.ui.annotation_model import GroupBy
    from reviewer.ui.app import create_main_window

    window = create_main_window(str(pdf), db_path=work / "review.sqlite3", remember=False)
    app = QApplication.instance()
    window.resize(1500, 940)
    window.show()
    wait(app, lambda: window.view.text_flow() is not None)
    wait(app, lambda: window.outline.topLevelItemCount() > 0)
    controller = window.annotating
    view = window.view
    flow = view.text_flow()
    first = None
    for quote, tags, comment in PASSAGES:
        start = flow.text.index(quote)
        view.select_range(start, start + len(quote))
        annotation_id = controller.highlight_selection(tags)
        if comment:
            controller.panel.editor.comment_edit.setPlainText(comment)
        first = first or annotation_id
    controller.undo.end_typing()
    controller.panel.set_group_by(GroupBy.ARTICLE)
    window.outline.expandAll()
    chapter_two = window.outline.topLevelItem(1)
    title_one = chapter_two.child(0).child(0)
    misuse = next(
        title_one.child(i) for i in range(title_one.childCount()) if "Misuse" in title_one.child(i).text(0)
    )
    window.outline.setCurrentItem(misuse)
    window._on_outline_item(misuse)
    controller.panel.select_annotation(first)
    view.flash("")
    view.setFocus()
    wait(app, view.is_idle)
    settle(app)
    out = Path(out_dir)
    window.grab().save(str(out / "structure-outline-items.png"))
    window.close()
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs")
    os._exit(0)
