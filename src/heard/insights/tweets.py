"""Tweet-thread exports: tweets with in-reply-to links, rebuilt into conversations.

Two shapes (docs/import.md, "Tweet threads"): a CSV with ``tweet_id, author_id, inbound,
created_at, text, in_response_to_tweet_id`` (the shape support teams' social tools and the
public customer-support-on-Twitter corpus use), or JSON Lines of tweet objects as the Twitter
API returns them (``id_str``, ``user.screen_name``, ``in_reply_to_status_id_str``,
``created_at``, ``full_text`` or ``text``).

A tweet's conversation is the first tweet of its thread: a reply joins the conversation of the
tweet it answers. Exports list tweets in time order, so a reply comes after what it answers; the
reader remembers the thread of the last ``max_open`` tweets (a million by default, about 100 MB),
which keeps memory flat in the file's size. A reply to a tweet it does not remember starts a
conversation named after that tweet. The brand's accounts (``brands``, or ``inbound = False``)
are the agent's side; everyone else is a customer. Leading @mentions are dropped from the text.
"""

from __future__ import annotations

import contextlib
import re
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

from heard.errors import MalformedInput
from heard.insights._source import BadRow, bad, csv_records, json_lines
from heard.insights._time import as_utc
from heard.insights.archive import ArchiveMessage, Row

_MENTIONS = re.compile(r"^(?:\s*@\w+)+\s*")
_TWITTER_TIME = "%a %b %d %H:%M:%S %z %Y"  # Tue Oct 31 22:10:47 +0000 2017


def _time(value: object) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        with contextlib.suppress(ValueError):  # not Twitter's format: ISO text, read below
            value = datetime.strptime(value.strip(), _TWITTER_TIME)
    return as_utc(value, what="created_at")  # ISO text or epoch seconds


def _flag(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower() if value is not None else ""
    return {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}.get(text)


class ThreadIndex:
    """Which conversation each recent tweet belongs to, for the last ``max_open`` tweets."""

    def __init__(self, max_open: int):
        self.max_open = max_open
        self.roots: OrderedDict[str, str] = OrderedDict()

    def place(self, tweet_id: str, parent: str | None) -> str:
        root = tweet_id if not parent else self.roots.get(parent, parent)
        if parent in self.roots:
            self.roots.move_to_end(parent)
        self.roots[tweet_id] = root
        if len(self.roots) > self.max_open:
            self.roots.popitem(last=False)
        return root


def _tweet(record: dict, line: int, threads: ThreadIndex, brands: set[str]) -> Row:
    tweet_id = record.get("id_str") or record.get("tweet_id") or record.get("id")
    if tweet_id in (None, ""):
        return bad(line, "the tweet has no id (tweet_id or id_str)")
    user = record.get("user") if isinstance(record.get("user"), dict) else {}
    author = str(user.get("screen_name") or record.get("author_id") or "").lstrip("@")
    inbound = _flag(record.get("inbound"))
    if inbound is None and not brands:
        raise MalformedInput(
            "the tweets carry no inbound column, so heard cannot tell the brand's replies from "
            "customers': name the brand's accounts (--brand AcmeHelp)",
            line=line,
        )
    role = ("customer" if inbound else "agent") if inbound is not None else None
    if role is None:
        role = "agent" if author.lower() in brands else "customer"
    raw = record.get("full_text") or record.get("text")
    if not isinstance(raw, str):
        return bad(line, "the tweet has no text")
    text = _MENTIONS.sub("", raw).strip()
    if not text:
        return bad(line, "the tweet holds only @mentions, no text")
    parent = (
        record.get("in_reply_to_status_id_str")
        or record.get("in_response_to_tweet_id")
        or record.get("in_reply_to_status_id")
    )
    parent = str(parent).removesuffix(".0") if parent not in (None, "") else None  # CSV tools write 12.0
    try:
        at = _time(record.get("created_at"))
    except ValueError as e:
        return bad(line, str(e))
    conversation = threads.place(str(tweet_id), parent)
    return ArchiveMessage(
        conversation_id=conversation,
        role=role,
        text=text,
        at=at,
        external_id=str(tweet_id),
        author=author or None,
        line=line,
    )


def read_tweets(path: Path, *, brands: Iterable[str] = (), max_open: int = 1_000_000) -> Iterator[Row]:
    """Messages from a tweet export (.csv, or JSON Lines otherwise), conversations rebuilt from replies.

    Raises:
        MalformedInput: the tweets say nothing of who is the brand and no ``brands`` were named.
    """
    brand_set = {b.lstrip("@").lower() for b in brands}
    threads = ThreadIndex(max_open)
    if path.suffix.lower() == ".csv":
        for line, record, problem in csv_records(path, required=("tweet_id", "author_id", "text")):
            yield bad(line, problem) if problem else _tweet(record, line, threads, brand_set)
        return
    for item in json_lines(path):
        if isinstance(item, BadRow):
            yield item
            continue
        number, record = item
        if not isinstance(record, dict):
            yield bad(number, "expected a tweet object")
            continue
        yield _tweet(record, number, threads, brand_set)
