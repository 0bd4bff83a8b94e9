"""The playbook steps as data, the conversation state machine and scorecards (DESIGN.md layer 4)."""

from heard.playbook.conversation import (
    AGENT_ACTS,
    NextAction,
    PlaybookState,
    Rules,
    Turn,
    agent_turn,
    customer_turn,
    resolve,
)
from heard.playbook.fold import Folded, Said, action_at, advance, fold
from heard.playbook.follow_up import draft_follow_up
from heard.playbook.scorecard import Interruption, Scorecard, Silence, Upset, most_missed, score_conversation
from heard.playbook.steps import Step, StepId, playbook_steps, step
from heard.playbook.steps_done import StepResult, done_in_order
from heard.playbook.suggestions import Suggestions, suggest
from heard.playbook.transcript import Segment, Transcript, load_transcript, parse_transcript, read_transcript

__all__ = [
    "AGENT_ACTS",
    "Folded",
    "Said",
    "action_at",
    "advance",
    "fold",
    "Interruption",
    "NextAction",
    "PlaybookState",
    "Rules",
    "Scorecard",
    "Segment",
    "Silence",
    "Step",
    "StepId",
    "StepResult",
    "Suggestions",
    "Transcript",
    "Turn",
    "Upset",
    "agent_turn",
    "done_in_order",
    "customer_turn",
    "draft_follow_up",
    "load_transcript",
    "most_missed",
    "parse_transcript",
    "playbook_steps",
    "read_transcript",
    "resolve",
    "score_conversation",
    "step",
    "suggest",
]
