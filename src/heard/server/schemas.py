"""Request and response models of the API (``*Create`` / ``*Update`` / ``*Public``).

Engine results (``heard.Analysis``, ``NextAction``, ``PolicyBreach``) are returned as they
are, so the API and the library give the same JSON.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt
from pydantic_core import PydanticCustomError

from heard.playbook import NextAction, PlaybookState, Scorecard, StepId
from heard.playbook.conversation import AgentAct
from heard.respond import PolicyBreach
from heard.respond.stage import ConversationStage
from heard.understand import Analysis, Fault, Level

Channel = Literal["chat", "email", "phone", "social", "other"]
Role = Literal["agent", "lead", "admin"]


# Characters that show nothing: text made only of these (and whitespace) is as empty as "".
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"), None)


def _storable(value: str) -> str:
    """Text every database stores and every client reads back: no NUL, no lone surrogate."""
    if "\x00" in value:
        raise ValueError("contains a NUL character (\\u0000); remove it")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as e:
        raise ValueError(
            f"contains a lone surrogate at character {e.start} (an unpaired \\ud800-\\udfff escape); "
            "send valid UTF-16 pairs or the character itself"
        ) from None
    return value


def _visible(value: str) -> str:
    if not value.translate(_INVISIBLE).strip():  # the API answers this like EmptyText (H101)
        raise PydanticCustomError(
            "empty_text",
            "is empty, or only whitespace or invisible characters; send at least one visible one",
        )
    return value


def _utc(value: datetime) -> datetime:
    """An aware time in UTC; one that only exists in its own zone (year 1 at +14:00) is refused."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError(
            "is outside the years 1 to 9999 once converted to UTC; send a time in that range"
        ) from None


