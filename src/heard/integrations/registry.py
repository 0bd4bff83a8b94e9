"""The helpdesks heard connects to, by name. Adding one is a module implementing
``base.Adapter`` and one line here; the webhook route and the worker look adapters up here."""

from __future__ import annotations

from heard.errors import RecordNotFound
from heard.integrations import freshdesk, zammad, zendesk
from heard.integrations.base import Adapter
from heard.integrations.chatwoot import CHATWOOT

ADAPTERS: dict[str, Adapter] = {
    "chatwoot": CHATWOOT,
    "zendesk": zendesk,  # a module is an adapter too: name, verify, events, note
    "zammad": zammad,
    "freshdesk": freshdesk,
}


def adapter_for(name: str) -> Adapter:
    """The adapter of a helpdesk; RecordNotFound naming the known ones otherwise."""
    try:
        return ADAPTERS[name]
    except KeyError:
        known = ", ".join(sorted(ADAPTERS))
        raise RecordNotFound(f"heard has no integration named {name[:40]!r}; known: {known}") from None
