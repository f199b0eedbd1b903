"""The exchange commands' help; what each does is tested beside its module: test_conflicts,
test_importing, test_merge, test_export, test_foreign_import."""

from __future__ import annotations

from pathlib import Path

from .helpers import run_cli as _run

ROOT = Path(__file__).resolve().parents[2]


def test_every_exchange_command_has_help_with_an_example(capsys) -> None:  # type: ignore[no-untyped-def]
    for command in ("export", "import", "merge", "merge-driver", "resolve"):
        code, out, err = _run([command, "--help"], capsys)
        assert (
            code == 0
            and "Examples:" in out
            and f"reviewer {command}" in out.replace("# git config", "reviewer merge-driver")
        ), command
    code, out, err = _run(["list", "--help"], capsys)
    assert "--conflicts" in out
