"""The wheel carries every package and the resources, found through one function."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_is_listed_in_pyproject() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "reviewer").rglob("__init__.py")
        if "__pycache__" not in p.parts
    }
    assert found | {"reviewer.resources"} == listed


def test_resources_resolve_in_a_checkout() -> None:
    from reviewer.core.resources import resource_path, sample_treaty_path

    assert sample_treaty_path().read_bytes().startswith(b"%PDF")
    assert resource_path("taxonomy.json").is_file()


def test_license_is_agpl() -> None:
    config = (ROOT / "pyproject.toml").read_text("utf-8")
    assert re.search(r'license = "AGPL-3.0-or-later"', config)
    assert "GNU Affero General Public License" in (ROOT / "LICENSE").read_text("utf-8")


def test_installed_wheel_runs_the_cli_with_its_resources(tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    wheel_dir = tmp_path / "wheel"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheel_dir), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheel_dir.glob("reviewer-*.whl")
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    assert (target / "reviewer" / "resources" / "sample-treaty.pdf").is_file()
    code = (
        "import json, reviewer.core.resources as r; "
        "print(json.dumps([str(r.sample_treaty_path()), str(r.resource_path('taxonomy.json'))]))"
    )
    env = {"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, check=True
    )
    paths = json.loads(out.stdout)
    assert all(p.startswith(str(target)) for p in paths)
    info = subprocess.run(
        [sys.executable, "-m", "reviewer", "--db", str(tmp_path / "db.sqlite3"), "info", paths[0], "--json"],
        cwd=tmp_path,
        env={**env, "REVIEWER_CONFIG_DIR": str(tmp_path / "cfg")},
        capture_output=True,
        text=True,
    )
    assert info.returncode == 0, info.stderr
    assert json.loads(info.stdout)["pages"] == 7
