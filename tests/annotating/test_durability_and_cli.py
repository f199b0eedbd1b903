"""Nothing is lost when the app is killed right after a change, and GUI annotations are the
same records as ``reviewer annotate`` ones."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from click.testing import CliRunner

from reviewer.cli import main_group

ROOT = Path(__file__).resolve().parents[2]
QUOTE = "judicial or other independent review"

SCRIPT = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {root!r})
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    from reviewer.ui.app import create_main_window

    window = create_main_window({pdf!r}, db_path={db!r}, remember=False)
    window.show()
    app = QApplication.instance()
    deadline = time.monotonic() + 60
    while window.view.text_flow() is None and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    flow = window.view.text_flow()
    start = flow.text.index({quote!r})
    window.view.select_range(start, start + len({quote!r}))
    controller = window.annotating
    annotation_id = controller.highlight_selection(["safeguard"])
    QTest.keyClicks(controller.panel.editor.comment_edit, "typed just before the crash")
    print("READY", annotation_id, flush=True)
    app.exec()
    """
)


def test_killed_app_keeps_the_change(tmp_path, sample_pdf, db_path, qtbot):
    script = tmp_path / "scripted_app.py"
    script.write_text(
        SCRIPT.format(root=str(ROOT), pdf=str(sample_pdf), db=str(db_path), quote=QUOTE), "utf-8"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, str(script)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,  # its render workers die with it
    )
    try:
        line = proc.stdout.readline()
        assert line.startswith("READY"), proc.stderr.read() if proc.poll() is not None else line
        annotation_id = line.split()[1]
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    # restart: the change is in the database and in the reopened window
    from tests.annotating.gui_helpers import open_window

    window = open_window(qtbot, sample_pdf, db_path)
    record = window.annotating.review.annotation(annotation_id)
    assert record.quote == QUOTE
    assert record.tag_names == ["safeguard"]
    assert record.comment == "typed just before the crash"
    assert window.annotating.panel.model.indexes_of(annotation_id)


def test_gui_and_cli_annotations_are_the_same_kind_of_record(qtbot, sample_pdf, db_path):
    from tests.annotating.gui_helpers import open_window

    window = open_window(qtbot, sample_pdf, db_path)
    view = window.view
    start = view.text_flow().text.index(QUOTE)
    view.select_range(start, start + len(QUOTE))
    controller = window.annotating
    controller.highlight_selection(["safeguard"])
    controller.panel.editor.comment_edit.setPlainText("Why it matters.")
    window.close()

    runner = CliRunner()
    result = runner.invoke(
        main_group,
        [
            "--db",
            str(db_path),
            "annotate",
            str(sample_pdf),
            "--quote",
            QUOTE,
            "--tag",
            "safeguard",
            "--comment",
            "Why it matters.",
        ],
    )
    assert result.exit_code == 0, result.output
    listed = runner.invoke(main_group, ["--db", str(db_path), "list", str(sample_pdf), "--json"])
    assert listed.exit_code == 0, listed.output
    gui, cli = json.loads(listed.output)
    varying = {"id", "created", "modified", "revision"}
    assert {k: v for k, v in gui.items() if k not in varying} == {
        k: v for k, v in cli.items() if k not in varying
    }
    assert gui["author"] == cli["author"] == "Ada Tester"
    assert gui["quads"] and gui["tags"] == ["safeguard"]


def test_window_uses_reviewer_db_and_survives_a_database_it_cannot_open(
    qtbot, sample_pdf, tmp_path, monkeypatch
):
    from reviewer.ui.app import create_main_window

    # REVIEWER_DB (set by conftest) is used when no path is given, as by the CLI
    window = create_main_window(str(sample_pdf), remember=False)
    qtbot.addWidget(window)
    assert window.annotating.review.store.path == tmp_path / "review.sqlite3"
    window.close()

    folder = tmp_path / "a-folder.sqlite3"
    folder.mkdir()
    monkeypatch.setenv("REVIEWER_DB", str(folder))
    window = create_main_window(str(sample_pdf), remember=False)
    qtbot.addWidget(window)
    assert window.annotating is None
    assert "is a folder, not a database" in window.panel_dock.widget().text()
    assert window.view.page_count() == 7  # the document is still readable
