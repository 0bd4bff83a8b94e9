"""The agent's side: reflections, acknowledgements, apologies, questions, reply acts, draft review (DESIGN.md layer 3)."""
