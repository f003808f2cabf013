"""Numeric grading with units and tolerance types, checked against the behaviour Moodle's own unit tests pin.

The cases restate, as our own data, what moodle/moodle's question/type/numerical/tests (question_test,
answer_test, answerprocessor_test) expect: which mark a typed response earns for a question with
units, what a response is worth in the question's first unit, and where each tolerance type ends.
"""
import pytest

from quizzes.domain import numeric_units
from quizzes.domain.answer_matching import within_tolerance
from quizzes.domain.spec import spec_from_json
from quizzes.qtypes import grade


def _question(answers, units, *, grading="optional", penalty=0.1, units_left=False):
    return spec_from_json({"qtype": "numeric", "title": "Units", "text": "How far?", "answers": answers,
                           "units": [{"unit": name, "multiplier": multiplier} for name, multiplier in units],
                           "unit_grading": grading, "unit_penalty": penalty, "units_left": units_left})


def _answer(value, tolerance, fraction):
    return {"kind": "tolerance", "value": value, "tolerance": tolerance, "fraction": fraction}


# Two decimals of pi; a more precise and two rougher answers that earn nothing, then anything else.
PI_ANSWERS = [_answer(3.14, 0, 1), _answer(3.142, 0.005, 0), _answer(3.1, 0.05, 0), _answer(3, 0.5, 0),
              {"kind": "any", "fraction": 0}]
METRES = [("m", 1), ("cm", 100)]

# (unit grading, typed, mark) with a penalty of 20 %
PI_WITH_UNITS = [
    ("optional", "3.14 frogs", 1.0),
    ("optional", "3.14", 1.0),
    ("optional", "3.14 m", 1.0),
    ("optional", "314cm", 1.0),
    ("optional", "314000000x10^-8m", 1.0),
    ("mark", "3.14 frogs", 0.8),
    ("mark", "3.14", 0.8),
    ("mark", "3.14 m", 1.0),
    ("mark", "314cm", 1.0),
    ("mark", "314000000x10^-8m", 1.0),
    ("mark", "3.14 cm", 0.8),  # right number, wrong known unit: the number as typed, less the penalty
    ("mark", "314 m", 0.0),  # neither 314 m nor 314 (as typed) is near 3.14
    ("max", "3.14 cm", 0.8),
    ("max", "0.0314 m", 0.0),
]


@pytest.mark.parametrize(("grading", "typed", "mark"), PI_WITH_UNITS)
def test_pi_with_units(grading, typed, mark):
    question = _question(PI_ANSWERS, METRES, grading=grading, penalty=0.2)
    assert grade(question, {"value": typed}).fraction == pytest.approx(mark)


def test_a_known_unit_counted_wrong_says_which_unit_cost_the_mark():
    result = grade(_question(PI_ANSWERS, METRES, grading="mark", penalty=0.2), {"value": "3.14 cm"})
    assert [f.part for f in result.feedback] == ["unit"]
    assert "'cm'" in result.feedback[0].text and "penalty" in result.feedback[0].text


# 1.25 m exactly for full marks, within 5 cm for half; a wrong unit costs half the mark earned.
LENGTH_ANSWERS = [_answer(1.25, 0, 1), _answer(1.25, 0.05, 0.5), {"kind": "any", "fraction": 0}]
LENGTH = [
    ("2 m", 0.0), ("2 cm", 0.0), ("2", 0.0),
    ("1.25 m", 1.0), ("125 cm", 1.0), ("1.25", 0.5),
    ("1.23 m", 0.5), ("123 cm", 0.5), ("1.23", 0.25),
]


@pytest.mark.parametrize(("typed", "mark"), LENGTH)
def test_length_in_metres_or_centimetres(typed, mark):
    question = _question(LENGTH_ANSWERS, METRES, grading="mark", penalty=0.5)
    assert grade(question, {"value": typed}).fraction == pytest.approx(mark)


# $1332, the unit written first; a missing or unknown unit costs 20 % of full marks.
DOLLARS = [
    ("$1332", 1.0), ("$ 1332", 1.0), ("frog 1332", 0.8), ("1332", 0.8), (" 1332", 0.8),
    ("1332 $", 0.0),  # with the unit first, nothing may follow the number
    ("1332 frogs", 0.0),
    ("$1", 0.0),
]


