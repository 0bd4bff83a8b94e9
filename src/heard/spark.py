"""``heard.spark``: the analysis as a PySpark pandas UDF, for archives larger than one machine.

    from pyspark.sql import SparkSession
    from heard.spark import analyze_column

    spark = SparkSession.builder.getOrCreate()
    messages = spark.read.json("messages.jsonl")            # a column "text"
    analysed = analyze_column(messages, "text")             # adds a struct column "analysis"
    analysed.select("analysis.level", "analysis.upset").show()

Each row's ``analysis`` holds the main fields as columns (``upset``, ``level``, ``feeling``,
``fault``, ``category``, ``emotions``, ...) and ``json``, the whole ``heard.Analysis`` as JSON,
equal to ``heard.analyze(text).model_dump_json()``. A row whose text is null, empty or not a
string gets ``error`` (``"[H101] ..."``) and null fields instead of failing the job.

Each Spark Python worker loads heard's models once (about a second) and keeps them while Spark
reuses the worker. Needs the ``spark`` extra (``pip install 'heard[spark]'``) and Java 17+.
"""

# No ``from __future__ import annotations`` here: Spark reads the UDF's type hints as objects
# (pd.Series -> pd.DataFrame) to know what kind of pandas UDF it is.
from typing import TYPE_CHECKING

from heard.understand import MAX_CHARS

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import Column, DataFrame

ANALYSIS_SCHEMA = (
    "upset double, level string, feeling string, fault string, category string, "
    "emotions map<string, double>, sarcasm boolean, truncated boolean, json string, error string"
)
_FIELDS = (
    "upset",
    "level",
    "feeling",
    "fault",
    "category",
    "emotions",
    "sarcasm",
    "truncated",
    "json",
    "error",
)


def analyze_rows(texts: "pd.Series", *, frame: bool = True, max_chars: int = MAX_CHARS) -> "pd.DataFrame":
    """The UDF's body, usable without Spark: one row of ``ANALYSIS_SCHEMA`` per text.

    Each text goes through ``heard.analyze`` on its own, so results equal ``heard.analyze``
    exactly (``analyze_many`` batches texts and moves scores by up to about 0.01).
    """
    import pandas as pd

    from heard.errors import EmptyText, HeardError
    from heard.understand import analyze

    rows = []
    for text in texts:
        if text is None or (isinstance(text, float) and text != text):  # a null arrives as None or NaN
            rows.append(
                dict.fromkeys(_FIELDS)
                | {"error": str(EmptyText("the message is null; give every row a text"))}
            )
            continue
        try:
            a = analyze(text, frame=frame, max_chars=max_chars)
        except HeardError as error:
            rows.append(dict.fromkeys(_FIELDS) | {"error": str(error)})
            continue
        rows.append(
            {
                "upset": a.upset,
                "level": a.level,
                "feeling": a.feeling,
                "fault": a.fault,
                "category": a.complaint.category if a.complaint else None,
                "emotions": a.emotions,
                "sarcasm": a.sarcasm,
                "truncated": a.truncated,
                "json": a.model_dump_json(),
                "error": None,
            }
        )
    return pd.DataFrame(rows, columns=list(_FIELDS))


def analyze_udf(*, frame: bool = True, max_chars: int = MAX_CHARS):
    """A pandas UDF that analyses a column of customer messages into ``ANALYSIS_SCHEMA`` structs.

    Args:
        frame: read the complaint frame too (``category``, ``fault``); without it about three
            times faster, as with ``heard.analyze(frame=False)``.
        max_chars: longer messages are analysed on their start and marked ``truncated``.
    """
    import pandas as pd
    from pyspark.sql.functions import pandas_udf

    @pandas_udf(ANALYSIS_SCHEMA)  # type: ignore[call-overload]
    def analyze_messages(texts: pd.Series) -> pd.DataFrame:
        return analyze_rows(texts, frame=frame, max_chars=max_chars)

    return analyze_messages


def analyze_column(
    df: "DataFrame", column: "str | Column" = "text", *, into: str = "analysis", frame: bool = True
) -> "DataFrame":
    """``df`` with a struct column ``into`` holding the analysis of each message in ``column``."""
    from pyspark.sql.functions import col

    source = col(column) if isinstance(column, str) else column
    return df.withColumn(into, analyze_udf(frame=frame)(source))
