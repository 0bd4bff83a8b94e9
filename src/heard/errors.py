"""Every error heard raises, with a stable code.

    HeardError                      base class; ``code`` is stable across releases
    ├── EmptyText (ValueError)      H101: the text is empty or only whitespace
    ├── NotText (TypeError)         H102: the input is not a string
    ├── MalformedInput (ValueError) H103: a line or field of an input file cannot be read
    ├── InvalidPolicy (ValueError)  H104: a policy catalogue does not validate
    └── ModelMissing (RuntimeError) H201: a shipped model file is missing from the install

Messages name the bad value and say what to change. The CLI prints ``[code] message``;
the API returns ``{"code": ..., "detail": ...}``.
"""

from __future__ import annotations


class HeardError(Exception):
    """Base class of all heard errors."""

    code = "H100"

    def __init__(self, message: str):
        super().__init__(f"[{self.code}] {message}")
        self.detail = message


class EmptyText(HeardError, ValueError):
    """The text to analyse is empty or only whitespace."""

    code = "H101"


class NotText(HeardError, TypeError):
    """The input to analyse is not a string."""

    code = "H102"


class MalformedInput(HeardError, ValueError):
    """A line or field of an input file cannot be read."""

    code = "H103"

    def __init__(self, message: str, *, line: int | None = None):
        self.line = line
        super().__init__(f"line {line}: {message}" if line is not None else message)


class InvalidPolicy(HeardError, ValueError):
    """A policy catalogue does not validate; the message names the field and the fix."""

    code = "H104"


class ModelMissing(HeardError, RuntimeError):
    """A model file that ships in the package is missing; the install is incomplete."""

    code = "H201"
