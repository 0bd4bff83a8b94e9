"""Learning from incidents: root causes, themes, trends (DESIGN.md layer 6)."""
