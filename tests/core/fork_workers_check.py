"""Run by test_text_workers in a fresh interpreter (no other thread, so the workers are
forked): the flow of the PDF given is read by forked workers, then serially, and compared;
then with workers that die at once. Prints one JSON line."""

from __future__ import annotations

import json
import os
import sys

from reviewer.core import text_workers
from reviewer.core.pdf import PdfDocument, open_pdf


def flow_and_serial_reads(path: str) -> tuple[object, list[int]]:
    serial: list[int] = []
    original = PdfDocument.page_text

    def counted(self: PdfDocument, index: int) -> object:
        serial.append(index)
        return original(self, index)

    PdfDocument.page_text = counted  # type: ignore[method-assign]
    try:
        with open_pdf(path) as pdf:
            return pdf.flow(), serial
    finally:
        PdfDocument.page_text = original  # type: ignore[method-assign]


def lines(flow: object) -> list[object]:
    return [(p.number, [(line.chars, list(line.boxes)) for line in p.lines]) for p in flow.pages]  # type: ignore[attr-defined]


def children() -> set[str]:
    return set(open(f"/proc/{os.getpid()}/task/{os.getpid()}/children").read().split())


def main() -> None:
    path = sys.argv[1]
    could_fork = text_workers._can_fork()
    os.environ[text_workers.WORKERS_VARIABLE] = "0"
    serial_flow, _ = flow_and_serial_reads(path)
    os.environ[text_workers.WORKERS_VARIABLE] = "2"
    before = children()
    forked_flow, serial_reads = flow_and_serial_reads(path)
    left = sorted(children() - before)
    text_workers._serve_runs = lambda task, out, open_document: os._exit(1)  # type: ignore[assignment]
    fallback_flow, fallback_reads = flow_and_serial_reads(path)
    print(
        json.dumps(
            {
                "could_fork": could_fork,
                "same": forked_flow.text == serial_flow.text and lines(forked_flow) == lines(serial_flow),  # type: ignore[attr-defined]
                "serial_reads": len(serial_reads),
                "left": left,
                "fallback_same": fallback_flow.text == serial_flow.text,  # type: ignore[attr-defined]
                "fallback_reads": len(fallback_reads),
            }
        )
    )


if __name__ == "__main__":
    main()
