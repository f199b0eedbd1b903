"""Screenshot for docs/: the carry walk after carrying a review to a revised treaty.

    xvfb-run -a -s "-screen 0 1600x1000x24" env QT_QPA_PLATFORM=xcb PYTHONPATH=. \\
        python scripts/shot_carry_walk.py WORK docs/gui-carry-walk.png
(WORK: an empty folder for the database and the two versions.)
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path


def main(work: Path, output: Path) -> None:
    os.environ["REVIEWER_CONFIG_DIR"] = str(work / "config")
    os.environ["REVIEWER_AUTHOR"] = "Ada Tester"
    from PySide6.QtWidgets import QApplication

    from reviewer.core.pdf import open_pdf
    from reviewer.core.review import Review
    from reviewer.core.sample_treaty import (
        SAMPLE_TREATY,
        build_treaty_pdf,
        reworded,
        with_version_note,
        without_paragraph,
    )
    from reviewer.core.settings import Identity
    from reviewer.core.textflow import find_all
    from reviewer.ui.app import create_main_window

    ninety = "up to a maximum of ninety days"
    v2 = without_paragraph(SAMPLE_TREATY, 19, 2)
    v2 = reworded(v2, ninety, ninety.replace("ninety", "sixty"))
    v2 = reworded(v2, "shall endeavour to settle", "may endeavour to settle")
    v2 = with_version_note(v2, "Adopted text, version 2")
    draft, adopted = work / "treaty-draft.pdf", work / "treaty-adopted.pdf"
    build_treaty_pdf(SAMPLE_TREATY, draft)
    build_treaty_pdf(v2, adopted)
    db = work / "review.sqlite3"
    review = Review.open(db, Identity("11111111-1111-4111-8111-111111111111", "Ada Tester"))
    with open_pdf(draft) as document:
        for passage, comment in (
            ("the competent authorities to seek its disclosure", "Ninety days is already long."),
            (ninety, "Ninety days is already long."),
            ("States Parties shall endeavour to settle disputes", "Binding settlement?"),
            ("States Parties shall not be required", "Keep this safeguard."),
        ):
            match = find_all(document.flow(), passage)[0]
            review.annotate_range(document, match.start, match.end, comment=comment)
    review.close()

    window = create_main_window(str(adopted), db_path=db, remember=False)
    window.resize(1500, 960)
    window.show()
    app = QApplication.instance()
    assert app is not None

    def settle(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.02)

    settle(2.0)
    offer = window.carry_offer  # type: ignore[attr-defined]
    offer.accept_button.click()
    for _ in range(500):
        settle(0.05)
        if offer.report is not None:
            break
    settle(2.0)
    window.grab().save(str(output))
    print(offer.label.text())
    print(window.carry_walk.heading.text())  # type: ignore[attr-defined]


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
