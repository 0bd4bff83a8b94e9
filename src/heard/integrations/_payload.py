"""Reading a helpdesk's webhook body and headers: the pieces the Zendesk, Zammad and Freshdesk
adapters share (ids, times, HTML bodies, headers, hosts). Every refusal is a ``MalformedInput``
that names the field and says what to send instead; no value from the body is echoed."""

from __future__ import annotations

import hmac
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from html.parser import HTMLParser
from urllib.parse import urlsplit

from heard.errors import MalformedInput, NotAuthenticated

MAX_ID_CHARS = 64
_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")


def section(payload: dict, name: str, *, where: str = "the body") -> dict:
    """``payload[name]`` when it is a JSON object."""
    if not isinstance(payload, dict):
        raise MalformedInput(f"{where} must be a JSON object; send the JSON body the setup guide shows")
    value = payload.get(name)
    if not isinstance(value, dict):
        raise MalformedInput(f"{where} has no '{name}' object; send the JSON body the setup guide shows")
    return value


def ident(value: object, where: str, *, required: bool = True) -> str | None:
    """An id as text: digits or a short token (a helpdesk's ticket, comment or user id)."""
    if value is None or value == "":
        if required:
            raise MalformedInput(f"{where} is missing; send the helpdesk's id there")
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise MalformedInput(f"{where} must be an id (a number or a short string)")
    text = str(value).strip()
    if not _ID.fullmatch(text):
        raise MalformedInput(
            f"{where} is not an id: use at most {MAX_ID_CHARS} letters, digits, '_', '.', ':' or '-'"
        )
    return text


def text_of(value: object, where: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise MalformedInput(f"{where} must be a string")
    return value


def flag(value: object, where: str, *, default: bool) -> bool:
    """A boolean sent as JSON true/false or as the text a placeholder renders ("true", "false")."""
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise MalformedInput(f"{where} must be true or false")


def instant(value: object, where: str) -> datetime | None:
    """An ISO 8601 time (a trailing Z is UTC; a time without a zone is taken as UTC), or None."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > 40:
        raise MalformedInput(f"{where} must be an ISO 8601 time such as 2026-03-01T10:00:05Z")
    try:
        at = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise MalformedInput(f"{where} must be an ISO 8601 time such as 2026-03-01T10:00:05Z") from None
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def lowered(headers: Mapping[str, str]) -> dict[str, str]:
    return {str(k).lower(): str(v) for k, v in headers.items()}


def same_secret(sent: str, expected: str) -> bool:
    return hmac.compare_digest(sent.encode("utf-8", "replace"), expected.encode("utf-8", "replace"))


def require_header(headers: dict[str, str], name: str, helpdesk: str) -> str:
    value = headers.get(name.lower(), "").strip()
    if not value:
        raise NotAuthenticated(
            f"the request has no {name} header; set the signing secret in {helpdesk} as the setup guide shows"
        )
    return value


def host_of(url: str | None) -> str:
    """The host of a URL, or of a bare 'host/path' as helpdesk placeholders render it."""
    if not url:
        return ""
    text = url.strip()
    if "//" not in text:
        text = "//" + text
    return (urlsplit(text).hostname or "").lower()


class _Text(HTMLParser):
    """Visible text of an HTML body: blocks and <br> become line breaks, quoted earlier mail
    (<blockquote>) and scripts are left out."""

    _BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}
    _SKIP = {"script", "style", "blockquote", "head"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag in self._SKIP:
            self.skipping += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag) -> None:
        if tag in self._SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data) -> None:
        if not self.skipping:
            self.parts.append(data)


def plain_text(html: str) -> str:
    """The text an agent sees in an HTML message body, whitespace tidied."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


_OWN_NOTE = re.compile(r"\(heard note \d+\)\s*$")


def heards_own(text: str) -> bool:
    """A note heard posted itself (it ends with its marker): never read back as a message, even
    when the helpdesk's webhook does not say the note was private."""
    return bool(_OWN_NOTE.search(text))


def looks_like_html(text: str) -> bool:
    return bool(re.search(r"<(p|div|br|span|b|i|a|ul|ol|li|blockquote)\b[^>]*>", text, re.IGNORECASE))
