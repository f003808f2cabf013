"""Grading of every question type, with the edges issue 3 names (pure domain: no database)."""
import pytest

from quizzes.domain import (
    Choice,
    EssaySpec,
    MatchingSpec,
    MatchPair,
    MultipleResponseSpec,
    NumericAnswer,
    NumericSpec,
    ResponseError,
    ShortAnswerSpec,
    SingleChoiceSpec,
    SpecError,
    TextAnswer,
    TrueFalseSpec,
    spec_from_json,
)
from quizzes.qtypes import correct_response, grade, public_view
from quizzes.domain.grading import right_item_id
from tests.conftest import QUESTION_SPECS


def single():
    return SingleChoiceSpec(title="s", text="Which?", choices=[
        Choice(id="a", text="ReLU", fraction=0.0, feedback="No: ReLU does not normalise."),
        Choice(id="b", text="Softmax", fraction=1.0, feedback="Yes."),
        Choice(id="c", text="Sigmoid", fraction=0.25, feedback="Partly."),
        Choice(id="d", text="Step", fraction=-0.5),
    ])


def multiple():
    return MultipleResponseSpec(title="m", text="Which?", choices=[
        Choice(id="a", text="Q", fraction=0.5, feedback="Q yes"),
        Choice(id="b", text="K", fraction=0.5),
        Choice(id="c", text="Kernel", fraction=-1.0, feedback="Not a matrix of attention"),
        Choice(id="d", text="Bias", fraction=-0.25),
    ])


def short(**kwargs):
    return ShortAnswerSpec(title="sa", text="Name it", answers=[
        TextAnswer(text="softmax", fraction=1.0, feedback="Right"),
        TextAnswer(text="soft*", fraction=0.5, feedback="Close"),
        TextAnswer(text="*max*", fraction=0.2, feedback="Something max"),
    ], **kwargs)


def numeric():
    return NumericSpec(title="n", text="sqrt(64)?", answers=[
        NumericAnswer(kind="tolerance", value=8, tolerance=0.5, fraction=1.0, feedback="Right"),
        NumericAnswer(kind="range", min=6, max=10, fraction=0.5, feedback="Close"),
        NumericAnswer(kind="any", fraction=0.0, feedback="Think of 8 × 8"),
    ])


def matching():
    return MatchingSpec(title="mt", text="Match", pairs=[
        MatchPair(id="a", left="Q", right="what a token looks for"),
        MatchPair(id="b", left="K", right="what a token offers"),
        MatchPair(id="c", left="V", right="what a token passes on"),
    ], distractors=["the token's position"])


# --- single choice -------------------------------------------------------------------------------

@pytest.mark.parametrize("picked, fraction, state", [
    ("b", 1.0, "correct"), ("a", 0.0, "incorrect"), ("c", 0.25, "partial"), ("d", 0.0, "incorrect"),
])
def test_single_choice_scores_the_picked_weight_and_a_penalty_floors_at_zero(picked, fraction, state):
    result = grade(single(), {"choice": picked})
    assert result.fraction == fraction and result.state == state


def test_single_choice_feedback_is_for_the_picked_choice_only():
    result = grade(single(), {"choice": "a"})
    assert [(f.part, f.text, f.correct) for f in result.feedback] == [("a", "No: ReLU does not normalise.", False)]


@pytest.mark.parametrize("response", [None, {}, {"choice": None}, {"choice": ""}])
def test_single_choice_unanswered(response):
    result = grade(single(), response)
    assert (result.fraction, result.state) == (0.0, "unanswered")


def test_single_choice_unknown_id_is_wrong_and_wrong_shape_raises():
    assert grade(single(), {"choice": "zz"}).fraction == 0.0
    with pytest.raises(ResponseError):
        grade(single(), {"choice": ["a"]})
    with pytest.raises(ResponseError):
        grade(single(), ["a"])


# --- multiple response ---------------------------------------------------------------------------

