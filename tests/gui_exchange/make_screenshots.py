"""Screenshots for docs/: the import summary and the report dialog in a real X window.

Run from the checkout, with an X server and imagemagick's ``import``:
    Xvfb :97 -screen 0 1280x820x24 &
    DISPLAY=:97 QT_QPA_PLATFORM=xcb PYTHONPATH=. python tests/gui_exchange/make_screenshots.py WORK docs import
    DISPLAY=:97 QT_QPA_PLATFORM=xcb PYTHONPATH=. python tests/gui_exchange/make_screenshots.py WORK docs report
(WORK: an empty folder for the databases and files; one run per screenshot.)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path


def main(work: Path, docs: Path, which: str) -> None:
    os.environ["REVIEWER_CONFIG_DIR"] = str(work / "config")
    os.environ["REVIEWER_DB"] = str(work / "review.sqlite3")
    os.environ["REVIEWER_AUTHOR"] = "Ada Tester"
    from PySide6.QtWidgets import QApplication, QMessageBox

    from reviewer.core.exchange.service import export_document
    from reviewer.core.pdf import open_pdf
    from reviewer.core.review import Review
    from reviewer.core.settings import Identity
    from reviewer.ui.app import create_main_window

    pdf_path = work / "treaty.pdf"
    shutil.copyfile("resources/sample-treaty.pdf", pdf_path)
    pdf = open_pdf(pdf_path)
    ben = Review.open(work / "ben.sqlite3", Identity("22222222-2222-4222-8222-222222222222", "Benoît Müller"))
    ben.annotate_quote(pdf, "reliable safeguards", tags=["safeguard"], comment="Adequate, but see Art. 15.")
    b = ben.annotate_quote(
        pdf,
        "promote and strengthen measures",
        tags=["surveillance power"],
        comment="Too broad: no limit on purposes.",
    )
    ben.reply(b.id, "Agreed — compare Art. 13(2).")
    ben.annotate_quote(pdf, "information system", occurrence=1, comment="Definition wider than national law.")
    ben_file = work / "benoit.review.json"
    export_document(ben, pdf, "review", ben_file)
    ben.close()
    ada = Review.open(work / "review.sqlite3", Identity("11111111-1111-4111-8111-111111111111", "Ada Tester"))
    ada.annotate_quote(
        pdf, "reliable safeguards", tags=["vague definition"], comment="Які дані? Unclear scope."
    )
    ada.close()
    evil = work / "from-email.xfdf"
    evil.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "a">]><xfdf><annots/></xfdf>')

    app = QApplication.instance() or QApplication([])
    window = create_main_window(str(pdf_path), db_path=work / "review.sqlite3", author=None, remember=False)
    window.resize(1280, 820)
    window.move(0, 0)
    window.show()
    QMessageBox.exec = lambda self: 0  # type: ignore[method-assign]  # the summary is the subject

    def settle(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.02)

    settle(3)
    if which == "import":
        window.exchange.import_paths([str(ben_file), str(evil)])
        dialog = window.exchange.summary_dialog
        dialog.move(320, 200)
        dialog.raise_()
        settle(2)
        subprocess.run(["import", "-window", "root", str(docs / "gui-import-summary.png")], check=True)
    else:
        window.exchange.import_paths([str(ben_file)])
        window.exchange.summary_dialog.close()
        report = window.exchange.open_report_dialog()
        report.title_edit.setText("Cybercrime Convention — committee brief")
        report.update_preview()
        report.move(180, 80)
        report.raise_()
        report.path_edit.setText(str(work / "brief.pdf"))
        worker = report.generate()
        while worker.isRunning():
            app.processEvents()
            time.sleep(0.02)
        settle(1)
        subprocess.run(["import", "-window", "root", str(docs / "gui-report-dialog.png")], check=True)
        print("report", report.last_output, report.last_error, report.progress.value())
    window.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3])
