"""heard.spark in Spark local mode: the UDF gives exactly what heard.analyze gives.

Spark needs Java: under CI (CI=true) these tests must run (`.ci/run` installs Java with
`make java`); elsewhere they are skipped with the reason when no Java is on the PATH.
One Spark session serves the module: each start costs seconds.
"""

import os
import shutil
import sys

import pytest

import heard

pytestmark = pytest.mark.slow

if shutil.which("java") is None:
    if os.environ.get("CI") == "true":
        pytest.fail("Java is missing under CI; .ci/run should have installed it with `make java`")
    pytest.skip("no Java on the PATH: Spark needs Java 17+ (run `make java`)", allow_module_level=True)

MESSAGES = [
    "I am very upset because you told me the movers would be here by 1 pm and they came at 3 pm.",
    "Thank you so much, the replacement arrived and works perfectly.",
    "YOU CHARGED ME TWICE FOR ORDER 5521 AND NOBODY ANSWERS!!!",
    "Great, just great. My parcel is late again.",
    "My login stopped working after the update and the reset email never comes.",
    "   ",
    None,
]


@pytest.fixture(scope="module")
def spark():
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[1]")  # one Python worker loads heard's models once
        .appName("heard-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "1")
        # Short test jobs: the quick JIT tier and a simple GC start the JVM sooner.
        .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def test_spark_udf_gives_the_same_analysis_as_heard_analyze(spark) -> None:
    from heard.spark import analyze_column

    df = spark.createDataFrame(list(enumerate(MESSAGES)), "id int, text string")
    rows = sorted(analyze_column(df, "text").collect(), key=lambda r: r.id)
    assert [r.id for r in rows] == list(range(len(MESSAGES)))
    for row in rows[:5]:
        expected = heard.analyze(row.text)
        a = row.analysis
        assert a.error is None
        assert heard.Analysis.model_validate_json(a.json) == expected
        assert (a.level, a.feeling, a.fault, a.upset) == (
            expected.level,
            expected.feeling,
            expected.fault,
            expected.upset,
        )
        assert a.category == (expected.complaint.category if expected.complaint else None)
        assert dict(a.emotions) == expected.emotions
    assert rows[0].analysis.level in ("upset", "angry", "furious")
    assert rows[1].analysis.level == "calm"
    # A bad row is reported in its own row and does not stop the job.
    for row in rows[5:]:
        assert row.analysis.error.startswith("[H101]") and row.analysis.json is None


def test_spark_udf_without_the_frame_matches_analyze_without_it(spark) -> None:
    from pyspark.sql.functions import col

    from heard.spark import analyze_udf

    df = spark.createDataFrame([(t,) for t in MESSAGES[:3]], "message string")
    got = {
        r.message: r.a
        for r in df.select("message", analyze_udf(frame=False)(col("message")).alias("a")).collect()
    }
    for text in MESSAGES[:3]:
        expected = heard.analyze(text, frame=False)
        assert heard.Analysis.model_validate_json(got[text].json) == expected
        assert got[text].category is None