@pytest.mark.parametrize(("typed", "mark"), DOLLARS)
def test_dollars_written_before_the_number(typed, mark):
    question = _question([_answer(1332, 0, 1), {"kind": "any", "fraction": 0}], [("$", 1)], grading="max",
                         penalty=0.2, units_left=True)
    assert grade(question, {"value": typed}).fraction == pytest.approx(mark)


SPEEDS = [("m/s", 1), ("c", 3.3356409519815e-9), ("mph", 2.2369362920544)]
CURRENCIES = [("$", 1), ("£", 1)]
# (units, written first, typed, value in the first unit, unit read, whether the unit is one of the question's)
READINGS = [
    (SPEEDS, False, "3x10^8 m/s", 3e8, "m/s", True),
    (SPEEDS, False, "3x10^8", 3e8, "", False),
    (SPEEDS, False, "1c", 299792458, "c", True),
    (SPEEDS, False, "0001.000 mph", 0.44704, "mph", True),
    (SPEEDS, False, "1 frogs", 1, "frogs", False),
    (CURRENCIES, True, "£1,234.56", 1234.56, "£", True),
    (CURRENCIES, True, "$100", 100, "$", True),
    (CURRENCIES, True, "$100.", 100, "$", True),
    (CURRENCIES, True, "$100.00", 100, "$", True),
    (CURRENCIES, True, "100", 100, "", False),
    (CURRENCIES, True, "frog 100", 100, "frog", False),
]


@pytest.mark.parametrize(("units", "left", "typed", "value", "unit", "known"), READINGS)
def test_a_response_read_in_the_first_unit(units, left, typed, value, unit, known):
    reading = numeric_units.read_with_units(typed, _question([_answer(1, 0, 1)], units, units_left=left))
    assert (reading.value, reading.unit, reading.known) == (pytest.approx(value, rel=1e-6), unit, known)


@pytest.mark.parametrize(("units", "left", "typed"), [(SPEEDS, False, t) for t in (". m/s", "", "    ", "m/s")]
                         + [(CURRENCIES, True, t) for t in ("$", "100 frogs", "$abc")])
def test_no_number_is_no_reading(units, left, typed):
    with pytest.raises(ValueError):
        numeric_units.read_with_units(typed, _question([_answer(1, 0, 1)], units, units_left=left))


# (answer, tolerance, tolerance type, response, within)
TOLERANCE_TYPES = [
    (7.0, 0.1, "relative", 6.29, False), (7.0, 0.1, "relative", 6.3, True), (7.0, 0.1, "relative", 7, True),
    (7.0, 0.1, "relative", 7.7, True), (7.0, 0.1, "relative", 7.71, False),
    (7.0, 1.0, "geometric", 3.49, False), (7.0, 1.0, "geometric", 3.5, True), (7.0, 1.0, "geometric", 7, True),
    (7.0, 1.0, "geometric", 14, True), (7.0, 1.0, "geometric", 14.01, False),
    (-7.0, 1.0, "geometric", -3.49, False), (-7.0, 1.0, "geometric", -3.5, True),
    (-7.0, 1.0, "geometric", -7, True), (-7.0, 1.0, "geometric", -14, True),
    (-7.0, 1.0, "geometric", -14.01, False),
    (7.0, 1.0, "nominal", 5.99, False), (7.0, 1.0, "nominal", 6, True), (7.0, 1.0, "nominal", 8, True),
    (7.0, -1.0, "nominal", 8, True),  # a negative tolerance counts as its size
]


@pytest.mark.parametrize(("answer", "tolerance", "kind", "response", "within"), TOLERANCE_TYPES)
def test_tolerance_types(answer, tolerance, kind, response, within):
    assert within_tolerance(response, answer, tolerance, tolerance_type=kind) is within


def test_an_unknown_tolerance_type_is_refused():
    with pytest.raises(ValueError, match="relative, nominal, geometric"):
        within_tolerance(1, 1, 0, tolerance_type="absolute")
