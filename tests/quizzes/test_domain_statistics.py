"""Item statistics of the domain against numbers worked out by hand."""
import math

import pytest

from quizzes.domain import item_analysis, spec_from_json
from quizzes.qtypes import choice_frequencies
from tests.conftest import QUESTION_SPECS

ATTEMPTS = [
    {"q1": 1.0, "q2": 1.0, "q3": 0.0},
    {"q1": 1.0, "q2": 0.0, "q3": 0.0},
    {"q1": 0.0, "q2": 1.0, "q3": 1.0},
    {"q1": 0.0, "q2": 0.0, "q3": 0.0},
]


def test_facility_sd_and_discrimination_by_hand():
    analysis = item_analysis(ATTEMPTS)
    q1 = analysis.questions["q1"]
    assert analysis.attempts == 4 and analysis.mean_score == pytest.approx(5 / 12)
    assert (q1.responses, q1.facility, q1.standard_deviation) == (4, 0.5, 0.5)
    # q1 = [1, 1, 0, 0]; the rest of the test (mean of q2, q3) = [0.5, 0, 1, 0]:
    # cov = -0.0625, sd(rest) = sqrt(0.171875), r = -0.0625 / (0.5 × 0.41458) = -0.30151
    assert q1.discrimination == pytest.approx(-0.0625 / (0.5 * math.sqrt(0.171875)))
    # q3 = [0, 0, 1, 0] against rest [1, 0.5, 0.5, 0]: r = 0.0 (cov = 0)
    assert analysis.questions["q3"].facility == 0.25
    assert analysis.questions["q3"].discrimination == pytest.approx(0.0, abs=1e-12)


def test_a_question_everyone_gets_right_has_no_discrimination_and_ungraded_essays_are_left_out():
    analysis = item_analysis([{"easy": 1.0, "essay": None, "x": 1.0}, {"easy": 1.0, "essay": 0.5, "x": 0.0}])
    assert analysis.questions["easy"].discrimination is None  # no spread, nothing to correlate
    assert analysis.questions["essay"].responses == 1 and analysis.questions["essay"].facility == 0.5
    assert item_analysis([]).mean_score is None


def test_marks_weight_the_rest_of_the_test():
    weighted = item_analysis(ATTEMPTS, marks={"q1": 1, "q2": 3, "q3": 1})
    # totals: (1+3)/5, 1/5, (3+1)/5, 0  -> mean 9/20
    assert weighted.mean_score == pytest.approx(9 / 20)


def test_choice_frequencies():
    spec = spec_from_json(QUESTION_SPECS["multiple_response"])
    counts = choice_frequencies(spec, [{"choices": ["a", "b"]}, {"choices": ["a"]}, {"choices": ["c"]}, {}, None])
    assert [(c.choice_id, c.count, round(c.share, 4)) for c in counts] == [("a", 2, 0.6667), ("b", 1, 0.3333), ("c", 1, 0.3333)]
    tf = choice_frequencies(QUESTION_SPECS["true_false"], [{"value": True}, {"value": False}, {"value": True}])
    assert [(c.choice_id, c.count, c.fraction) for c in tf] == [("true", 2, 1.0), ("false", 1, 0.0)]
    assert choice_frequencies(QUESTION_SPECS["essay"], [{"text": "x"}]) == []
