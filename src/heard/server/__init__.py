"""The FastAPI service and web console (DESIGN.md layer 7)."""
