"""Three reviewers, three databases, one team folder: driven through the ``reviewer`` CLI."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from reviewer.cli.commands import cli

NAMES = {"ada": "Ada Tester", "ben": "Ben Reviewer", "carla": "Carla Jurist"}


@dataclass
class Reviewer:
    key: str
    db: Path
    pdf: Path

    @property
    def name(self) -> str:
        return NAMES[self.key]

    def run(self, *args: str, ok: bool = True) -> Result:
        result = CliRunner().invoke(cli, ["--db", str(self.db), "--author", self.name, *args])
        if ok:
            assert result.exit_code == 0, (args, result.output, result.exception)
        return result

    def annotate(self, quote: str, *extra: str) -> str:
        return self.run("annotate", str(self.pdf), "--quote", quote, *extra).output.strip()

    def sync(self, folder: Path, *extra: str) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = json.loads(self.run("sync", str(folder), "--json", *extra).stdout)
        return out

    def state(self) -> dict[str, Any]:
        """What a reviewer sees: annotations (with tombstones), replies, tags, statuses and
        conflicts with their texts; keyed by id, without this database's bookkeeping."""
        listed = json.loads(self.run("list", str(self.pdf), "--include-deleted", "--json").stdout)
        conflicts = json.loads(self.run("list", str(self.pdf), "--conflicts", "--json").stdout or "[]")
        annotations = {
            a["id"]: {
                "comment": a["comment"],
                "status": a["status"],
                "tags": a["tags"],
                "deleted": a["deleted"],
                "revision": a["revision"],
                "author": a["author"],
                "replies": sorted((r["id"], r["comment"], r["deleted"]) for r in a["replies"]),
            }
            for a in listed
        }
        return {
            "annotations": annotations,
            "conflicts": sorted(
                (c["id"], c["version"], c["comment"], c["current"]["comment"]) for c in conflicts
            ),
        }


def team(tmp_path: Path, sample_pdf: Path, keys: tuple[str, ...] = ("ada", "ben", "carla")) -> list[Reviewer]:
    out = []
    for key in keys:
        own_pdf = tmp_path / key / "treaty.pdf"  # each has their own copy, as on separate laptops
        own_pdf.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(sample_pdf, own_pdf)
        out.append(Reviewer(key, tmp_path / key / "review.sqlite3", own_pdf))
    return out


def folder_bytes(folder: Path) -> bytes:
    """Every byte of every file in the folder (names included)."""
    return b"".join(
        str(p.relative_to(folder)).encode() + p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    )
