"""Screenshot for docs/: the outline marking each article's state and assignee, the article
card with a reviewer's position and proposal, and the coverage line in the status bar. Run:

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python scripts/article_card_screenshot.py docs/

Uses a copy of the sample treaty with a throwaway database and settings.
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

from annotating_screenshots import settle, wait  # noqa: E402


def main(out_dir: str) -> None:
    work = Path(tempfile.mkdtemp())
    os.environ["REVIEWER_CONFIG_DIR"] = str(work / "config")
    os.environ["REVIEWER_AUTHOR"] = "Ada Tester"
    pdf = work / "treaty.pdf"
    shutil.copyfile(ROOT / "resources" / "sample-treaty.pdf", pdf)

    from PySide6.QtWidgets import QApplication

    from reviewer.core.pdf import open_pdf
    from reviewer.core.positions import assign, mark_reviewed, set_position
    from reviewer.core.review import Review
    from reviewer.core.settings import Identity

    db = work / "review.sqlite3"
    team = Review.open(db, Identity("22222222-2222-4222-8222-222222222222", "Ben Reviewer"))
    document = open_pdf(str(pdf))
    set_position(
        team,
        document,
        12,
        "reservation",
        "Judicial control is missing",
        "Η Δημοκρατία δηλώνει ότι 第十二条 …",
    )
    mark_reviewed(team, document, [1, 2, 3, 14], True)
    assign(team, document, "1-13", "Ada Tester")
    assign(team, document, "14-26", "Ben Reviewer")
    team.annotate_quote(
        document, "traffic data in real time", tags=["surveillance power"], comment="No judge"
    )
    team.close()

    from reviewer.ui.app import create_main_window

    window = create_main_window(str(pdf), db_path=db, remember=False)
    app = QApplication.instance()
    window.resize(1500, 940)
    window.show()
    wait(app, lambda: window.view.text_flow() is not None)
    view = window.article_coverage
    wait(app, lambda: view.coverage is not None and view.outline_mark(12) != "")
    window.outline.expandAll()
    item = next(i for i in view._items() if view.article_of_item(i) == 12)
    window.outline.setCurrentItem(item)
    window.outline.itemClicked.emit(item, 0)
    card = view.card
    card.stance.setCurrentText("reservation")
    card.rationale.setPlainText("No independent oversight of the powers")
    card.proposal.setPlainText("La République se réserve le droit de ne pas appliquer l’article 12, § 2.")
    card.set_button.click()
    view.toggle_reviewed()
    window.view.setFocus()
    wait(app, window.view.is_idle)
    settle(app)
    window.grab().save(str(Path(out_dir) / "article-card.png"))
    window.close()
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs")
    os._exit(0)
