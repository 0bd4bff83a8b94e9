"""One router per resource, each mounted under /v1 by ``create_app``."""
