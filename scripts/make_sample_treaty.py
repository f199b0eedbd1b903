"""Regenerate resources/sample-treaty.pdf from the text in reviewer/core/sample_treaty.py."""

from pathlib import Path

from reviewer.core.sample_treaty import SAMPLE_TREATY, build_treaty_pdf

if __name__ == "__main__":
    target = Path(__file__).resolve().parents[1] / "resources" / "sample-treaty.pdf"
    build_treaty_pdf(SAMPLE_TREATY, target)
    print(f"wrote {target}")
