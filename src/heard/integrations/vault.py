"""Secrets at rest: helpdesk API tokens and webhook secrets are stored as Fernet tokens
(AES-128-CBC with HMAC-SHA256, from ``cryptography``), never in the clear.

The key: ``HEARD_SECRETS_KEY`` (a Fernet key, or any passphrase of 16+ characters, stretched
with SHA-256), else a random key kept in ``<data_dir>/secrets-key`` (created once, owner-only;
``make run`` and the first stored secret make it). Several machines serving one team must share
the setting. Losing the key loses the stored tokens, not the rest: heard says to enter them again.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import functools
import hashlib
import os
import time
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from heard.errors import Conflict, MalformedInput

KEY_FILE = "secrets-key"


class Vault:
    """Seals and opens secrets with one key. ``repr`` never shows the key."""

    def __init__(self, key: bytes) -> None:
        self._fernet = Fernet(key)

    def __repr__(self) -> str:
        return "Vault(key=***)"

    def seal(self, secret: str) -> bytes:
        return self._fernet.encrypt(secret.encode("utf-8"))

    def open(self, sealed: bytes) -> str:
        try:
            return self._fernet.decrypt(bytes(sealed)).decode("utf-8")
        except InvalidToken:
            raise Conflict(
                "a stored helpdesk secret cannot be opened with this server's key (HEARD_SECRETS_KEY or "
                "<data_dir>/secrets-key changed); set the key it was stored with, or enter the API token "
                "and webhook secret again"
            ) from None


def key_from(text: str) -> bytes:
    """A Fernet key from the setting: a Fernet key as is, a passphrase stretched with SHA-256."""
    text = text.strip()
    with contextlib.suppress(binascii.Error, ValueError):
        if len(base64.urlsafe_b64decode(text.encode("ascii"))) == 32:
            return text.encode("ascii")
    if len(text) < 16:
        raise MalformedInput(
            "HEARD_SECRETS_KEY is too short: use a Fernet key or a passphrase of 16+ characters"
        )
    return base64.urlsafe_b64encode(hashlib.sha256(b"heard-secrets:" + text.encode("utf-8")).digest())


def vault_for(secrets_key: str | None, data_dir: Path) -> Vault:
    """The vault of the setting, or of the key file in the data folder (made on first use)."""
    return Vault(key_from(secrets_key) if secrets_key else kept_key(data_dir.resolve()))


@functools.cache
def kept_key(data_dir: Path) -> bytes:
    path = data_dir / KEY_FILE
    data_dir.mkdir(parents=True, exist_ok=True)
    # O_EXCL: when several processes start at once, one writes the key and all read that one.
    with contextlib.suppress(FileExistsError):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(Fernet.generate_key())
    for _ in range(50):  # another process may be between creating and writing it
        if key := path.read_bytes().strip():
            return key
        time.sleep(0.02)
    raise RuntimeError(f"{path} is empty; delete it and start again")
