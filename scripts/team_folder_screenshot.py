"""Screenshot for docs/team-folder.md: Ben's window after Ada's annotations arrived through the
team folder, with the status-bar line. Run under Xvfb:

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python scripts/team_folder_screenshot.py docs/

Two windows in one process, each on its own throwaway database (two laptops), one throwaway
folder as the shared one; never touches the user's review data.
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

PASSAGES = [
    ("reliable safeguards", "Adequate only with a judge's order."),
    ("promote and strengthen measures", "Too broad: no limit on the measures."),
    ("information system", "Define it as in Art. 1."),
]


def main(out_dir: str) -> None:
    work = Path(tempfile.mkdtemp())
    os.environ["REVIEWER_CONFIG_DIR"] = str(work / "config")
    from PySide6.QtWidgets import QApplication

    from reviewer.core.resources import sample_treaty_path
    from reviewer.ui.app import create_main_window

    folder = work / "OneDrive - Firm" / "Treaty review"
    folder.mkdir(parents=True)
    windows = []
    for who in ("Ada Tester", "Ben Reviewer"):
        place = work / who.split()[0]
        place.mkdir()
        pdf = place / "treaty.pdf"
        shutil.copyfile(sample_treaty_path(), pdf)
        window = create_main_window(str(pdf), db_path=place / "review.sqlite3", author=who, remember=False)
        window.resize(1400, 860)
        window.show()
        windows.append(window)
    app = QApplication.instance()
    for window in windows:
        wait(app, lambda w=window: getattr(w, "annotating", None) is not None and w.annotating.document_id)
        window.team_folder.start(str(folder))
    ada, ben = windows
    review = ada.annotating.review
    for quote, comment in PASSAGES:
        def act(q=quote, c=comment):  # type: ignore[no-untyped-def]
            review.annotate_quote(ada.annotating.document, q, comment=c, occurrence=1)
            return review.last_change

        ada.annotating.undo.run(act)
    wait(app, lambda: len(ben.annotating.panel.model.records) == len(PASSAGES))
    wait(app, lambda: "from Ada Tester" in ben.team_folder.status.text())
    ada.hide()
    ben.annotating.panel.select_annotation(next(iter(ben.annotating.panel.model.records)))
    ben.raise_()
    settle(app)
    out = Path(out_dir) / "team-folder-status.png"
    ben.grab().save(str(out))
    print(f"{out}: {ben.team_folder.status.text()}")
    # Ada's panel: the lock toggle on, and what the panel says of a private note.
    ben.hide()
    ada.show()
    ada.raise_()
    records = list(ada.annotating.panel.model.records)
    ada.annotating.panel.select_annotation(records[-1])
    wait(app, lambda: ada.annotating.panel.editor.annotation is not None)
    ada.annotating.panel.editor.private_button.click()
    settle(app)
    panel_shot = Path(out_dir) / "team-folder-private.png"
    ada.annotating.panel.grab().save(str(panel_shot))
    print(f"{panel_shot}: private={ada.annotating.review.annotation(records[-1]).private}")
    for window in windows:
        window.team_folder.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs")
    os._exit(0)
