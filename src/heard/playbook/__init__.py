"""The playbook steps as data, the conversation state machine and scorecards (DESIGN.md layer 4)."""

from heard.playbook.steps import Step, StepId, playbook_steps, step

__all__ = ["Step", "StepId", "playbook_steps", "step"]
