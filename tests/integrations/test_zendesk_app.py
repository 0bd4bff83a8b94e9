"""``heard integrations zendesk package``: a zip Zendesk accepts, with heard's panel URL in it."""

from __future__ import annotations

import json
import re
import struct
import zipfile

import pytest
from typer.testing import CliRunner

from heard.cli import app

PANEL = "https://heard.acme.example/integrations/zendesk/panel/12.abcdefghijklmnopqrstuvwxyz012345"


def _package(tmp_path, url: str = PANEL):
    out = tmp_path / "heard-zendesk.zip"
    result = CliRunner().invoke(
        app, ["integrations", "zendesk", "package", "--panel-url", url, "--out", str(out)]
    )
    return result, out


def test_zendesk_package_has_a_valid_manifest_and_every_file_it_names(tmp_path):
    result, out = _package(tmp_path)
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as z:
        names = set(z.namelist())
        manifest = json.loads(z.read("manifest.json"))
        for key in ("name", "author", "defaultLocale", "location", "version", "frameworkVersion"):
            assert key in manifest, key
        assert manifest["frameworkVersion"] == "2.0" and manifest["private"] is True
        assert manifest["author"]["name"] and "@" in manifest["author"]["email"]
        sidebar = manifest["location"]["support"]["ticket_sidebar"]["url"]
        assert sidebar in names
        assert f"translations/{manifest['defaultLocale']}.json" in names
        assert json.loads(z.read("translations/en.json"))["app"]["name"] == "heard"
        for logo, size in (("assets/logo.png", 320), ("assets/logo-small.png", 128)):
            png = z.read(logo)
            assert png[:8] == b"\x89PNG\r\n\x1a\n"
            assert struct.unpack(">II", png[16:24]) == (size, size)
        page = z.read(sidebar).decode()
        scripts = re.findall(r'<script src="([^"]+)"', page)
        assert "https://static.zdassets.com/zendesk_app_framework_sdk/2.0/zaf_sdk.min.js" in scripts
        local = [s for s in scripts if not s.startswith("https://")]
        assert local and all(f"assets/{s}" in names for s in local)
        assert f'src="{PANEL}"' in page and "{{" not in page
        bridge = z.read("assets/bridge.js").decode()
        for call in ("ZAFClient.init()", 'client.get("ticket")', 'client.invoke("comment.appendText"'):
            assert call in bridge


@pytest.mark.parametrize(
    "url",
    [
        "http://heard.acme.example/integrations/zendesk/panel/12.abcdefghijklmnop",  # not https
        "https://heard.acme.example/console",  # not a panel URL
        'https://heard.acme.example/integrations/zendesk/panel/12.abc"><script>x</script>',
        "https://heard.acme.example/integrations/chatwoot/panel/12.abcdefghijklmnop",
    ],
)
def test_zendesk_package_refuses_a_url_that_is_not_heards_zendesk_panel(tmp_path, url):
    result, out = _package(tmp_path, url)
    assert result.exit_code == 2 and not out.exists()
    assert "panel URL" in result.output