# Told to clients in the schema; _storable checks it and says what to change.
_NO_NUL = Field(json_schema_extra={"pattern": "^[^\\u0000]*$"})
Text = Annotated[str, _NO_NUL, AfterValidator(_storable)]
# What someone wrote: at least one visible character.
Said = Annotated[str, _NO_NUL, Field(min_length=1), AfterValidator(_storable), AfterValidator(_visible)]
Instant = Annotated[datetime, AfterValidator(_utc)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Error(BaseModel):
    """Every error answer."""

    code: str = Field(description="Stable error code (docs/errors.md), e.g. H301.")
    detail: str = Field(description="What went wrong and what to change.")


class AnalyzeCreate(_In):
    text: Said = Field(description="The customer's message.")
    frame: StrictBool = Field(default=True, description="Read the complaint frame too (slower).")


class ReflectCreate(_In):
    text: Said | list[Said] = Field(description="The customer's message, or a burst of them.")
    reply: Text | None = Field(default=None, description="The customer's answer to the previous reflection.")


class ConversationMessage(_In):
    role: Literal["customer", "agent"]
    text: Text
    at: Text | StrictFloat | None = Field(default=None, description="ISO 8601 time or seconds.")


class ReviewCreate(_In):
    draft: Said = Field(description="The reply the agent is about to send.")
    customer: Text | list[Text] | None = Field(default=None, description="What the customer last wrote.")
    conversation: list[ConversationMessage] | None = Field(
        default=None, description="The messages so far, oldest first (instead of conversation_id)."
    )
    conversation_id: StrictInt | None = Field(
        default=None, description="Review against a stored conversation of yours."
    )
    at: Text | StrictFloat | None = Field(default=None, description="When the draft would be sent.")


class ReflectionPublic(_Out):
    text: str | None
    feeling: str | None
    reason: str | None = None


class ConversationCreate(_In):
    customer: Text | None = Field(
        default=None, max_length=200, description="Your reference for the customer."
    )
    customer_name: Text | None = Field(default=None, max_length=200)
    channel: Channel = "chat"
    subject: Text | None = Field(default=None, max_length=300)


class ConversationUpdate(_In):
    subject: Text | None = Field(default=None, max_length=300, description="null clears it.")
    # Every conversation has a channel: leave it out to keep it; null is refused (not a channel).
    channel: Channel = Field(default=None, description="Leave out to keep the channel.")  # type: ignore[assignment]


class ConversationPublic(_Out):
    id: int
    customer: str | None = None
    channel: str
    subject: str | None
    status: Literal["open", "resolved"]
    stage: ConversationStage
    category: str | None
    peak_upset: float
    level: Level | None = Field(
        default=None, description="How upset the customer's last message reads; None before they wrote."
    )
    waiting_since: datetime | None = Field(
        default=None,
        description="When the customer's unanswered messages began; None when the agent spoke last.",
    )
    messages: int
    created_at: datetime
    updated_at: datetime
    resolved_at: datetime | None
    next_action: NextAction | None = Field(description="What the agent should do next.")


class ConversationPage(BaseModel):
    items: list[ConversationPublic]
    total: int
    limit: int
    offset: int


class MessageCreate(_In):
    role: Literal["customer", "agent"]
    text: Said = Field(description="What was written. Personal data is redacted before storage.")
    external_id: Text | None = Field(
        default=None,
        max_length=200,
        description="Your id for it: a retried delivery with the same id is stored once.",
    )
    at: Instant | None = Field(
        default=None, description="When it was sent (ISO 8601 with zone); default now."
    )
    typing: StrictBool = Field(default=False, description="Customer messages: the customer is still typing.")
    acts: list[AgentAct] | None = Field(
        default=None,
        description="Agent messages: what the reply did, if your helpdesk knows (see docs/api.md).",
    )


class MessagePublic(_Out):
    id: int
    conversation_id: int
    role: Literal["customer", "agent"]
    text: str = Field(description="The text as stored (redacted unless the team turned redaction off).")
    external_id: str | None
    at: datetime
    redacted: list[str] = Field(
        description="Kinds of personal data replaced: email, phone, card, iban, address."
    )
    analysis: Analysis | None = Field(description="Customer messages: what heard heard.")
    acts: list[str] | None = Field(description="Agent messages: what the reply did.")
    author: str | None = Field(default=None, description="Agent messages: who wrote the reply, when known.")
    acts_source: Literal["declared", "detected"] | None = Field(
        description="declared: sent in the request; detected: read from the text by heard.acts."
    )
    policy: list[PolicyBreach] = Field(description="Agent messages: promises beyond the team's policy.")
    action: NextAction = Field(description="The next best action after this message.")


class MessageResult(MessagePublic):
    stage: ConversationStage = Field(description="Where the conversation stands after this message.")
    replayed: bool = Field(description="True when this external_id was stored before and nothing changed.")


class FollowUpPublic(_Out):
    id: int
    conversation_id: int
    due_at: datetime
    channel: str
    status: Literal["scheduled", "sending", "delivered", "failed", "completed"]
    message: str
    attempts: int
    last_error: str | None
    delivered_at: datetime | None
    outcome: str | None
    satisfaction: int | None
    note: str | None
    completed_at: datetime | None


class FollowUpPage(BaseModel):
    items: list[FollowUpPublic]
    total: int
    limit: int
    offset: int


class FollowUpUpdate(_In):
    due_at: Instant | None = Field(default=None, description="When to send it (ISO 8601 with zone).")
    message: Text | None = Field(default=None, min_length=1, max_length=5000)


class FollowUpComplete(_In):
    outcome: Literal["resolved", "not_resolved", "no_answer"]
    satisfaction: StrictInt | None = Field(
        default=None, ge=1, le=5, description="The customer's rating, 1 to 5."
    )
    note: Text | None = Field(default=None, max_length=2000)


class IncidentPublic(_Out):
    """What one resolved conversation teaches (docs/insights.md); read from its messages when it
    was resolved, with the satisfaction its follow-up brought back."""

    id: int
    conversation_id: int
    category: str | None
    root_cause: str | None = Field(
        description="What went wrong: the resolver's words, else read from the complaint; editable."
    )
    root_cause_edited_by: str | None = Field(description="The user who last edited the root cause.")
    outcome: str | None = Field(description="The resolver's note on the outcome, as given.")
    fault: Fault | None = Field(description="Whom the customer held responsible.")
    peak_upset: float
    peak_level: Level | None
    final_level: Level | None = Field(description="The level of the customer's last message.")
    deescalated: bool | None = Field(
        description="Upset (or worse) at the peak, calm or concerned by the end; None: never upset."
    )
    messages_to_deescalate: int | None = Field(description="Messages from the peak to the first calm one.")
    minutes_to_deescalate: float | None
    steps_done: list[StepId] | None = Field(description="Playbook steps done, in the order first done.")
    remedy: str | None = Field(description="The catalogue remedy given when resolving.")
    satisfaction: int | None = Field(description="From the completed follow-up, 1 to 5.")
    created_at: datetime
    updated_at: datetime | None
    customer: str | None = Field(default=None, description="Your reference for the customer.")
    opened_at: datetime | None = Field(default=None, description="When the conversation opened.")
    resolved_at: datetime | None = Field(default=None, description="When it was resolved.")
    follow_up: Literal["not_needed", "pending", "done", "missed"] | None = Field(
        default=None,
        description="done: sent or answered; missed: failed, or unsent a day after due; else pending.",
    )


class IncidentPage(BaseModel):
    items: list[IncidentPublic]
    total: int
    limit: int
    offset: int


class IncidentUpdate(_In):
    root_cause: Text = Field(
        min_length=1, max_length=2000, description="What went wrong, in a few words a lead can group."
    )


class ResolveCreate(_In):
    fixed: Text | None = Field(
        default=None,
        max_length=500,
        description="What was done, as 'we ...' continues it; the follow-up names it.",
    )
    root_cause: Text | None = Field(default=None, max_length=2000)
    outcome: Text | None = Field(default=None, max_length=2000)
    follow_up_in_hours: StrictFloat | None = Field(
        default=None, ge=0, le=24 * 90, description="Overrides the team's follow-up delay."
    )
    remedy: Text | None = Field(
        default=None,
        max_length=100,
        description="The id of the catalogue's remedy given (GET .../solutions); it must fit this "
        "complaint, and one that needs approval needs the approver's key. Without 'fixed', the "
        "follow-up names it.",
    )


class ConversationDetail(ConversationPublic):
    state: PlaybookState
    timeline: list[MessagePublic]
    follow_ups: list[FollowUpPublic]
    incident: IncidentPublic | None


class ResolveResult(BaseModel):
    conversation: ConversationPublic
    follow_up: FollowUpPublic
    warnings: list[str] = Field(
        default=[],
        description="A remedy given that the agent had promised though it needs approval or goes beyond "
        "policy: what a lead must still approve.",
    )


class TeamPublic(_Out):
    id: int
    name: str
    redact_pii: bool
    follow_up_delay_hours: float
    webhook_url: str | None


class TeamUpdate(_In):
    redact_pii: StrictBool | None = None
    follow_up_delay_hours: StrictFloat | None = Field(default=None, ge=0, le=24 * 90)
    webhook_url: Text | None = Field(default=None, max_length=500, pattern=r"^https?://")


class UserCreate(_In):
    name: Text = Field(min_length=1, max_length=100)
    role: Role


class UserPublic(_Out):
    id: int
    name: str
    role: Role


class UserWithKey(UserPublic):
    api_key: str = Field(description="Shown once: heard stores only its hash.")


class PolicyCheck(BaseModel):
    valid: bool
    remedies: int
    currency: str


class Health(BaseModel):
    status: Literal["ok"]
    version: str


class Readiness(BaseModel):
    status: Literal["ready", "not_ready"]
    database: str
    migration: str | None


# --- practice with simulated customers (heard.simulate; docs/practice.md) ------------------

Difficulty = Literal["easy", "medium", "hard"]
Ending = Literal["resolved", "escalated", "abandoned", "stopped"]


class ScenarioPublic(_Out):
    id: str
    title: str
    domain: str | None
    difficulties: list[Difficulty]
    source: Literal["shipped", "team"] = Field(description="shipped: heard's own; team: added by your team.")
    added_by: str | None = None
    updated_at: datetime | None = None


class PracticeCreate(_In):
    scenario: Text = Field(
        min_length=1, max_length=100, description="A scenario id (GET /v1/practice/scenarios)."
    )
    difficulty: Difficulty = "medium"
    seed: StrictInt | None = Field(
        default=None, ge=0, le=2**31 - 1, description="The same seed and replies give the same session."
    )


class PracticeReplyCreate(_In):
    text: Said = Field(max_length=2_000, description="The trainee's reply to the customer: one chat message.")
    at: StrictFloat | StrictInt | None = Field(
        default=None, ge=0, le=7 * 24 * 3600,
        description="Seconds since the session began; default by the server's clock. A reply during "
        "the customer's burst interrupts it.",
    )  # fmt: skip


class LinePublic(_Out):
    text: str
    at: float = Field(description="Seconds since the session began.")


class MoodPublic(_Out):
    anger: float = Field(ge=0, le=1)
    trust: float = Field(ge=0, le=1)
    progress: float = Field(
        ge=0, le=1, description="How far the customer feels their problem is being solved."
    )


class MoodChangePublic(_Out):
    what: str = Field(description="anger, trust or progress.")
    delta: float
    reason: str = Field(description="What the trainee did that moved it.")
    event: str | None = Field(default=None, description="The event heard read in the reply.")


class PracticeTurnPublic(BaseModel):
    number: int = Field(description="The reply's number, from 1.")
    reply: LinePublic = Field(
        description="What the trainee said (redacted as the team says), and when: a reply sent during the "
        "customer's burst reads as sent at its last line."
    )
    customer: list[LinePublic] = Field(
        description="The customer's answer: a burst when angry; [] when they left."
    )
    mood: MoodPublic
    changes: list[MoodChangePublic] = Field(description="Why the mood moved.")
    events: list[str] = Field(default=[], description="What heard read in the reply.")
    revealed: list[str] = Field(default=[], description="Hidden facts (ids) the customer gave this turn.")
    ended: Literal["resolved", "escalated", "abandoned"] | None


class PracticeSessionPublic(_Out):
    id: int
    user_id: int = Field(description="The trainee.")
    trainee: str
    scenario_id: str
    scenario_title: str
    difficulty: Difficulty
    seed: int
    replies: int
    mood: MoodPublic | None = Field(description="The customer's mood now.")
    outcome: Ending | None = Field(
        description="None while the session goes on; stopped: the trainee ended it."
    )
    score: int | None = Field(description="The debrief scorecard's score, once ended.")
    missed: list[StepId] | None = Field(
        description="The playbook steps the debrief found missed, once ended."
    )
    started_at: datetime
    ended_at: datetime | None


class PracticeSessionDetail(PracticeSessionPublic):
    opening: list[LinePublic] = Field(description="The customer's first burst.")
    turns: list[PracticeTurnPublic]


class PracticeSessionPage(BaseModel):
    items: list[PracticeSessionPublic]
    total: int
    limit: int
    offset: int


class PracticeReplyResult(PracticeTurnPublic):
    session: PracticeSessionPublic


class TipPublic(_Out):
    step: str = Field(description="The playbook step missed.")
    why: str
    better_line: str | None = Field(description="A line heard would have suggested there.")
    turn: int | None = Field(default=None, description="The reply it would have fitted (from 1).")


class TurningPoint(BaseModel):
    turn: int
    what: str


class DebriefPublic(BaseModel):
    scorecard: Scorecard = Field(description="The transcript scored by heard.score_conversation.")
    turning_points: list[TurningPoint]
    tips: list[TipPublic] = Field(description="One per missed step.")
    revealed: list[str] = Field(default=[], description="Hidden facts the trainee learned (ids).")
    missed_facts: list[str] = Field(default=[], description="Hidden facts never asked for (ids).")


class TraineePublic(BaseModel):
    user_id: int
    name: str
    sessions: int
    ended: int
    outcomes: dict[str, int]
    mean_score: int | None
    weeks: dict[str, tuple[int, int]] = Field(description="ISO week: (sessions scored, mean score).")
    weakest: list[tuple[StepId, int]] = Field(description="Steps most often missed: (step, sessions).")
    last_at: datetime | None
