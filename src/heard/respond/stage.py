"""Where a conversation stands: the one vocabulary of stages, for the fold and for the review.

A conversation moves through the playbook's stages, in order (``heard.playbook.fold`` keeps
them, one per conversation)::

    listening -> reflecting -> confirming -> gathering_details -> offering_solutions
              -> closing -> following_up

- **listening**: nothing heard from the customer yet, or a problem not yet heard.
- **reflecting**: a reflection of what the customer said is due (steps 2, 3 and 6).
- **confirming**: the agent reflected; the customer confirms, corrects or adds more.
- **gathering_details**: the customer feels heard; ask for what is missing (step 5).
- **offering_solutions**: nothing is missing: offer what policy allows (step 9).
- **closing**: the customer accepts or thanks: promise the follow-up, resolve (step 10).
- **following_up**: resolved; the follow-up checks the fix worked.

A draft reply is judged at a moment, which may also be one of these (``heard.respond.review``):

- **venting**: the customer is mid-burst; any reply interrupts them (step 7).
- **answering**: a calm customer with no complaint (a plain question).
- **no_context**: the draft alone, with nothing from the customer.

The review reads a conversation more coarsely than the fold does: its ``listening`` covers the
fold's listening, reflecting and an unconfirmed confirming.
"""

from __future__ import annotations

from typing import Literal

ConversationStage = Literal[
    "listening", "reflecting", "confirming", "gathering_details", "offering_solutions", "closing", "following_up"
]  # fmt: skip
Stage = Literal[ConversationStage, "venting", "answering", "no_context"]

__all__ = ["ConversationStage", "Stage"]
