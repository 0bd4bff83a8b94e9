import inspect
from pathlib import Path

import heard.errors as errors

ROOT = Path(__file__).resolve().parents[1]


def error_classes() -> list[type[errors.HeardError]]:
    return [c for _, c in inspect.getmembers(errors, inspect.isclass) if issubclass(c, errors.HeardError)]


def test_error_codes_are_unique() -> None:
    codes = [c.code for c in error_classes()]
    assert len(codes) == len(set(codes))


def test_every_error_is_documented() -> None:
    docs = (ROOT / "docs" / "errors.md").read_text("utf-8")
    for cls in error_classes():
        assert cls.code in docs and cls.__name__ in docs, cls.__name__


def test_message_carries_the_code() -> None:
    assert str(errors.EmptyText("say something")).startswith("[H101] ")
    assert "line 3:" in str(errors.MalformedInput("bad", line=3))