@pytest.mark.parametrize("picked, fraction", [
    (["a", "b"], 1.0),
    (["a"], 0.5),
    (["a", "b", "d"], 0.75),  # negative weight subtracts
    (["a", "c"], 0.0),  # 0.5 - 1.0 floors at 0
    (["c", "d"], 0.0),
    (["a", "a"], 0.5),  # picking twice counts once
    (["a", "b", "c", "d"], 0.0),  # ticking everything does not pay
])
def test_multiple_response_adds_weights_floored_at_zero(picked, fraction):
    assert grade(multiple(), {"choices": picked}).fraction == pytest.approx(fraction)


def test_multiple_response_feedback_per_picked_choice_and_empty_is_unanswered():
    result = grade(multiple(), {"choices": ["a", "c"]})
    assert [(f.part, f.correct) for f in result.feedback] == [("a", True), ("c", False)]
    assert grade(multiple(), {"choices": []}).state == "unanswered"
    with pytest.raises(ResponseError):
        grade(multiple(), {"choices": "a"})


def test_multiple_response_weights_must_add_up_to_100_percent():
    spec = multiple()
    spec.choices[1].fraction = 0.4
    with pytest.raises(SpecError, match="add up to 100%; they add up to 90%"):
        spec.validate()
    thirds = MultipleResponseSpec(title="t", text="t", choices=[
        Choice(id=i, text=i, fraction=0.3333333) for i in "abc"])
    thirds.validate()  # 99.99999 % is 100 %
    assert grade(thirds, {"choices": ["a", "b", "c"]}).state == "correct"


# --- true / false --------------------------------------------------------------------------------

@pytest.mark.parametrize("value, fraction, feedback", [
    (True, 1.0, "Yes, one distribution per query."),
    (False, 0.0, "Each row is a distribution."),
    ("true", 1.0, "Yes, one distribution per query."),  # HTML forms send strings
    ("FALSE", 0.0, "Each row is a distribution."),
])
def test_true_false(value, fraction, feedback):
    spec = TrueFalseSpec(title="tf", text="Rows sum to 1", correct=True,
                         feedback_true="Yes, one distribution per query.", feedback_false="Each row is a distribution.")
    result = grade(spec, {"value": value})
    assert result.fraction == fraction
    assert [f.text for f in result.feedback] == [feedback]


def test_true_false_unanswered_and_bad_value():
    spec = TrueFalseSpec(title="tf", text="x", correct=False)
    assert grade(spec, {"value": None}).state == "unanswered"
    assert grade(spec, {"value": False}).state == "correct"
    with pytest.raises(ResponseError):
        grade(spec, {"value": "maybe"})


# --- short answer --------------------------------------------------------------------------------

@pytest.mark.parametrize("typed, fraction", [
    ("softmax", 1.0),
    ("  SoftMax ", 1.0),  # case-insensitive by default, trimmed
    ("softplus", 0.5),  # wildcard soft*
    ("argmax", 0.2),  # *max*
    ("maximum", 0.2),
    ("relu", 0.0),
    ("soft", 0.5),  # * matches the empty run too
])
def test_short_answer_case_insensitive_wildcards_and_partial_credit(typed, fraction):
    assert grade(short(), {"text": typed}).fraction == fraction


def test_short_answer_best_match_wins_and_its_feedback_is_given():
    result = grade(short(), {"text": "softmax"})  # matches all three: the 100 % one counts
    assert (result.fraction, [f.text for f in result.feedback]) == (1.0, ["Right"])


def test_short_answer_case_sensitive_and_literal_regex_characters():
    assert grade(short(case_sensitive=True), {"text": "Softmax"}).fraction == 0.2  # only *max* still matches
    spec = ShortAnswerSpec(title="x", text="x", answers=[TextAnswer(text="a.b (c)")])
    assert grade(spec, {"text": "a.b (c)"}).fraction == 1.0
    assert grade(spec, {"text": "axb (c)"}).fraction == 0.0  # "." is not a regex wildcard
    assert grade(spec, {"text": "a.b   (c)"}).fraction == 1.0  # inner spaces collapse


