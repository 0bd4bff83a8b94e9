"""Payloads shaped as each helpdesk's documentation shows (written for these tests), and a
connection to go with them."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from heard.integrations.base import Connection

PAYLOADS = Path(__file__).parent / "payloads"


def payload(name: str) -> dict:
    return copy.deepcopy(json.loads((PAYLOADS / f"{name}.json").read_text("utf-8")))


def connection(helpdesk: str, **changes) -> Connection:
    defaults = {
        "zendesk": {"base_url": "https://acme.zendesk.com", "account": "acme",
                    "api_token": "ops@acme.example/token:zd-secret-token", "webhook_secret": "zd-signing"},
        "zammad": {"base_url": "https://zammad.acme.example", "account": None,
                   "api_token": "zm-access-token", "webhook_secret": "zm-signing"},
        "freshdesk": {"base_url": "https://acme.freshdesk.com", "account": "acme",
                      "api_token": "fd-api-key", "webhook_secret": "fd-shared"},
    }[helpdesk]  # fmt: skip
    return Connection(team_id=1, helpdesk=helpdesk, **{**defaults, **changes})
