import numpy as np
import pytest

from heard.language import embed


def test_embed_puts_the_same_complaint_in_other_words_closer_than_another_complaint() -> None:
    late, also_late, billing = embed(
        [
            "The delivery driver showed up four hours after the slot we booked.",
            "Your courier came way past the time window I picked.",
            "I was charged twice on my card for one subscription.",
        ]
    )
    assert late @ also_late > late @ billing


def test_embed_returns_unit_vectors_in_input_order() -> None:
    texts = ["a very long reply " * 200, "short", "Thanks!"]
    vectors = embed(texts)
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-3)
    # int8 activations share one scale per batch, so a text moves a little with its neighbours
    assert vectors[1] @ embed(["short"])[0] > 0.97
    assert np.array_equal(vectors, embed(texts))  # the same input gives the same output


def test_embed_of_nothing_is_empty_and_a_bare_string_is_refused() -> None:
    assert embed([]).shape == (0, 384)
    with pytest.raises(TypeError, match="list of texts"):
        embed("one text")  # type: ignore[arg-type]
