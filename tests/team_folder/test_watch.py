"""``reviewer sync FOLDER --watch``: a headless process that keeps the folder in sync."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

from .helpers import team


def test_watch_imports_what_arrives_and_writes_what_changes(tmp_path: Path, sample_pdf: Path) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    ada, ben = team(tmp_path, sample_pdf, ("ada", "ben"))
    ada.annotate("reliable safeguards", "--comment", "Ada's")
    ben.annotate("information system", "--occurrence", "1", "--comment", "Ben's")
    watcher = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "reviewer",
            "--db",
            str(ada.db),
            "--author",
            ada.name,
            "sync",
            str(folder),
            "--watch",
            "--interval",
            "0.3",
            "--json",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        ben.sync(folder, "--pdf", str(ben.pdf))  # Ben's file arrives while Ada's process watches
        (folder / "broken.review.json").write_text("{", "utf-8")
        deadline = time.monotonic() + 120  # a generous bound on a loaded machine, not a measure
        while time.monotonic() < deadline:
            ben.sync(folder)
            if {"Ada's", "Ben's"} <= {a["comment"] for a in ben.state()["annotations"].values()}:
                break
            time.sleep(0.3)
        else:
            raise AssertionError("Ada's watching process never brought Ben's file in nor wrote hers")
    finally:
        watcher.send_signal(signal.SIGINT)
        out, err = watcher.communicate(timeout=60)
    assert watcher.returncode == 0, err
    assert "stopped" in err
    rounds = [json.loads(chunk) for chunk in _json_chunks(out)]
    actions = [(f["file"].split("/")[-1], f["action"]) for r in rounds for f in r]
    assert ("broken.review.json", "skipped") in actions
    assert actions.count(("broken.review.json", "skipped")) == 1  # warned once, not every look
    assert any(a == "imported" for _, a in actions) and any(a == "written" for _, a in actions)
    assert "Ben's" in {a["comment"] for a in ada.state()["annotations"].values()}


def _json_chunks(text: str) -> list[str]:
    chunks, current = [], []
    for line in text.splitlines():
        current.append(line)
        if line == "]":
            chunks.append("\n".join(current))
            current = []
    return chunks
