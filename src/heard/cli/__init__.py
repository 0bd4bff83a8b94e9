"""The ``heard`` command line (DESIGN.md layer 7): thin commands over the library."""

from heard.cli import helpdesks as _helpdesks  # noqa: F401 (registers heard integrations)
from heard.cli import insights as _insights  # noqa: F401 (registers heard insights, heard archive)
from heard.cli.app import app, main

__all__ = ["app", "main"]
