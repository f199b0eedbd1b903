"""The exchange's name for the shared collector pause (see ``reviewer.core.gcpause``)."""

from __future__ import annotations

from reviewer.core.gcpause import collector_paused

__all__ = ["collector_paused"]
