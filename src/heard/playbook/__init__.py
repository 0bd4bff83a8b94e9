"""The playbook steps as data, the conversation state machine and scorecards (DESIGN.md layer 4)."""
