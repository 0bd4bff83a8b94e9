"""Every error heard raises, with a stable code.

    HeardError                      base class; ``code`` is stable across releases
    ├── EmptyText (ValueError)      H101: the text is empty or only whitespace
    ├── NotText (TypeError)         H102: the input is not a string
    ├── MalformedInput (ValueError) H103: a line or field of an input file cannot be read
    ├── InvalidTranscript (ValueError) H104: a conversation or transcript is malformed
    ├── UnknownFormat (ValueError)  H105: an export's format is not one heard reads
    ├── InvalidPolicy (ValueError)  H110: a policy catalogue does not validate
    ├── ScenarioError (ValueError)  H113: a role-play scenario does not validate
    ├── TooLarge (ValueError)       H111: a request body or message is over its size limit
    ├── UnknownEndpoint (LookupError) H112: no such path or method in the API
    ├── RecordNotFound (LookupError) H301: no such object for this team
    ├── NotAuthenticated (PermissionError) H302: no API key, or an unknown or revoked one
    ├── NotAllowed (PermissionError) H303: the key's role may not do this
    ├── Conflict (ValueError)       H304: the object is not in a state that allows this
    ├── RateLimited (PermissionError) H309: the API key sent too many requests; retry later
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


class InvalidTranscript(HeardError, ValueError):
    """A conversation or transcript cannot be read: the message names the line or field."""

    code = "H104"

    def __init__(self, message: str, *, line: int | None = None, source: str | None = None):
        self.line = line
        self.source = source
        where = f"{source}: " if source else ""
        where += f"line {line}: " if line is not None else ""
        super().__init__(f"{where}{message}")


class UnknownFormat(HeardError, ValueError):
    """An archive or export is in a format heard does not read (or its format cannot be told)."""

    code = "H105"


class InvalidPolicy(HeardError, ValueError):
    """A policy catalogue does not validate; the message names the field and the fix."""

    code = "H110"


class ScenarioError(HeardError, ValueError):
    """A role-play scenario does not validate; the message names the field and what to change."""

    code = "H113"


class TooLarge(HeardError, ValueError):
    """A request body or a message is over its size limit."""

    code = "H111"


class UnknownEndpoint(HeardError, LookupError):
    """No such path, or not with this method, in the API (see /openapi.json)."""

    code = "H112"


class RecordNotFound(HeardError, LookupError):
    """No such object for this team (another team's objects are not found either)."""

    code = "H301"


class NotAuthenticated(HeardError, PermissionError):
    """The request carries no API key, or one that is unknown or revoked."""

    code = "H302"


class NotAllowed(HeardError, PermissionError):
    """The API key's role may not do this (for example an agent changing the policy catalogue)."""

    code = "H303"


class Conflict(HeardError, ValueError):
    """The object is not in a state that allows this (for example completing a follow-up twice)."""

    code = "H304"


class RateLimited(HeardError, PermissionError):
    """The API key made more requests than its rate limit allows; ``retry_after`` says when to retry."""

    code = "H309"

    def __init__(self, message: str, *, retry_after: int = 1):
        self.retry_after = retry_after
        super().__init__(message)


class ModelMissing(HeardError, RuntimeError):
    """A model file that ships in the package is missing; the install is incomplete."""

    code = "H201"
