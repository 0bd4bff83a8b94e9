"""Secrets at rest: sealed with the setting's key or the data folder's key file, never readable
with another key, and a clear error (not a crash) when the key changed."""

from __future__ import annotations

import stat

import pytest
from cryptography.fernet import Fernet

from heard.errors import Conflict, MalformedInput
from heard.integrations.vault import KEY_FILE, kept_key, vault_for


def test_a_key_file_is_made_once_owner_only(tmp_path) -> None:
    sealed = vault_for(None, tmp_path).seal("agent-token")
    assert b"agent-token" not in sealed
    assert stat.S_IMODE((tmp_path / KEY_FILE).stat().st_mode) == 0o600
    kept_key.cache_clear()
    assert vault_for(None, tmp_path).open(sealed) == "agent-token"  # read back from the same file


def test_the_setting_takes_a_fernet_key_or_a_passphrase(tmp_path) -> None:
    key = Fernet.generate_key().decode()
    assert vault_for(key, tmp_path).open(vault_for(key, tmp_path).seal("x")) == "x"
    phrase = "correct horse battery staple"
    assert vault_for(phrase, tmp_path).open(vault_for(phrase, tmp_path).seal("y")) == "y"
    with pytest.raises(MalformedInput):
        vault_for("short", tmp_path)
    assert "correct" not in repr(vault_for(phrase, tmp_path))


def test_another_key_cannot_open_and_says_what_to_do(tmp_path) -> None:
    sealed = vault_for("the first passphrase here", tmp_path).seal("agent-token")
    with pytest.raises(Conflict, match="enter the API token"):
        vault_for("another passphrase entirely", tmp_path).open(sealed)
