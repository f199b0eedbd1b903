"""``reviewer shot``: the main window with a document, rendered to a PNG (offscreen)."""

from __future__ import annotations

import os
import re
import sys

import click

from reviewer.cli.context import AppContext, examples, main_group, pass_app
from reviewer.core.errors import ReviewerError


def parse_zoom(text: str) -> float | str:
    """``1.5``, ``150%``, ``fit-width`` or ``fit-page``."""
    value = text.strip().lower()
    if value in ("fit-width", "width"):
        return "width"
    if value in ("fit-page", "page"):
        return "page"
    try:
        zoom = float(value[:-1]) / 100 if value.endswith("%") else float(value)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a zoom (try 1.5, 150% or fit-width)") from None
    if not 0.1 <= zoom <= 8:
        raise click.BadParameter("zoom must be between 0.1 and 8 (10% to 800%)")
    return zoom


def parse_size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d+)\s*[xX×]\s*(\d+)\s*", text)
    if not match:
        raise click.BadParameter(f"{text!r} is not a size like 1280x860")
    w, h = int(match.group(1)), int(match.group(2))
    if not (200 <= w <= 8000 and 200 <= h <= 8000):
        raise click.BadParameter("width and height must be between 200 and 8000 pixels")
    return w, h


@main_group.command(
    "shot",
    epilog=examples(
        "reviewer shot treaty.pdf -o docs/screenshot.png",
        "reviewer shot treaty.pdf -o page9.png --page 9 --zoom 150% --size 1400x900",
        "reviewer shot report.pdf -o fit.png --zoom fit-width",
    ),
)
@click.argument("pdf", type=click.Path(dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="PNG file to write.")
@click.option(
    "--page",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="1-based page to show at the top.",
)
@click.option(
    "--zoom",
    "zoom_text",
    default="1",
    show_default=True,
    help="Zoom factor (1.5 or 150%), fit-width or fit-page.",
)
@click.option("--size", "size_text", default="1280x860", show_default=True, help="Window size WxH in pixels.")
@pass_app
def shot(app: AppContext, pdf: str, output: str, page: int, zoom_text: str, size_text: str) -> None:
    """Render the main window showing PDF at a page to a PNG, then exit (no display needed)."""
    zoom = parse_zoom(zoom_text)
    width, height = parse_size(size_text)
    folder = os.path.dirname(os.path.abspath(output))
    if not os.path.isdir(folder):
        raise ReviewerError("the folder for the PNG does not exist", path=folder)
    document = app.open_pdf(pdf)
    if page > document.page_count:
        raise ReviewerError(f"has {document.page_count} pages, no page {page}", path=pdf)
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")
    ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from reviewer.ui.screenshot import take_screenshot

    placed = take_screenshot(document, app.password, output, page - 1, zoom, (width, height))
    x, y, w, h = placed
    click.echo(f"wrote {output}: page {page} of {document.page_count} at {x},{y} size {w}x{h}")
    document.close()
