"""Comments are stored as typed (plain text with light Markdown) and shown rendered: emphasis,
lists, inline code, and links as their text followed by the target. There are no images (an
image shows its description) and no HTML (tags show as the characters typed), so a comment from
a teammate's file can neither load anything nor inject markup into the panel or a report.

``parse`` gives blocks of spans once; each output (panel, tooltip, HTML and PDF reports, DOCX,
Markdown report) renders those, never the raw text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

BOLD = 1
ITALIC = 2
CODE = 4


@dataclass(frozen=True)
class Span:
    text: str
    style: int = 0  # BOLD | ITALIC | CODE
    target: str | None = None  # a link's target, shown after its text

    @property
    def bold(self) -> bool:
        return bool(self.style & BOLD)

    @property
    def italic(self) -> bool:
        return bool(self.style & ITALIC)

    @property
    def code(self) -> bool:
        return bool(self.style & CODE)


# A line is a list of spans; a paragraph keeps its line breaks (comments are typed with them).
Line = list[Span]


@dataclass
class Block:
    kind: str  # "paragraph", "bullets" or "numbers"
    items: list[list[Line]] = field(default_factory=list)  # paragraph: one item; lists: one per entry
    start: int = 1  # first number of a numbered list


_BULLET = re.compile(r"\s{0,3}[-*+]\s+(.*)")
_NUMBER = re.compile(r"\s{0,3}(\d{1,9})[.)]\s+(.*)")
_INLINE = re.compile(
    r"(?P<escape>\\[\\`*_\[\]()#+\-.!<>{}|~])"
    r"|`(?P<code>[^`\n]+)`"
    r"|!\[(?P<alt>[^\]\n]*)\]\((?P<src>[^)\s]*)(?:\s+\"[^\"\n]*\")?\)"
    r"|\[(?P<label>[^\]\n]+)\]\((?P<href>[^)\s]+)(?:\s+\"[^\"\n]*\")?\)"
    r"|<(?P<auto>(?:https?|mailto):[^>\s]+)>"
    r"|\*\*(?P<strong1>(?=\S)[^\n]*?(?<=\S))\*\*"
    r"|(?<![\w_])__(?P<strong2>(?=\S)[^\n]*?(?<=\S))__(?![\w_])"
    r"|\*(?P<em1>(?=[^\s*])[^\n*]*?(?<=[^\s*]))\*"
    r"|(?<![\w_])_(?P<em2>(?=[^\s_])[^\n_]*?(?<=[^\s_]))_(?![\w_])"
)


def parse(text: str) -> list[Block]:
    """The comment's blocks: paragraphs split at blank lines, runs of list items."""
    blocks: list[Block] = []
    paragraph: list[str] = []

    def end_paragraph() -> None:
        if paragraph:
            blocks.append(Block("paragraph", [[parse_inline(line) for line in paragraph]]))
            paragraph.clear()

    for raw in text.split("\n"):
        line = raw.rstrip()
        bullet, number = _BULLET.fullmatch(line), _NUMBER.fullmatch(line)
        if not line.strip():
            end_paragraph()
            if blocks and blocks[-1].kind != "paragraph":
                blocks.append(Block("paragraph"))  # a blank line ends a list
            continue
        if bullet or number:
            end_paragraph()
            kind = "bullets" if bullet else "numbers"
            item_text = bullet.group(1) if bullet else number.group(2)  # type: ignore[union-attr]
            if not blocks or blocks[-1].kind != kind:
                blocks.append(Block(kind, start=int(number.group(1)) if number else 1))
            blocks[-1].items.append([parse_inline(item_text)])
            continue
        if blocks and blocks[-1].kind != "paragraph" and raw[:1].isspace():
            blocks[-1].items[-1].append(parse_inline(line.strip()))  # an item's next line
            continue
        paragraph.append(line)
    end_paragraph()
    return [b for b in blocks if b.items]


def parse_inline(text: str, style: int = 0) -> Line:
    spans: Line = []
    at = 0
    for match in _INLINE.finditer(text):
        if match.start() > at:
            spans.append(Span(text[at : match.start()], style))
        at = match.end()
        group = match.lastgroup
        value = match.group(group) if group else ""
        if group == "escape":
            spans.append(Span(value[1], style))
        elif group == "code":
            spans.append(Span(value, style | CODE))
        elif group == "src":  # an image: its description, never the image
            spans.append(Span(match.group("alt") or "image", style | ITALIC))
        elif group == "href":
            label = match.group("label")
            spans.extend(_link(parse_inline(label, style), match.group("href"), style))
        elif group == "auto":
            spans.append(Span(value, style, target=value))
        elif group in ("strong1", "strong2"):
            spans.extend(parse_inline(value, style | BOLD))
        elif group in ("em1", "em2"):
            spans.extend(parse_inline(value, style | ITALIC))
    if at < len(text):
        spans.append(Span(text[at:], style))
    return _merged(spans)


