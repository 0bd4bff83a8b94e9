"""The Zendesk app for the ticket sidebar, packaged as the zip an admin uploads (Admin Center >
Apps and integrations > Zendesk Support apps > Upload private app).

The app is a small bridge (``files/assets/bridge.js``): Zendesk serves it in the sidebar, it frames
heard's panel for the ticket (``/integrations/zendesk/panel/<panel key>``) and passes the ticket's
id to it; the panel's "Insert" comes back through it into the agent's reply. ``package`` writes
the panel's URL into ``assets/iframe.html``; nothing else changes between teams.
"""

from __future__ import annotations

import html
import importlib.resources
import json
import re
import struct
import zipfile
import zlib
from pathlib import Path
from urllib.parse import urlsplit

from heard.errors import MalformedInput

FILES = ("manifest.json", "translations/en.json", "assets/iframe.html", "assets/bridge.js")
LOGOS = {"assets/logo.png": 320, "assets/logo-small.png": 128}  # the sizes Zendesk asks for
PLACEHOLDER = "{{HEARD_PANEL_URL}}"
_PANEL_PATH = re.compile(r"/integrations/zendesk/panel/[A-Za-z0-9_.-]{8,120}")
_LOCAL = {"127.0.0.1", "localhost", "::1"}


def check_panel_url(url: str) -> str:
    """The panel URL heard gave for the team's Zendesk connection, checked."""
    parts = urlsplit(url.strip())
    local = parts.hostname in _LOCAL
    if parts.scheme != "https" and not (parts.scheme == "http" and local):
        raise MalformedInput("the panel URL must start with https:// (Zendesk frames only secure pages)")
    if not parts.hostname or not _PANEL_PATH.fullmatch(parts.path) or parts.query or parts.fragment:
        raise MalformedInput(
            "the panel URL must be the one GET /v1/integrations/zendesk/panel answers, like "
            "https://heard.example.com/integrations/zendesk/panel/<panel key>"
        )
    return url.strip()


def _file(name: str) -> bytes:
    return (importlib.resources.files("heard.integrations.zendesk_app") / "files" / name).read_bytes()


def _png(size: int) -> bytes:
    """A square logo in heard's colour (a plain PNG: no image library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + bytes((0x2F, 0x5D, 0x8C)) * size
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * size, 9))
        + chunk(b"IEND", b"")
    )


def package(panel_url: str, out: Path) -> Path:
    """Write the app's zip to ``out`` with the panel URL filled in; returns ``out``."""
    url = check_panel_url(panel_url)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name in FILES:
            data = _file(name)
            if name == "assets/iframe.html":
                data = data.replace(PLACEHOLDER.encode(), html.escape(url, quote=True).encode())
            z.writestr(name, data)
        for name, size in LOGOS.items():
            z.writestr(name, _png(size))
    return out


def manifest() -> dict:
    """The app's manifest (as packaged)."""
    return json.loads(_file("manifest.json"))
