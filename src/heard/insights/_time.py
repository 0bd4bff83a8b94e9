"""Times as the insights read them: timezone-aware UTC datetimes from datetimes, ISO text or epoch seconds."""

from __future__ import annotations

from datetime import UTC, datetime

Moment = datetime | str | int | float


def as_utc(value: Moment, *, what: str = "time") -> datetime:
    """``value`` as an aware UTC datetime; naive datetimes and ISO text without an offset are taken as UTC.

    >>> as_utc("2026-03-01T10:00:05Z").isoformat()
    '2026-03-01T10:00:05+00:00'
    >>> as_utc(1e400)
    Traceback (most recent call last):
    ...
    ValueError: time inf is out of range as epoch seconds; write a time like 2026-03-01T10:00:05Z

    Raises:
        ValueError: the value is not a time (the message names ``what``).
    """
    if isinstance(value, bool):
        raise ValueError(f"{what} must be a time, got {value!r}")
    if isinstance(value, int | float):
        try:  # 1e20, 1e400 (inf), NaN: not a time any clock shows
            return datetime.fromtimestamp(value, UTC)
        except (OverflowError, ValueError, OSError):
            raise ValueError(
                f"{what} {value!r} is out of range as epoch seconds; write a time like 2026-03-01T10:00:05Z"
            ) from None
    if isinstance(value, str):
        text = value.strip()
        try:
            value = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)
        except ValueError:
            raise ValueError(
                f"{what} {value!r} is not an ISO time; write it like 2026-03-01T10:00:05Z"
            ) from None
    if not isinstance(value, datetime):
        raise ValueError(f"{what} must be a datetime or ISO text, got {type(value).__name__}")
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:  # 0001-01-01T00:00:00+01:00 is in year 0 in UTC, which datetime cannot hold
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError(
            f"{what} {value.isoformat()} is out of range in UTC; write a time in years 1 to 9999"
        ) from None
