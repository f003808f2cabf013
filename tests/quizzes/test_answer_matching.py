"""Short-answer and numeric matching: Moodle's own unit cases (as data) and our forgiving additions.

Cases come from moodle/moodle question/type/shortanswer/tests/question_test.php and
question/type/numerical/tests/{answer_test,answerprocessor_test}.php; Moodle's (string, pattern)
order is rewritten here as (pattern, response).
"""
import pytest

from quizzes.qtypes import grade
from quizzes.domain.grading import numeric_answer_matches, short_answer_matches
from quizzes.qtypes import correct_response
from quizzes.domain.spec import NumericAnswer, spec_from_json

# (accepted answer, response, case_sensitive, expected)
MOODLE_SHORTANSWER = [
    ("Frog", "Frog", True, True),
    ("Frog", "frog", True, False),
    ("Frog", "   Frog   ", True, True),
    ("Frog", "Frogs", True, False),
    ("Frog", "frog", False, True),
    ("Frog", "   FROG   ", False, True),
    ("Frog", "Frogs", False, False),
    ("F*og", "Frog", True, True),
    ("F*og", "Fog", True, True),
    ("F*og", "   Fat dog   ", True, True),
    ("F*og", "Frogs", True, False),
    ("F*og", "Fg", True, False),
    ("F*og", "frog", True, False),
    ("F*og", "   fat dog   ", True, False),
    ("F*og", "Frog", False, True),
    ("F*og", "Fog", False, True),
    ("F*og", "   Fat dog   ", False, True),
    ("F*og", "Frogs", False, False),
    ("F*og", "Fg", False, False),
    ("F*og", "frog", False, True),
    ("F*og", "   fat dog   ", False, True),
    ("\\*", "   *   ", True, True),
    ("\\*", "*", True, True),
    ("Frog\\*toad", "Frog*toad", True, True),
    ("[a-z]", "a", True, False),
    ("[a-z]", "[a-z]", True, True),
    ("\\{}/", "\\{}/", False, True),
    ("Itálie", "ITÁLIE", False, True),
    ("DÉPART", "départ", False, True),
    ("DÉPART", "départ", True, False),
    ("de\u0301part", "d\u00e9part", True, True),
    ("DE\u0301PART", "d\u00e9part", False, True),
    ("0", "0", True, True),
    ("0*", "0", True, True),
    ("*0", "0", True, True),
    ("*0*", "0", True, True),
    ("*" * 35 + "<em>" + "*" * 35 + "</em>", "<em></em>", True, True),
]

FORGIVING = [
    ("W_O", "W^O", True),
    ("W_O", "W^{O}", True),
    ("W_O", "W_{O}", True),
    ("W_O", "wₒ", True),  # a subscript letter reads as W_o
    ("WO", "W^O", False),  # forgiving, not blind: "W O" is not "WO"
    ("x^2", "x²", True),
    ("-inf", "−∞", True),
    ("-inf", "∞", False),  # the sign still counts
    ("integrated gradients", "integrated-gradients", True),
    ("integrated gradients", "integrated_gradients", True),
    ("F.scaled_dot_product_attention", "F.scaled_dot_product_attention()", True),
    ("softmax", "Softmax.", True),
    ("softmax", "  soft max  ", False),
    ("soft max", "soft   max", True),
    ("big *", "bigger", False),
    ("* dog", "hotdog", False),
    ("* dog", "hot dog", True),
]


@pytest.mark.parametrize(("pattern", "response", "case_sensitive", "expected"), MOODLE_SHORTANSWER)
def test_short_answer_matches_as_moodle(pattern, response, case_sensitive, expected):
    assert bool(short_answer_matches(pattern, response, case_sensitive=case_sensitive)) is expected


@pytest.mark.parametrize(("pattern", "response", "expected"), FORGIVING)
def test_short_answer_forgives_what_does_not_change_the_meaning(pattern, response, expected):
    assert short_answer_matches(pattern, response) is expected


def test_many_stars_cannot_stall_grading():
    # A backtracking regex takes longer than the universe has left for this (~20000^70 paths); the
    # piece matcher does 70 finds, so the test finishes at once or hangs the run.
    pattern = "a" + "*a" * 70 + "b"
    assert short_answer_matches(pattern, "a" * 20000) is False
    assert short_answer_matches(pattern, "a" * 20000 + "b") is True
    assert short_answer_matches("*" * 70, "anything") is True


def test_correct_response_unescapes_a_literal_star():
    spec = spec_from_json({"qtype": "short_answer", "title": "Star", "text": "?", "answers": [{"text": "x\\*y", "fraction": 1}]})
    assert correct_response(spec) == {"text": "x*y"}
    assert grade(spec, {"text": "x*y"}).fraction == 1.0


