"""Filters and grouping do what they say, read from the report text."""

from __future__ import annotations

import re

import pytest
from report_testkit import markdown_text, pdftotext, squash


def entry_numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"(?m)^#### #(\d+) ", text)]


def sections(text: str) -> dict[str, list[int]]:
    """Group heading -> entry numbers under it."""
    out: dict[str, list[int]] = {}
    current = None
    for line in text.splitlines():
        if line.startswith("### ") and not line.startswith("### Articles"):
            current = line[4:]
            out[current] = []
        elif line.startswith("#### #") and current is not None:
            out[current].append(int(line[6:].split()[0]))
    return out


def test_tag_filter(make_report, expected):
    text = markdown_text(make_report("powers.md", tags=("surveillance power",)))
    wanted = [a for a in expected if "surveillance power" in a.tag_names]
    assert 0 < len(entry_numbers(text)) == len(wanted) < len(expected)
    for a in wanted:
        assert squash(a.comment) in squash(text)
    for a in expected:
        if "surveillance power" not in a.tag_names and a.comment.startswith("Comment"):
            assert squash(a.comment) not in squash(text)


def test_author_and_status_filters(make_report, expected):
    text = markdown_text(make_report("ada-open.md", authors=("Ada Lovelace",), statuses=("open", "rejected")))
    wanted = [a for a in expected if a.author_name == "Ada Lovelace" and a.status in ("open", "rejected")]
    assert len(entry_numbers(text)) == len(wanted) > 0
    body = text.split("## Annotations", 1)[1]
    assert "José Núñez ·" not in body and "Zoë Ångström ·" not in body
    assert "Status: Accepted" not in body and "Status: Resolved" not in body
    assert "Filters:** tags" not in text and "reviewers: Ada Lovelace; status: open, rejected" in text


def test_group_by_article_is_article_order(make_report, expected):
    groups = sections(markdown_text(make_report("report.md")))
    headings = list(groups)
    assert headings[0] == "Not in an article (preamble and other text)"
    numbers = [int(m.group(1)) for h in headings[1:] for m in [re.match(r"Article (\d+)", h)]]
    assert numbers == sorted(numbers) and len(numbers) == len({a.article for a in expected} - {None})
    for heading, entries in groups.items():
        for n in entries:
            a = expected[n - 1]
            assert (
                (a.article is None)
                if heading.startswith("Not in")
                else heading.startswith(f"Article {a.article} — ")
            )


@pytest.mark.parametrize(
    ("group_by", "key"),
    [
        ("reviewer", lambda a: [f"Reviewer: {a.author_name}"]),
        ("status", lambda a: [f"Status: {a.status.capitalize()}"]),
        ("page", lambda a: [f"Page {a.page + 1}"]),
        ("tag", lambda a: [f"Tag: {t}" for t in a.tag_names] or ["Untagged"]),
    ],
)
def test_other_groupings(make_report, expected, group_by, key):
    groups = sections(markdown_text(make_report(f"by-{group_by}.md", group_by=group_by)))
    want: dict[str, list[int]] = {}
    for n, a in enumerate(expected, start=1):
        for heading in key(a):
            want.setdefault(heading, []).append(n)
    assert {h: sorted(v) for h, v in groups.items()} == want
    if group_by == "status":
        assert list(groups) == [
            h
            for h in ("Status: Open", "Status: Accepted", "Status: Rejected", "Status: Resolved")
            if h in want
        ]
    if group_by == "page":
        assert list(groups) == sorted(groups, key=lambda h: int(h.split()[1]))


def test_grouping_in_pdf_headings(make_report, expected):
    text = squash(pdftotext(make_report("by-reviewer.pdf", group_by="reviewer", statuses=("accepted",))))
    for name in ("Ada Lovelace", "José Núñez", "Zoë Ångström"):
        assert squash(f"Reviewer: {name}") in text
    assert squash("Status: Open") not in text
    assert text.count(squash("Status: Accepted")) == sum(1 for a in expected if a.status == "accepted")
