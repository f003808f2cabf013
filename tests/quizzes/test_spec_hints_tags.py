"""The fields every question spec shares for hints, tries and random draws: their rules and JSON."""
import pytest

from quizzes.domain.spec import spec_from_json
from quizzes.domain.spec_base import SpecError

BASE = {"qtype": "true_false", "title": "T", "text": "Attention weights sum to one.", "correct": True}


def _spec(**extra):
    spec = spec_from_json({**BASE, **extra})
    spec.validate()
    return spec


def test_a_spec_without_the_new_fields_keeps_its_stored_json():
    assert "hints" not in _spec().to_json() and "tags" not in _spec().to_json() and "penalty" not in _spec().to_json()


def test_hints_tags_and_penalty_round_trip():
    spec = _spec(hints=["Rows of a softmax…", "…sum to **one**."], tags=["softmax", "Week 2"], penalty=0.5)
    again = spec_from_json(spec.to_json())
    assert (again.hints, again.tags, again.penalty) == (spec.hints, spec.tags, 0.5)


@pytest.mark.parametrize("extra, code", [
    ({"hints": "one"}, "bad_hints"),
    ({"hints": [""]}, "empty_hint"),
    ({"hints": ["  "]}, "empty_hint"),
    ({"hints": [{"text": "x"}]}, "empty_hint"),
    ({"hints": ["h"] * 11}, "bad_hints"),
    ({"tags": "softmax"}, "bad_tags"),
    ({"tags": ["a,b"]}, "bad_tag"),
    ({"tags": [" padded"]}, "bad_tag"),
    ({"tags": ["x" * 51]}, "bad_tag"),
    ({"tags": ["line\nbreak"]}, "bad_tag"),
    ({"tags": [7]}, "bad_tag"),
    ({"tags": ["Softmax", "softmax"]}, "duplicate_tag"),
    ({"tags": [f"t{i}" for i in range(21)]}, "bad_tags"),
    ({"penalty": -0.1}, "bad_penalty"),
    ({"penalty": 1.5}, "bad_penalty"),
    ({"penalty": "0.3"}, "bad_penalty"),
    ({"penalty": True}, "bad_penalty"),
    ({"penalty": float("nan")}, "bad_penalty"),
])
def test_broken_hints_tags_and_penalties_are_refused_with_a_code(extra, code):
    with pytest.raises(SpecError) as caught:
        _spec(**extra)
    assert caught.value.code == code
