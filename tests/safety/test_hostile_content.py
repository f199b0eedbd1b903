"""Nothing in a file acts: links are data (only page jumps and confirmed web links survive),
strings from files are shown as plain text, and any search text is just text."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from hostile_pdf import hostile_pdf_bytes
from safety_helpers import populate, run_cli

from reviewer.cli import main_group
from reviewer.core.pdf import LinkTarget, open_pdf, page_links, raw_link_kinds, safe_link_target
from reviewer.core.plain_text import display_text


@pytest.fixture
def hostile_pdf(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.pdf"
    path.write_bytes(hostile_pdf_bytes())
    return path


def test_only_page_jumps_and_web_links_survive(hostile_pdf: Path, tmp_path: Path) -> None:
    import pymupdf

    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        with open_pdf(hostile_pdf) as document:
            kinds = raw_link_kinds(document, 0)
            assert pymupdf.LINK_LAUNCH in kinds  # MuPDF sees the launch links ...
            assert pymupdf.LINK_URI in kinds and pymupdf.LINK_GOTOR in kinds
            targets = [target for _, target in page_links(document, 0)]  # ... the app never gets them
            text = "".join(line.chars for line in document.page_text(0).lines)
    finally:
        os.chdir(cwd)
    assert "Links that must never act" in text
    assert targets == [
        LinkTarget("uri", uri="https://treaties.example.org/convention", needs_confirmation=True),
        LinkTarget("page", page=1),
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hostile.pdf"]  # nothing was written


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ({"kind": 3, "file": "calc.exe"}, None),  # LINK_LAUNCH
        ({"kind": 5, "file": "other.pdf", "page": 0}, None),  # LINK_GOTOR
        ({"kind": 4, "name": "Print"}, None),  # LINK_NAMED
        ({"kind": 0}, None),
        ({"kind": 2, "uri": "javascript:alert(1)"}, None),
        ({"kind": 2, "uri": "file:///etc/passwd"}, None),
        ({"kind": 2, "uri": "https://ok.example/\x00evil"}, None),
        (
            {"kind": 2, "uri": "HTTPS://ok.example/a"},
            LinkTarget("uri", uri="HTTPS://ok.example/a", needs_confirmation=True),
        ),
        (
            {"kind": 2, "uri": "mailto:secretariat@example.org"},
            LinkTarget("uri", uri="mailto:secretariat@example.org", needs_confirmation=True),
        ),
        ({"kind": 1, "page": 3}, LinkTarget("page", page=3)),
        ({"kind": 1, "page": 99}, None),
        ({"kind": 1, "page": -1}, None),
    ],
)
def test_safe_link_target(link: dict[str, object], expected: LinkTarget | None) -> None:
    assert safe_link_target(link, page_count=10) == expected


def test_the_hostile_pdf_opens_from_the_cli(hostile_pdf: Path, db_path: Path) -> None:
    done = run_cli(db_path, "info", str(hostile_pdf))
    assert done.returncode == 0, done.stderr
    assert "pages:       2" in done.stdout
    assert not {"pwned.txt", "payload.exe"} & set(os.listdir(hostile_pdf.parent))


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("Ada\x00 Lovelace", "Ada Lovelace"),
        ("line\nbreak\ttab\r\nend", "line break tab end"),
        ("\x1b[31mred\x1b[0m", "[31mred[0m"),
        ("admin\u202egnp.exe", "admingnp.exe"),  # right-to-left override
        ("a\u2066b\u2069c\u200fd", "abcd"),  # isolates and marks
        ("zero\u200bwidth", "zerowidth"),
        ("\u0645\u200d\u0645 ok", "\u0645\u200d\u0645 ok"),  # joiners stay
        ("C1\x85\x9bcontrols", "C1 controls"),
        ("x" * 600, "x" * 499 + "\u2026"),
        (None, ""),
        ("Ann\u00e9e 2024 \u6761\u7ea6", "Ann\u00e9e 2024 \u6761\u7ea6"),
    ],
)
def test_display_text(raw: str | None, shown: str) -> None:
    assert display_text(raw) == shown


def test_display_text_can_keep_lines() -> None:
    assert display_text("a\r\nb\u2028c\x07", keep_newlines=True) == "a\nb\nc"
    assert display_text("abc", max_length=None) == "abc"


HOSTILE_SEARCHES = [
    '"',
    '""',
    '"unbalanced',
    "NEAR(a b)",
    "a NEAR b",
    "NOT",
    "AND OR NOT",
    "*",
    "**",
    "pre*",
    "(",
    ")",
    "((a)",
    "a:b",
    "quote:autho",
    "^start",
    "-minus",
    "+plus",
    "'; DROP TABLE annotations; --",
    "' OR 1=1 --",
    '") OR 1=1 --',
    "annotations_fts MATCH 'x'",
    "\x00\x01\x02",
    "tab\tand\nnewline",
    "\u202eevil",
    "{col1 col2}: x",
    "a" * 5000,
    "\U0001f600 emoji",
]


@pytest.mark.parametrize("text", HOSTILE_SEARCHES)
def test_hostile_search_text_is_only_text(text: str, sample_pdf: Path, db_path: Path) -> None:
    populate(db_path, sample_pdf, count=3)
    runner = CliRunner()
    result = runner.invoke(
        main_group, ["--db", str(db_path), "list", str(sample_pdf), "--search", text, "--json"]
    )
    assert result.exception is None, result.output
    assert result.exit_code == 0
    assert result.stdout.strip().startswith("[")


def test_search_with_quotes_and_operators_still_finds_the_words(sample_pdf: Path, db_path: Path) -> None:
    populate(db_path, sample_pdf, count=3)
    runner = CliRunner()
    found = runner.invoke(
        main_group,
        ["--db", str(db_path), "list", str(sample_pdf), "--search", 'note "1" AND', "--json"],
    )
    assert found.exit_code == 0
    # Every word is a literal (AND included), so "AND" must occur too: nothing matches.
    assert found.stdout.strip() == "[]"
    plain = runner.invoke(
        main_group,
        ["--db", str(db_path), "list", str(sample_pdf), "--search", '"note" (1', "--json"],
    )
    assert plain.exit_code == 0 and '"note 1"' in plain.stdout
    sub = run_cli(db_path, "list", str(sample_pdf), "--search", "'; DROP TABLE annotations; --")
    assert sub.returncode == 0 and "Traceback" not in sub.stderr
    again = run_cli(db_path, "list", str(sample_pdf), "--search", "note")
    assert again.returncode == 0 and again.stdout.count("note ") == 3
