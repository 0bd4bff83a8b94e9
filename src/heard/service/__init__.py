"""The use cases every way in calls (DESIGN.md layer 7): plain functions over a database and
plain values. The API routes, the console, the CLI and helpdesk integrations are adapters over
these: they parse, make one call, and render."""

from heard.service.conversations import (
    Listed,
    Opened,
    Resolved,
    lines,
    list_conversations,
    next_action,
    offers,
    open_conversation,
    open_in,
    resolve_conversation,
    review_draft,
    scorecard,
    start_conversation,
)
from heard.service.follow_ups import adjust_follow_up
from heard.service.imports import ImportSummary, import_archive
from heard.service.incidents import edit_root_cause
from heard.service.messages import Ingested, catalogue_of, ingest_message, visible
from heard.service.people import AgentRecord, by_agent

__all__ = [
    "adjust_follow_up",
    "AgentRecord",
    "by_agent",
    "edit_root_cause",
    "ImportSummary",
    "import_archive",
    "Ingested",
    "Listed",
    "Opened",
    "Resolved",
    "catalogue_of",
    "ingest_message",
    "lines",
    "list_conversations",
    "next_action",
    "offers",
    "open_conversation",
    "open_in",
    "resolve_conversation",
    "review_draft",
    "scorecard",
    "start_conversation",
    "visible",
]
