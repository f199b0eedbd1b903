"""Shipped files (taxonomy, sample treaty, schema), found the same way in a checkout and a wheel."""

from __future__ import annotations

from importlib import resources as importlib_resources
from pathlib import Path


def resource_path(name: str) -> Path:
    """The path of a file in ``resources/`` (installed as the package ``reviewer.resources``)."""
    try:
        installed = importlib_resources.files("reviewer.resources") / name
        if installed.is_file():
            return Path(str(installed))
    except ModuleNotFoundError:
        pass
    checkout = Path(__file__).resolve().parents[2] / "resources" / name
    if checkout.is_file():
        return checkout
    raise FileNotFoundError(f"resource {name!r} is missing from this installation")


def sample_treaty_path() -> Path:
    return resource_path("sample-treaty.pdf")