@pytest.mark.parametrize("typed", ["", "   ", None])
def test_short_answer_empty_is_unanswered(typed):
    assert grade(short(), {"text": typed}).state == "unanswered"


# --- numeric -------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed, fraction", [
    ("8", 1.0), ("7.5", 1.0), ("8.5", 1.0),  # tolerance edges are inclusive
    ("8.50001", 0.5), ("6", 0.5), ("10", 0.5),  # range edges inclusive
    ("10.001", 0.0), ("-8", 0.0),
    ("8,2", 1.0),  # a comma decimal mark
    (" 8 ", 1.0), ("8e0", 1.0),
])
def test_numeric_tolerance_and_range_with_partial_credit(typed, fraction):
    assert grade(numeric(), {"value": typed}).fraction == fraction


def test_numeric_float_noise_does_not_cost_marks():
    spec = NumericSpec(title="n", text="0.1+0.2", answers=[NumericAnswer(kind="tolerance", value=0.3, tolerance=0)])
    assert grade(spec, {"value": "0.30000000000000004"}).fraction == 1.0
    assert grade(spec, {"value": "0.3001"}).fraction == 0.0


def test_numeric_feedback_and_not_a_number():
    result = grade(numeric(), {"value": "3"})
    assert (result.fraction, [f.text for f in result.feedback]) == (0.0, ["Think of 8 × 8"])
    bad = grade(numeric(), {"value": "abc"})
    assert bad.state == "incorrect" and "not a number" in bad.feedback[0].text
    assert grade(numeric(), {"value": ""}).state == "unanswered"
    assert grade(numeric(), {"value": "nan"}).state == "incorrect"


def test_numeric_validation_messages_a_teacher_understands():
    spec = NumericSpec(title="n", text="x", answers=[NumericAnswer(kind="range", min=5, max=1)])
    with pytest.raises(SpecError, match="empty: write the smaller number first"):
        spec.validate()
    spec = spec_from_json({"qtype": "numeric", "title": "n", "text": "x",
                           "answers": [{"kind": "tolerance", "value": "abc", "tolerance": 0}]})
    with pytest.raises(SpecError, match="a numeric answer needs a number; got 'abc'"):
        spec.validate()


# --- matching ------------------------------------------------------------------------------------

def test_matching_partial_credit_per_pair_and_distractors():
    spec = matching()
    ids = {p.id: right_item_id(p.right) for p in spec.pairs}
    distractor = right_item_id("the token's position")
    assert grade(spec, {"pairs": ids}).fraction == 1.0
    two = grade(spec, {"pairs": {**ids, "c": distractor}})
    assert two.fraction == pytest.approx(2 / 3) and two.state == "partial"
    assert [(f.part, f.correct) for f in two.feedback] == [("a", True), ("b", True), ("c", False)]
    assert grade(spec, {"pairs": {"a": ids["b"], "b": ids["a"]}}).fraction == 0.0
    assert grade(spec, {"pairs": {"a": None, "b": None}}).state == "unanswered"


def test_matching_public_view_offers_every_right_item_in_an_order_that_leaks_nothing():
    spec = matching()
    view = public_view(spec)
    assert [r["text"] for r in view["right"]] == sorted([p.right for p in spec.pairs] + spec.distractors)
    assert {r["id"] for r in view["right"]} == {right_item_id(t) for t in [p.right for p in spec.pairs] + spec.distractors}
    assert [left["id"] for left in view["left"]] == ["a", "b", "c"]


def test_a_distractor_that_is_also_an_answer_is_refused():
    spec = matching()
    spec.distractors = ["what a token offers"]
    with pytest.raises(SpecError, match="also a right answer"):
        spec.validate()


# --- essay ---------------------------------------------------------------------------------------

def test_essay_awaits_grading_and_empty_is_unanswered():
    spec = EssaySpec(title="e", text="Explain", grader_info="Look for permutation")
    result = grade(spec, {"text": "Because attention is permutation invariant."})
    assert (result.fraction, result.state) == (None, "needs_grading")
    assert grade(spec, {"text": "  "}).state == "unanswered"
    assert correct_response(spec) is None


