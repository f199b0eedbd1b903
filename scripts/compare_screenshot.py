"""Screenshot for docs/: compare mode, two treaties side by side with the Concordance panel and
two links. Run under Xvfb:

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python scripts/compare_screenshot.py docs/

Typesets the two test treaties (tests/compare/treaty_pair.py: a regional convention and a UN
one) into a throwaway folder with a throwaway database and settings.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from annotating_screenshots import settle, wait  # noqa: E402

LINKS = [
    (
        "principle of proportionality",
        "protection of human rights",
        "safeguard-missing",
        "B drops independent supervision",
    ),
    ("period of up to ninety days", "for up to ninety days", "equivalent", "Same ceiling"),
]


def main(out_dir: str) -> None:
    work = Path(tempfile.mkdtemp())
    os.environ["REVIEWER_CONFIG_DIR"] = str(work / "config")
    os.environ["REVIEWER_AUTHOR"] = "Ada Tester"
    spec = importlib.util.spec_from_file_location(
        "treaty_pair", ROOT / "tests" / "compare" / "treaty_pair.py"
    )
    assert spec and spec.loader
    treaty_pair = importlib.util.module_from_spec(spec)
    sys.modules["treaty_pair"] = treaty_pair  # its dataclasses look their module up
    spec.loader.exec_module(treaty_pair)
    a = treaty_pair.regional_pdf(treaty_pair.A, work / "convention-on-offences-against-computer-systems.pdf")
    b = treaty_pair.un_pdf(treaty_pair.B, work / "un-convention-against-information-system-crime.pdf")

    from PySide6.QtWidgets import QApplication

    from reviewer.core.review_compare import link_quotes, set_pair
    from reviewer.ui.app import create_main_window
    from reviewer.ui.compare_window import open_compare

    window = create_main_window(str(a), db_path=work / "review.sqlite3", remember=False)
    app = QApplication.instance()
    window.show()
    wait(app, lambda: window.view.text_flow() is not None)
    review = window.annotating.review
    compare = open_compare(window, review, str(a), str(b))
    compare.resize(1580, 960)
    wait(app, lambda: compare.prepared is not None)
    prepared = compare.prepared
    for quote, to_quote, relation, comment in LINKS:
        link_quotes(
            review, prepared.pdf_a, quote, prepared.pdf_b, to_quote, relation=relation, comment=comment
        )
    set_pair(review, prepared.pdf_a, "Art. 15", prepared.pdf_b, "Art. 17", "safeguard-missing")
    compare.refresh()
    wait(app, lambda: compare.view_a.text_flow() is not None and compare.view_b.text_flow() is not None)
    row = next(i for i, p in enumerate(compare.panel.pairs) if (p.a, p.b) == ("Art. 15", "Art. 17"))
    compare.panel.table.selectRow(row)
    settle(app)
    wait(app, lambda: compare.view_a.is_idle() and compare.view_b.is_idle())
    settle(app)
    out = Path(out_dir) / "compare-mode.png"
    compare.grab().save(str(out))
    print(out)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs")
    os._exit(0)
