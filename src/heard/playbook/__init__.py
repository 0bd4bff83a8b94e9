"""The playbook steps as data, the conversation state machine and scorecards (DESIGN.md layer 4)."""

from heard.playbook.conversation import (
    AGENT_ACTS,
    STAGES,
    NextAction,
    PlaybookState,
    Rules,
    Turn,
    agent_turn,
    customer_turn,
    resolve,
)
from heard.playbook.follow_up import draft_follow_up
from heard.playbook.steps import Step, StepId, playbook_steps, step

__all__ = [
    "AGENT_ACTS",
    "STAGES",
    "NextAction",
    "PlaybookState",
    "Rules",
    "Step",
    "StepId",
    "Turn",
    "agent_turn",
    "customer_turn",
    "draft_follow_up",
    "playbook_steps",
    "resolve",
    "step",
]
