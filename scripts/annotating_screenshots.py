"""Screenshots for docs/: a page with tagged highlights and the panel grouped by tag, and the
tag manager. Run under Xvfb so that real window decorations and fonts are used:

    Xvfb :98 -screen 0 1400x900x24 &
    DISPLAY=:98 PYTHONPATH=. python scripts/annotating_screenshots.py docs/

Uses a throwaway database and settings folder; never touches the user's review data.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PASSAGES = [
    (
        "empower its competent authorities to collect or record, through the application of "
        "technical means in its territory, traffic data in real time",
        ["surveillance power", "human-rights concern"],
        "Real-time collection with no judicial authorisation required.",
        "open",
    ),
    (
        "oblige a service provider to keep confidential the fact of the execution of any power",
        ["weak or missing safeguard"],
        "Secrecy without a time limit or notification of the person concerned.",
        "open",
    ),
    (
        "in relation to a range of serious offences to be determined by domestic law",
        ["vague definition"],
        '"Serious offences" is left to each State: no threshold.',
        "accepted",
    ),
    (
        "Where dual criminality is considered a requirement, it shall be deemed fulfilled",
        ["dual criminality", "safeguard"],
        "Good: avoids refusals on labels alone.",
        "resolved",
    ),
    (
        "shall not transfer it to a third country without the prior authorization of the "
        "transferring State Party",
        ["safeguard", "data sharing"],
        "Onward-transfer limit. Keep this wording.",
        "open",
    ),
]


def main(out_dir: str) -> None:
    work = Path(tempfile.mkdtemp())
    os.environ["REVIEWER_CONFIG_DIR"] = str(work / "config")
    os.environ["REVIEWER_AUTHOR"] = "Ada Tester"
    pdf = work / "sample-treaty.pdf"
    shutil.copyfile(ROOT / "resources" / "sample-treaty.pdf", pdf)

    from PySide6.QtWidgets import QApplication

    from reviewer.ui.annotation_model import GroupBy
    from reviewer.ui.app import create_main_window

    window = create_main_window(str(pdf), db_path=work / "review.sqlite3", remember=False)
    app = QApplication.instance()
    window.resize(1400, 900)
    window.show()
    wait(app, lambda: window.view.text_flow() is not None)
    controller = window.annotating
    view = window.view
    flow = view.text_flow()
    first = None
    for quote, tags, comment, status in PASSAGES:
        start = flow.text.index(quote)
        view.select_range(start, start + len(quote))
        annotation_id = controller.highlight_selection(tags)
        controller.panel.editor.comment_edit.setPlainText(comment)
        controller.panel.editor.set_status(status)
        first = first or annotation_id
    controller.panel.set_group_by(GroupBy.TAG)
    controller.panel.select_annotation(first)
    os.environ["REVIEWER_AUTHOR"] = "Bruno Lima"
    controller.review.identity = type(controller.review.identity)("b-l", "Bruno Lima")
    controller.panel.editor.reply("Agreed. Propose Art. 16(3): prior judicial authorisation.")
    controller.undo.end_typing()
    controller.panel.view.scrollToTop()
    controller.reveal(first)
    window.outline_dock.hide()
    view.set_zoom(1.25)
    controller.reveal(first)
    view.flash("")  # no flash outline in the picture
    view.setFocus()
    wait(app, view.is_idle)
    settle(app)
    out = Path(out_dir)
    window.grab().save(str(out / "annotating-panel.png"))

    manager = controller.open_tag_manager()
    manager.add_tag("proportionality", "#1B998B", "Necessity and proportionality test.")
    manager.retire_tag("jurisdiction")
    manager.select("safeguard")
    manager.resize(760, 420)
    settle(app)
    manager.grab().save(str(out / "tag-manager.png"))
    window.close()
    shutil.rmtree(work, ignore_errors=True)


def wait(app, condition, timeout: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("timed out")
        app.processEvents()
        time.sleep(0.01)


def settle(app) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + 1.5
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs")
    os._exit(0)