def _link(label: Line, target: str, style: int) -> Line:
    """A link is its text, then its target: readers see where it goes; nothing is clickable."""
    text = "".join(s.text for s in label)
    if text == target:
        return [Span(target, style, target=target)]
    return [*label, Span(f" ({target})", style, target=target)]


def _merged(spans: Line) -> Line:
    out: Line = []
    for span in spans:
        if not span.text:
            continue
        if out and out[-1].style == span.style and out[-1].target is None and span.target is None:
            out[-1] = Span(out[-1].text + span.text, span.style)
        else:
            out.append(span)
    return out


def _markers(block: Block, index: int) -> str:
    if block.kind == "bullets":
        return "\u2022 "
    if block.kind == "numbers":
        return f"{block.start + index}. "
    return ""


# --- outputs -----------------------------------------------------------------------------


def plain_text(text: str) -> str:
    """The comment as a reader sees it, without any markup (search snippets, one-line lists)."""
    out: list[str] = []
    for block in parse(text):
        for index, item in enumerate(block.items):
            lines = ["".join(s.text for s in line) for line in item]
            out.append(_markers(block, index) + "\n".join(lines))
    return "\n".join(out)


def line_runs(text: str) -> Line:
    """The comment on one line (the panel's list row): spans, blocks joined by spaces, list
    entries after their bullet or number."""
    runs: Line = []
    for block in parse(text):
        for index, item in enumerate(block.items):
            if runs:
                runs.append(Span(" "))
            marker = _markers(block, index)
            if marker:
                runs.append(Span(marker))
            for n, line in enumerate(item):
                if n:
                    runs.append(Span(" "))
                runs.extend(Span(" ".join(s.text.split("\n")), s.style, s.target) for s in line)
    return runs


def _span_html(span: Span) -> str:
    text = html.escape(span.text, quote=False)
    if span.target is not None:
        text = f'<span class="link">{text}</span>'
    if span.code:
        text = f"<code>{text}</code>"
    if span.italic:
        text = f"<em>{text}</em>"
    if span.bold:
        text = f"<strong>{text}</strong>"
    return text


def _lines_html(lines: list[Line]) -> str:
    return "<br/>".join("".join(_span_html(s) for s in line) for line in lines)


def to_html(text: str, *, paragraph_attrs: str = "") -> str:
    """Safe HTML: every character of the comment is escaped; the only tags are the ones made
    here (p, ul, ol, li, strong, em, code, span)."""
    parts: list[str] = []
    for block in parse(text):
        if block.kind == "paragraph":
            parts.append(f"<p{paragraph_attrs}>{_lines_html(block.items[0])}</p>")
            continue
        tag = "ul" if block.kind == "bullets" else "ol"
        start = f' start="{block.start}"' if block.kind == "numbers" and block.start != 1 else ""
        items = "".join(f"<li>{_lines_html(item)}</li>" for item in block.items)
        parts.append(f"<{tag}{start}{paragraph_attrs}>{items}</{tag}>")
    return "".join(parts)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]()#+\-.!<>{}|~])")


def _md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def _span_markdown(span: Span) -> str:
    text = "`" + span.text.replace("`", "'") + "`" if span.code else _md_escape(span.text)
    if span.italic:
        text = f"*{text}*"
    if span.bold:
        text = f"**{text}**"
    return text


def to_markdown(text: str) -> list[str]:
    """Safe Markdown lines: the same rendering as ``to_html``, re-written so that a Markdown
    viewer shows emphasis and lists but no link, image or HTML (those are escaped text)."""
    out: list[str] = []
    for block in parse(text):
        if out:
            out.append("")
        for index, item in enumerate(block.items):
            lines = ["".join(_span_markdown(s) for s in line).strip() for line in item]
            marker = {"bullets": "- ", "numbers": f"{block.start + index}. "}.get(block.kind, "")
            indent = " " * len(marker)
            for n, line in enumerate(lines):
                hard_break = "  " if n < len(lines) - 1 else ""
                out.append((marker if n == 0 else indent) + line + hard_break)
    return out or [""]
