"""Counterparts through a comparison: a split's first half leads, unpaired articles have none."""

from reviewer.core.compare_sync import Counterparts
from reviewer.core.concordance import ArticleText, Comparison, Pair


def _articles(*citations: str) -> list[ArticleText]:
    return [ArticleText(c, i + 1, "", "", 0, i * 100, i * 100 + 90) for i, c in enumerate(citations)]


def test_counterparts_both_ways() -> None:
    pairs = [
        Pair("Art. 1", "Art. 2", 1, 2, 0.9),
        Pair("Art. 2", "Art. 3", 2, 3, 0.8),
        Pair("Art. 2", "Art. 4", 2, 4, 0.7),
    ]
    comparison = Comparison("a", "A", "b", "B", pairs, ["Art. 3"], ["Art. 1"])
    found = Counterparts(
        comparison, _articles("Art. 1", "Art. 2", "Art. 3"), _articles("Art. 1", "Art. 2", "Art. 3", "Art. 4")
    )
    assert found.a_to_b == {"Art. 1": "Art. 2", "Art. 2": "Art. 3"}
    assert found.b_to_a == {"Art. 2": "Art. 1", "Art. 3": "Art. 2", "Art. 4": "Art. 2"}
    assert found.start_of("a", "Art. 3") == 200 and found.start_of("b", "Art. 4") == 300
    assert found.start_of("a", "Art. 9") is None
