"""A team's helpdesk connections: stored with their secrets sealed, read back as ``Connection``
values, shown with the secrets masked. The server's config routes and console page call these."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from heard.errors import MalformedInput, RecordNotFound
from heard.integrations.base import LEVELS, Connection
from heard.integrations.registry import adapter_for
from heard.integrations.vault import Vault
from heard.store import Database
from heard.store import integrations as stored
from heard.store.tables import IntegrationRow


@dataclass(frozen=True)
class Shown:
    """A connection as the API and console show it: secrets masked, the webhook path given."""

    helpdesk: str
    base_url: str
    account: str | None
    api_token: str | None  # masked: the last 4 characters only
    webhook_secret: str | None  # masked
    note_threshold: str
    notes_on_calm: bool
    frame_origins: list[str]
    webhook_path: str


def mask(secret: str | None) -> str | None:
    """Enough to recognise a secret, never enough to use it."""
    if not secret:
        return None
    return "****" + secret[-4:] if len(secret) >= 12 else "****"


def _connection(row: IntegrationRow, vault: Vault) -> Connection:
    return Connection(
        team_id=row.team_id, helpdesk=row.helpdesk, base_url=row.base_url, account=row.account,
        api_token=vault.open(row.api_token) if row.api_token else "",
        webhook_secret=vault.open(row.webhook_secret) if row.webhook_secret else None,
        note_threshold=row.note_threshold, notes_on_calm=row.notes_on_calm,
        frame_origins=tuple(row.frame_origins or ()), id=row.id, key=row.key,
    )  # fmt: skip


def shown(conn: Connection) -> Shown:
    return Shown(
        helpdesk=conn.helpdesk, base_url=conn.base_url, account=conn.account, api_token=mask(conn.api_token),
        webhook_secret=mask(conn.webhook_secret), note_threshold=conn.note_threshold,
        notes_on_calm=conn.notes_on_calm, frame_origins=list(conn.frame_origins),
        webhook_path=f"/v1/integrations/{conn.helpdesk}/events/{conn.key}",
    )  # fmt: skip


def load(db: Database, vault: Vault, *, team_id: int, helpdesk: str) -> Connection:
    adapter_for(helpdesk)
    with db.read() as session:
        row = stored.connection_of(session=session, team_id=team_id, helpdesk=helpdesk)
        if row is None:
            raise RecordNotFound(
                f"your team has no {helpdesk} connection yet; PUT /v1/integrations/{helpdesk}"
            )
        return _connection(row, vault)


def by_key(db: Database, vault: Vault, *, helpdesk: str, key: str) -> Connection:
    """The connection a webhook URL names (its key), secrets opened."""
    adapter_for(helpdesk)
    if not key or len(key) > 64:
        raise RecordNotFound(f"no {helpdesk} connection has this webhook URL")
    with db.read() as session:
        return _connection(stored.connection_by_key(session=session, helpdesk=helpdesk, key=key), vault)


def by_id(db: Database, vault: Vault, connection_id: int) -> Connection | None:
    with db.read() as session:
        row = stored.connection_by_id(session=session, connection_id=connection_id)
        return _connection(row, vault) if row is not None else None


def _split(url: str, what: str):
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 (raises on a port that is not a number)
    except ValueError:
        raise MalformedInput(
            f"{what} is not a URL (a bracketed address or the port cannot be read)"
        ) from None
    return parts


def check_base_url(url: str) -> str:
    parts = _split(url, "base_url")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise MalformedInput("base_url must be the helpdesk's address, like https://chat.example.com")
    if parts.username or parts.password or parts.query or parts.fragment:
        raise MalformedInput("base_url must be only the helpdesk's address: no user, password, query or #")
    return url.strip().rstrip("/")


# An origin a page may be framed by: scheme, host (a leading "*." allowed) and port, nothing else,
# so a stored origin can never add a directive to the panel's Content-Security-Policy header.
ORIGIN = re.compile(r"https?://(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*(:\d{1,5})?")


def check_origin(origin: str) -> str:
    parts = _split(origin, "a frame origin")
    found = f"{parts.scheme}://{parts.netloc}".lower()
    if parts.path not in ("", "/") or parts.query or parts.fragment or not ORIGIN.fullmatch(found):
        raise MalformedInput(
            f"frame origin {origin[:80]!r} must be a scheme and host only, like https://chat.example.com"
        )
    return found


def save(db: Database, vault: Vault, *, team_id: int, helpdesk: str, changes: dict) -> Connection:
    """Create or change the team's connection. ``changes``: base_url, account, api_token,
    webhook_secret ("" removes it), note_threshold, notes_on_calm, frame_origins; a secret
    left out is kept as stored."""
    adapter_for(helpdesk)
    fields: dict = {}
    if "base_url" in changes:
        fields["base_url"] = check_base_url(changes["base_url"])
    if "account" in changes:
        account = (changes["account"] or "").strip() or None
        if account is not None and (len(account) > 100 or any(c in account for c in "/?#% ")):
            raise MalformedInput(
                "account must be the helpdesk's account id or subdomain (no /, ?, # or spaces)"
            )
        fields["account"] = account
    if changes.get("api_token") is not None:
        token = changes["api_token"].strip()
        if not token:
            raise MalformedInput(
                "api_token is empty; paste the access token from the helpdesk's profile page"
            )
        fields["api_token"] = vault.seal(token)
    if "webhook_secret" in changes and changes["webhook_secret"] is not None:
        secret = changes["webhook_secret"].strip()
        fields["webhook_secret"] = vault.seal(secret) if secret else None
    if "note_threshold" in changes:
        if changes["note_threshold"] not in LEVELS:
            raise MalformedInput(f"note_threshold must be one of {', '.join(LEVELS)}")
        fields["note_threshold"] = changes["note_threshold"]
    if "notes_on_calm" in changes:
        fields["notes_on_calm"] = bool(changes["notes_on_calm"])
    if "frame_origins" in changes:
        fields["frame_origins"] = list(dict.fromkeys(check_origin(o) for o in changes["frame_origins"] or []))
    with db.write() as session:
        row = stored.connection_of(session=session, team_id=team_id, helpdesk=helpdesk)
        if row is None and "base_url" not in fields:
            raise MalformedInput(f"a new {helpdesk} connection needs base_url (and api_token to send notes)")
        row = stored.put_connection(session=session, team_id=team_id, helpdesk=helpdesk, **fields)
        return _connection(row, vault)
