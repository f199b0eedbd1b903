"""No output of any format may land on the user's original PDF, however it is named."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from reviewer.cli import main


@pytest.mark.parametrize(
    "args",
    [
        ["export", "{pdf}", "--format", "csv", "-o", "{pdf}"],
        ["export", "{pdf}", "--format", "xfdf", "-o", "{pdf}"],
        ["export", "{pdf}", "--format", "review", "-o", "{pdf}"],
        ["export", "{pdf}", "--format", "pdf", "-o", "{link}"],
        ["report", "{pdf}", "-o", "{pdf}"],
        ["report", "{pdf}", "-o", "{link}"],
    ],
)
def test_outputs_never_overwrite_the_original(capsys, sample_pdf: Path, args: list[str]) -> None:
    link = sample_pdf.parent / "same-file.pdf"
    os.link(sample_pdf, link)
    with pytest.raises(SystemExit):
        main(["annotate", str(sample_pdf), "--quote", "Denunciation"])
    capsys.readouterr()
    before = hashlib.sha256(sample_pdf.read_bytes()).hexdigest()
    argv = [a.format(pdf=sample_pdf, link=link) for a in args]
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    err = capsys.readouterr().err
    assert exit_info.value.code == 1
    assert "never writes to the original PDF" in err and err.count("\n") == 1
    assert hashlib.sha256(sample_pdf.read_bytes()).hexdigest() == before
