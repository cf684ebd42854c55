"""Wilson and Newcombe intervals against the values of DEFLECTION.md and Newcombe (1998)."""

import pytest

from support.metrics.stats import newcombe, wilson


@pytest.mark.parametrize(("k", "n", "low", "high"), [
    (0, 10, 0.0000, 0.2775),
    (5, 10, 0.2366, 0.7634),
    (45, 50, 0.7864, 0.9565),
    # the worked check's rates
    (1200, 1600, 0.7282, 0.7706),
    (110, 500, 0.1859, 0.2584),
    (60, 150, 0.3250, 0.4800),
])
def test_wilson_matches_deflection_md_to_four_places(k, n, low, high):
    got = wilson(k, n)
    assert (round(got[0], 4), round(got[1], 4)) == (low, high)


def test_wilson_edges_are_exact_and_empty_sample_is_uninformative():
    assert wilson(0, 10)[0] == 0.0
    assert wilson(10, 10)[1] == 1.0
    assert wilson(0, 0) == (0.0, 1.0)
    with pytest.raises(ValueError):
        wilson(11, 10)


def test_newcombe_hybrid_score_interval_matches_the_paper():
    # Newcombe (1998), Statistics in Medicine 17:873, example (a): 56/70 vs 48/80.
    difference, low, high = newcombe(56, 70, 48, 80)
    assert round(difference, 4) == 0.2000
    assert (round(low, 4), round(high, 4)) == (0.0524, 0.3339)


def test_newcombe_is_antisymmetric():
    d1, low1, high1 = newcombe(9, 10, 3, 10)
    d2, low2, high2 = newcombe(3, 10, 9, 10)
    assert d1 == pytest.approx(-d2)
    assert low1 == pytest.approx(-high2) and high1 == pytest.approx(-low2)
