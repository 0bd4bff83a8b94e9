"""Learning from incidents: root causes, themes, trends (DESIGN.md layer 6)."""

from heard.insights.themes import Theme, ThemeSet, themes

__all__ = ["Theme", "ThemeSet", "themes"]
