"""Peak memory of the core with a document and its review loaded (no Qt).

Usage: memory_core.py PDF DB. Opens the PDF, builds its text flow, loads every annotation of the
document through ``Review.annotations`` and prints the process's peak RSS (MB) as JSON.
"""

from __future__ import annotations

import json
import sys

from bench.probes.proc_memory import vm_hwm_mb
from reviewer.core.pdf import open_pdf
from reviewer.core.review import Review
from reviewer.core.settings import Identity


def main() -> None:
    pdf = open_pdf(sys.argv[1])
    review = Review.open(sys.argv[2], Identity("00000000-0000-4000-8000-00000000be0c", "Bench Reviewer"))
    document_id = review.register(pdf)["id"]
    pdf.flow()
    annotations = review.annotations(document_id)
    peak = vm_hwm_mb()
    print(json.dumps({"peak_rss_mb": peak, "annotations": len(annotations)}))


if __name__ == "__main__":
    main()
