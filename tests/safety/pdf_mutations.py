"""Mutated PDFs made from small corpus files: byte flips, truncations, duplicated and deleted
chunks, broken xref offsets and stream lengths. Deterministic for a given seed."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# ../shared from the main checkout; ../../shared from a worktree under wt/.
CORPUS = next(
    (
        c
        for c in (
            ROOT.parent / "shared" / "corpus" / "pdfs",
            ROOT.parent.parent / "shared" / "corpus" / "pdfs",
        )
        if c.is_dir()
    ),
    ROOT.parent / "shared" / "corpus" / "pdfs",
)
SOURCES = [
    "pdfbox-rotations-90-180-270.pdf",
    "qpdf-11-pages-with-labels.pdf",
    "qpdf-boxes-rotation-negative-mediabox.pdf",
    "qpdf-hybrid-xref-30p.pdf",
    "qpdf-incremental-updates.pdf",
    "sf-arabic-rotated-pages.pdf",
    "sf-fpdf2-existing-annotations.pdf",
    "pdfjs-ligatures.pdf",
    "pdfbox-ligatures-physics-paper.pdf",
    "pagelabels-roman-arabic.pdf",
    "corrupted-zen-of-python-rot90.pdf",
]
BROKEN_AND_ENCRYPTED = [
    "corrupted-zen-of-python-rot90.pdf",
    "derived-truncated-55pct-crpt-118hrpt728.pdf",
    "pdfbox-broken-missing-catalog.pdf",
    "qpdf-broken-bad-xref.pdf",
    "qpdf-broken-xref-loop.pdf",
    "encrypted-aes256-r6.pdf",
    "pdfbox-encrypted-aes256-acrobat.pdf",
    "pdfjs-encrypted-nonascii-password.pdf",
    "pdfjs-encrypted-saslprep-r6.pdf",
    "sf-encrypted-libreoffice.pdf",
]


def available_sources() -> list[Path]:
    return [CORPUS / name for name in SOURCES if (CORPUS / name).exists()]


def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.choice([1, 4, 32, 256])):
        out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    return bytes(out)


def randomize_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    start = rng.randrange(len(out))
    for i in range(start, min(len(out), start + rng.randrange(16, 2048))):
        out[i] = rng.randrange(256)
    return bytes(out)


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(16, len(data))]


def duplicate_chunk(data: bytes, rng: random.Random) -> bytes:
    start = rng.randrange(len(data))
    chunk = data[start : start + rng.randrange(16, 8192)]
    at = rng.randrange(len(data))
    return data[:at] + chunk * rng.choice([1, 2, 50]) + data[at:]


def delete_chunk(data: bytes, rng: random.Random) -> bytes:
    start = rng.randrange(len(data))
    return data[:start] + data[start + rng.randrange(1, 4096) :]


def break_numbers(data: bytes, rng: random.Random) -> bytes:
    """Change /Length values, xref offsets and object numbers to wrong, huge or negative ones."""
    numbers = list(re.finditer(rb"(?<=[ /\[])\d{1,10}(?=[ \r\n\]>])", data))
    if not numbers:
        return flip_bytes(data, rng)
    out = data
    for match in sorted(
        rng.sample(numbers, min(len(numbers), rng.choice([1, 5, 40]))), key=lambda m: -m.start()
    ):
        value = rng.choice([b"0", b"-1", b"99999999", b"2147483648", str(rng.randrange(10**6)).encode()])
        out = out[: match.start()] + value + out[match.end() :]
    return out


MUTATORS = [flip_bytes, randomize_bytes, truncate, duplicate_chunk, delete_chunk, break_numbers]


def mutated_pdfs(folder: Path, count: int, seed: int = 8) -> Iterator[tuple[Path, str]]:
    """Write ``count`` mutated PDFs into ``folder``; yields (path, how it was made)."""
    rng = random.Random(seed)
    sources = available_sources()
    data = {s: s.read_bytes() for s in sources}
    for n in range(count):
        source = sources[n % len(sources)]
        mutator = MUTATORS[(n // len(sources)) % len(MUTATORS)]
        mutated = mutator(data[source], rng)
        if rng.random() < 0.2:  # a second mutation now and then
            mutated = rng.choice(MUTATORS)(mutated, rng)
        path = folder / f"m{n:03d}-{mutator.__name__}-{source.stem[:20]}.pdf"
        path.write_bytes(mutated)
        yield path, f"{mutator.__name__} of {source.name}"
