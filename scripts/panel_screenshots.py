"""Screenshots of the window with the annotation panel at its minimum width, at 100 % and
200 %, made with ``reviewer shot`` (the command a user has) from a review built with the CLI.
Run under Xvfb so that real fonts are used:

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python scripts/panel_screenshots.py docs/

Uses a throwaway database and settings folder; never touches the user's review data.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PASSAGES = [
    ("reliable safeguards", ["safeguard"], "Keep this wording: **binding** on every Party.", "open"),
    (
        "competent authorities",
        ["surveillance power", "human-rights concern"],
        "Who are they?\n- police\n- *any* other body named by domestic law",
        "open",
    ),
    (
        "information system offences",
        ["vague definition"],
        "Scope left open; see [Art. 2](#art2).",
        "accepted",
    ),
]


def reviewer(*args: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "reviewer", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
    )
    return done.stdout


def main(out_dir: str) -> None:
    work = Path(tempfile.mkdtemp())
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        REVIEWER_CONFIG_DIR=str(work / "config"),
        REVIEWER_DB=str(work / "review.sqlite3"),
        REVIEWER_AUTHOR="Ada Tester",
    )
    pdf = work / "sample-treaty.pdf"
    shutil.copyfile(ROOT / "resources" / "sample-treaty.pdf", pdf)
    first = ""
    for quote, tags, comment, status in PASSAGES:
        tag_args = [a for t in tags for a in ("--tag", t)]
        made = json.loads(
            reviewer(
                "annotate",
                str(pdf),
                "--quote",
                quote,
                "--occurrence",
                "1",
                *tag_args,
                "--comment",
                comment,
                "--status",
                status,
                "--json",
                env=env,
            )
        )
        first = first or made["id"]
    # a teammate's edit: the panel names the editor next to the author
    reviewer("--author", "Bruno Lima", "edit", first, "--add-tag", "good practice", env=env)
    reviewer("--author", "Bruno Lima", "reply", first, "--comment", "Agreed.", env=env)
    out = Path(out_dir)
    for scale, name in (("1", "panel-min-width-100.png"), ("2", "panel-min-width-200.png")):
        shot_env = dict(env, QT_SCALE_FACTOR=scale)
        print(
            reviewer(
                "shot",
                str(pdf),
                "-o",
                str(out / name),
                "--size",
                "1280x860",
                "--select",
                first[:8],
                env=shot_env,
            ).strip()
        )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs")
