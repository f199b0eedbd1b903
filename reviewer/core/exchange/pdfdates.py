"""PDF date strings (``D:YYYYMMDDHHmmSS+HH'mm'``) to and from Reviewer's UTC timestamps."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

from reviewer.core.timeutil import format_utc, parse_utc

PDF_DATE = re.compile(
    r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?"
    r"(?:\s*([Zz+\-])\s*(?:(\d{2})'?\s*(?:(\d{2})'?)?)?)?"
)


def parse_pdf_date(text: str | None) -> str | None:
    """Lenient: missing fields, ``Z00'00'``, no time zone (taken as UTC). ``None`` if unusable."""
    if not text:
        return None
    match = PDF_DATE.match(text.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, sign, tz_h, tz_m = match.groups()
    try:
        offset = timedelta(0)
        if sign in ("+", "-") and tz_h:
            offset = timedelta(hours=int(tz_h), minutes=int(tz_m or 0))
            if sign == "-":
                offset = -offset
        moment = datetime(
            int(year),
            int(month or 1),
            int(day or 1),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            tzinfo=timezone(offset),
        )
    except ValueError:
        return None
    return format_utc(moment)


def format_pdf_date(iso: str) -> str:
    """A UTC timestamp as a PDF date with an explicit offset (milliseconds are dropped)."""
    moment = parse_utc(iso).astimezone(UTC)
    return moment.strftime("D:%Y%m%d%H%M%S+00'00'")
