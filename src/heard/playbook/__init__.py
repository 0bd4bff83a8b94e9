"""The playbook steps as data, the conversation state machine and scorecards (DESIGN.md layer 4)."""

from heard.playbook.scorecard import Interruption, Scorecard, Silence, Upset, score_conversation
from heard.playbook.steps import Step, StepId, playbook_steps, step
from heard.playbook.steps_done import StepResult
from heard.playbook.transcript import Segment, Transcript, load_transcript, read_transcript

__all__ = [
    "Interruption",
    "Scorecard",
    "Segment",
    "Silence",
    "Step",
    "StepId",
    "StepResult",
    "Transcript",
    "Upset",
    "load_transcript",
    "playbook_steps",
    "read_transcript",
    "score_conversation",
    "step",
]
