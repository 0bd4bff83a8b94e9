import subprocess
import sys

import heard


def test_all_is_sorted_and_complete() -> None:
    constants = [n for n in heard.__all__ if n.isupper()]
    rest = [n for n in heard.__all__ if not n.isupper()]
    assert heard.__all__ == constants + rest and rest == sorted(rest, key=lambda n: (n[0].islower(), n))
    for name in heard.__all__:
        assert hasattr(heard, name), name


def test_design_api_names_exist() -> None:
    a_fields = set(heard.Analysis.model_fields)
    assert {"emotions", "upset", "level", "feeling"} <= a_fields
    assert heard.LEVELS == ("calm", "concerned", "upset", "angry", "furious")


def test_import_is_cheap() -> None:
    """`import heard` loads no model, web, storage or CLI package (STYLE.md, rule 3)."""
    code = (
        "import sys, heard; heavy = {'onnxruntime', 'tokenizers', 'spacy', 'typer', 'fastapi', 'sqlalchemy', "
        "'torch', 'uvicorn', 'sklearn', 'pyspark', 'pandas'}; print(sorted(heavy & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