# (value, tolerance, response value, expected) from answer_test.php (nominal tolerances)
MOODLE_TOLERANCE = [
    (7.0, 1.0, 5.99, False), (7.0, 1.0, 6, True), (7.0, 1.0, 7, True), (7.0, 1.0, 8, True),
    (7.0, 1.0, 8.01, False),
    (1e-20, 0.0, 0.9999999e-20, False), (1e-20, 0.0, 1e-20, True), (1e-20, 0.0, 1.0000001e-20, False),
    (0.0, 1e-24, -2e-24, False), (0.0, 1e-24, -1e-24, True), (0.0, 1e-24, 0, True),
    (0.0, 1e-24, 1e-24, True), (0.0, 1e-24, 2e-24, False),
    (0.0, 1e-24, -1e-20, False), (0.0, 1e-24, -1e-35, True), (0.0, 1e-24, 1e-35, True),
    (0.0, 1e-24, 1e-20, False),
    (1e-20, 1e-24, 1.0002e-20, False), (1e-20, 1e-24, 1.0001e-20, True), (1e-20, 1e-24, 1e-20, True),
    (1234, 0.0, 1234, True), (1234, 0.0, 1234.000001, False), (1234, 0.0, 0, False),
    (0.3, 0.0, 0.1 + 0.2, True),  # float noise is not a wrong answer
]


@pytest.mark.parametrize(("value", "tolerance", "response", "expected"), MOODLE_TOLERANCE)
def test_tolerance_as_moodle(value, tolerance, response, expected):
    answer = NumericAnswer(kind="tolerance", value=value, tolerance=tolerance)
    assert numeric_answer_matches(answer, response) is expected


def _numeric(answer: float, *, text: str = "How much?", tolerance: float = 0.0) -> dict:
    return {"qtype": "numeric", "title": "Number", "text": text,
            "answers": [{"kind": "tolerance", "value": answer, "tolerance": tolerance, "fraction": 1}]}


# (typed, value it means) from answerprocessor_test.php, the unit-free and percent cases
MOODLE_PARSE = [
    ("3.142", 3.142), (".2", 0.2), ("1.", 1.0), ("1.0", 1.0), ("-1.", -1.0), ("+1.0", 1.0),
    ("1e4", 1e4), ("3.142E-4", 3.142e-4), (".2e+2", 20.0), ("1.e-1", 0.1), ("1.0e0", 1.0),
    ("3x10^8", 3e8), ("3×10^8", 3e8), ("3.0*10^8", 3e8), ("3.00x10**-8", 3e-8), ("0.001×10**7", 1e4),
    ("1,000,000", 1e6), ("1,000.00", 1000.0), ("0001.000", 1.0), ("-1 000", -1000.0),
    ("3,14159", 3.14159), ("−2.5", -2.5),
    # units are optional here (our questions define none): the number before them counts
    ("1m", 1.0), ("3.142 m", 3.142), (".2m", 0.2), ("1.cm", 1.0), ("1.0   cm", 1.0), ("-1.m", -1.0),
    ("1e4 m", 1e4), ("3.142E-4  cm", 3.142e-4), (".2e+2m", 20.0), ("1.e-1 m", 0.1), ("1,000.00 m", 1000.0),
    ("3 frogs", 3.0), ("3x10^8 m/s", 3e8), ("0001.000 mph", 1.0),
]


@pytest.mark.parametrize(("typed", "value"), MOODLE_PARSE)
def test_numeric_response_read_as_moodle(typed, value):
    assert grade(_numeric(value), {"value": typed}).fraction == 1.0


@pytest.mark.parametrize("typed", ["frog", ". m", ".e8 m", ",", ".", "inf", "nan", "1e999", "abc m", "m 3"])
def test_not_a_number_is_wrong_with_a_message(typed):
    result = grade(_numeric(1.0), {"value": typed})
    assert result.fraction == 0.0
    assert "is not a number" in result.feedback[0].text


def test_percent_sign_is_the_unit_when_the_question_asks_for_a_percentage():
    asks_percent = _numeric(15, text="Roughly what percentage of tokens are hidden?")
    assert grade(asks_percent, {"value": "15%"}).fraction == 1.0
    assert grade(asks_percent, {"value": "15 %"}).fraction == 1.0
    assert grade(asks_percent, {"value": "15"}).fraction == 1.0
    # Where the answer is a plain number, 15% means 0.15 (Moodle's '%' => 100 unit).
    assert grade(_numeric(0.15, text="What fraction is hidden?"), {"value": "15%"}).fraction == 1.0
    assert grade(_numeric(15, text="What fraction is hidden?"), {"value": "15%"}).fraction == 0.0