# --- every type from the shared fixture ----------------------------------------------------------

@pytest.mark.parametrize("qtype", sorted(QUESTION_SPECS))
def test_every_type_round_trips_through_json_and_its_correct_response_earns_full_marks(qtype):
    spec = spec_from_json(QUESTION_SPECS[qtype])
    spec.validate()
    assert spec_from_json(spec.to_json()) == spec
    right = correct_response(spec)
    if qtype == "essay":
        assert right is None
    else:
        assert grade(spec, right).fraction == 1.0


@pytest.mark.parametrize("qtype", sorted(QUESTION_SPECS))
def test_the_public_view_holds_no_secret(qtype):
    view = public_view(QUESTION_SPECS[qtype], shuffle_seed=42)
    assert "SECRET" not in repr(view)
    assert not {"fraction", "feedback", "answers", "correct", "explanation", "grader_info", "title"} & set(view)


def test_shuffling_is_stable_for_a_seed_and_differs_between_seeds():
    spec = SingleChoiceSpec(title="s", text="?", choices=[
        Choice(id=c, text=c.upper(), fraction=1.0 if c == "a" else 0.0) for c in "abcdefgh"])
    orders = {tuple(c["id"] for c in public_view(spec, shuffle_seed=seed)["choices"]) for seed in range(20)}
    assert len(orders) > 1
    first = [c["id"] for c in public_view(spec, shuffle_seed="7:1")["choices"]]
    assert first == [c["id"] for c in public_view(spec, shuffle_seed="7:1")["choices"]]
    spec.shuffle = False
    assert [c["id"] for c in public_view(spec, shuffle_seed=3)["choices"]] == list("abcdefgh")


@pytest.mark.parametrize("data, message", [
    ({"qtype": "single_choice", "title": "x", "text": "x", "choices": [
        {"id": "a", "text": "A", "fraction": 0.5}, {"id": "b", "text": "B", "fraction": 0.0}]},
     "needs a choice worth 100%, so full marks are possible; the best here is worth 50%"),
    ({"qtype": "single_choice", "title": "x", "text": "x", "choices": [{"id": "a", "text": "A", "fraction": 1.0}]},
     "at least 2 choices"),
    ({"qtype": "short_answer", "title": "x", "text": "x", "answers": [{"text": "a", "fraction": 0.5}]},
     "worth 100%"),
    ({"qtype": "single_choice", "title": "x", "text": "  ", "choices": []}, "question text is empty"),
    ({"qtype": "single_choice", "title": "x", "text": "x", "choices": [
        {"id": "a", "text": "A", "fraction": 1.5}, {"id": "b", "text": "B"}]}, "between -100% and 100%; got 150%"),
    ({"qtype": "essay", "title": "x", "text": "x", "default_mark": 0}, "mark must be a positive number"),
])
def test_invalid_specs_are_refused_with_a_readable_message(data, message):
    with pytest.raises(SpecError) as error:
        spec_from_json(data).validate()
    assert message in str(error.value)


def test_unknown_types_and_fields_are_refused():
    with pytest.raises(SpecError, match="unknown question type"):
        spec_from_json({"qtype": "hotspot", "title": "x", "text": "x"})
    with pytest.raises(SpecError, match="unknown field"):
        spec_from_json({"qtype": "essay", "title": "x", "text": "x", "colour": "red"})


def test_single_choice_with_several_full_credit_choices_accepts_any_of_them():
    # Moodle takes {=a =b ~c} as single choice with two right answers; so do we.
    spec = SingleChoiceSpec(title="s", text="Which?", choices=[
        Choice(id="a", text="softmax", fraction=1.0), Choice(id="b", text="soft-max", fraction=1.0),
        Choice(id="c", text="ReLU", fraction=0.0)])
    spec.validate()
    assert [grade(spec, {"choice": pick}).fraction for pick in "abc"] == [1.0, 1.0, 0.0]
    assert grade(spec, correct_response(spec)).state == "correct"
