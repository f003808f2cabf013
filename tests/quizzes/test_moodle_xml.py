"""Moodle XML in and out, without a database: every registered type round-trips, a Moodle-style export
(tests/quizzes/fixtures/moodle_sample.xml, written in the shape of Moodle's own exports) reads as the
same questions after a trip through our writer, and hostile files are refused naming element and line."""
from pathlib import Path

import pytest

from quizzes import domain
from quizzes.domain.moodle_xml_reading import MAX_DEPTH, MAX_ELEMENTS, MoodleXmlError, parse_moodle_xml
from quizzes.domain.moodle_xml_writing import write_moodle_xml
from quizzes.qtypes import all_qtypes
from tests.conftest import QUESTION_SPECS
from tests.quizzes.test_attention_question import SPEC as ATTENTION_SPEC

SAMPLE = (Path(__file__).parent / "fixtures" / "moodle_sample.xml").read_text(encoding="utf-8")
SAMPLES = {**QUESTION_SPECS, "attention_token": ATTENTION_SPEC}
EXTRAS = {"tags": ["week-1", "Softmax"], "hints": ["Think of rows.", "Rows **sum** to one."], "penalty": 0.1,
          "category": "$course$/top/Week 1", "explanation": "See [the lesson](#scaling)."}


def one_question(body: str, qtype: str = "shortanswer") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n<question type="{qtype}">\n'
            f"<name><text>Q</text></name>\n<questiontext format=\"html\"><text>Text?</text></questiontext>\n"
            f"{body}\n</question>\n</quiz>\n")


def refused(text: str) -> MoodleXmlError:
    with pytest.raises(MoodleXmlError) as caught:
        parse_moodle_xml(text)
    return caught.value


@pytest.mark.parametrize("qtype", [pytest.param(q, id=q.name) for q in all_qtypes()])
def test_every_type_round_trips_with_hints_tags_penalty_and_category(qtype):
    spec = domain.spec_from_json({**SAMPLES[qtype.name], **EXTRAS})
    xml = write_moodle_xml([spec])
    if qtype.moodle_name is None:  # left out, and the file says which and why
        assert "Left out of this file: 1 question(s)" in xml and spec.title in xml
        assert parse_moodle_xml(xml) == []
        return
    back = parse_moodle_xml(xml)
    assert [p.spec.to_json() for p in back] == [spec.to_json()]


def test_a_numeric_question_with_units_round_trips():
    spec = domain.spec_from_json({**QUESTION_SPECS["numeric"], "units": [
        {"unit": "m", "multiplier": 1.0}, {"unit": "km", "multiplier": 0.001}], "unit_grading": "max",
        "unit_penalty": 0.5, "units_left": False, "show_units": "select"})
    xml = write_moodle_xml([spec])
    assert "<unit_name>km</unit_name>" in xml and "<unitgradingtype>2</unitgradingtype>" in xml
    assert parse_moodle_xml(xml)[0].spec.to_json() == spec.to_json()


def test_categories_change_where_the_questions_change_them():
    specs = [domain.spec_from_json({**QUESTION_SPECS["true_false"], "category": category, "title": f"Q{i}"})
             for i, category in enumerate(["$course$/top/A", "$course$/top/A", None, "$course$/top/B"])]
    xml = write_moodle_xml(specs)
    assert xml.count('<question type="category">') == 3
    assert [p.spec.category for p in parse_moodle_xml(xml)] == ["$course$/top/A", "$course$/top/A", None, "$course$/top/B"]


def test_moodles_sample_reads_then_writes_then_reads_the_same():
    first = parse_moodle_xml(SAMPLE)
    assert [p.spec.qtype for p in first] == ["single_choice", "multiple_response", "true_false", "short_answer",
                                             "numeric", "matching", "essay"]
    again = parse_moodle_xml(write_moodle_xml(first))
    assert [p.spec.to_json() for p in again] == [p.spec.to_json() for p in first]


def test_moodles_sample_means_what_moodle_means():
    by_title = {p.spec.title: p for p in parse_moodle_xml(SAMPLE)}
    single = by_title["Softmax output"].spec
    assert single.category == "$course$/top/Attention basics" and single.default_mark == 2.0
    assert single.tags == ["softmax", "week-1"] and single.hints[1] == "All of them together."
    assert [c.fraction for c in single.choices] == [1.0, 0.0, -0.3333333] and single.text_format == "html"
    assert "<b>softmax</b>" in single.text  # CDATA kept as written
    multi = by_title["Matrices in attention"].spec
    assert multi.text_format == "moodle" and multi.penalty == 0.1 and not multi.shuffle
    assert multi.choices[1].text == "Keys & values"
    assert by_title["Scaling"].spec.text_format == "plain" and by_title["Scaling"].spec.correct is True
    numeric = by_title["Distance"].spec
    assert [u["unit"] for u in numeric.units] == ["m", "km", "cm"] and numeric.unit_grading == "mark"
    assert numeric.unit_penalty == 0.25
    matching = by_title["Shapes"].spec
    assert [p.right for p in matching.pairs] == ["n by d_k", "n by n"] and matching.distractors == ["d by d"]
    assert "variance" in by_title["Why scale?"].spec.grader_info
    assert by_title["Softmax output"].line == 15  # the <question> element's line, for messages


# --- units, graded as Moodle grades them --------------------------------------------------------------
def distance(**settings):
    return domain.spec_from_json({
        "qtype": "numeric", "title": "Distance", "text": "How far, in metres?",
        "answers": [{"kind": "tolerance", "value": 1500.0, "tolerance": 0.0, "fraction": 1.0, "feedback": ""},
                    {"kind": "tolerance", "value": 1500.0, "tolerance": 100.0, "fraction": 0.5, "feedback": ""}],
        "units": [{"unit": "m", "multiplier": 1.0}, {"unit": "km", "multiplier": 0.001},
                  {"unit": "cm", "multiplier": 100.0}], **settings})


@pytest.mark.parametrize("typed", ["1500 m", "1500m", "1.5 km", "1.5km", "150000 cm", "1,500.0 m", "1.5e3 m", "1.5x10^3 m"])
def test_a_known_unit_is_converted_with_its_multiplier(typed):
    from quizzes.qtypes import grade

    assert grade(distance(unit_grading="mark", unit_penalty=0.2), {"value": typed}).fraction == 1.0


@pytest.mark.parametrize("grading, typed, expected", [
    ("optional", "1500", 1.0),        # units not graded: no penalty
    ("optional", "1500 ft", 1.0),     # an unknown unit is ignored too
    ("mark", "1500", 0.8),            # missing unit: 20 % of the mark earned
    ("mark", "1450 m", 0.5),          # a known unit: the partial answer, no penalty
    ("mark", "1450", 0.4),            # 0.5 - 20 % of 0.5
    ("max", "1450", 0.3),             # 0.5 - 20 % of full marks
    ("max", "1500 mm", 0.8),          # "mm" is not "m": unknown, penalised, value taken as written
    ("mark", "1.5 Km", 0.0),          # units are case-sensitive, as in Moodle: 1.5 is nowhere near 1500
])
def test_a_missing_or_unknown_unit_costs_the_unit_penalty(grading, typed, expected):
    from quizzes.qtypes import grade

    result = grade(distance(unit_grading=grading, unit_penalty=0.2), {"value": typed})
    assert result.fraction == pytest.approx(expected)
    if 0 < expected < 1 and grading != "optional" and "m" not in typed.split()[-1:]:
        assert any(f.part == "unit" for f in result.feedback)


def test_units_on_the_left_and_the_right_answer_carries_the_first_unit():
    from quizzes.qtypes import correct_response, grade

    spec = domain.spec_from_json({"qtype": "numeric", "title": "Price", "text": "How much?", "answers": [
        {"kind": "tolerance", "value": 3.0, "tolerance": 0.0, "fraction": 1.0, "feedback": ""}],
        "units": [{"unit": "$", "multiplier": 1.0}, {"unit": "¢", "multiplier": 100.0}], "units_left": True,
        "unit_grading": "mark", "unit_penalty": 0.5})
    assert correct_response(spec) == {"value": "$ 3"}
    assert grade(spec, {"value": "$3"}).fraction == 1.0 and grade(spec, {"value": "¢300"}).fraction == 1.0
    assert grade(spec, {"value": "3"}).fraction == 0.5


def test_a_question_without_units_grades_as_before_and_stores_no_unit_fields():
    spec = domain.spec_from_json(QUESTION_SPECS["numeric"])
    assert not {"units", "unit_grading", "unit_penalty", "units_left", "show_units"} & spec.to_json().keys()
    from quizzes.qtypes import grade

    assert grade(spec, {"value": "8 frogs"}).fraction == 1.0  # a unit word stays optional, as today


@pytest.mark.parametrize("units, code", [
    ([{"unit": "km", "multiplier": 0.001}], "bad_multiplier"),       # the first unit must be the answers' unit
    ([{"unit": "m", "multiplier": 1}, {"unit": "m", "multiplier": 2}], "duplicate_unit"),
    ([{"unit": "m", "multiplier": 1}, {"unit": "12", "multiplier": 2}], "bad_unit"),
    ([{"unit": "m", "multiplier": 1}, {"unit": "x", "multiplier": 0}], "bad_multiplier"),
    ([{"unit": "m"}], "missing_field"),
])
def test_bad_units_are_refused(units, code):
    spec = domain.spec_from_json({**QUESTION_SPECS["numeric"], "units": units})
    with pytest.raises(domain.SpecError) as caught:
        spec.validate()
    assert caught.value.code == code


def test_gift_says_it_cannot_carry_units_and_markdown_carries_them():
    from quizzes.domain.gift_writer import write_gift_file

    spec = distance(unit_grading="max", unit_penalty=0.25, units_left=True, show_units="radio")
    assert "GIFT cannot carry units" in write_gift_file([spec])
    markdown = domain.write_markdown_quiz([spec])
    assert "units: m, km = 0.001, cm = 100\nunit penalty: 25% of full marks\nunits left: yes\nunits shown: radio" in markdown
    assert domain.parse_markdown_quiz(markdown)[0].spec.to_json() == spec.to_json()


@pytest.mark.parametrize("line, words", [
    ("units: m, km = lots", "multiplier of the unit 'km'"),
    ("unit penalty: a lot", "'25% of the mark'"),
    ("units left: maybe", "yes or no"),
    ("units shown: dropdown", "input, radio, select, none"),
    ("units: km = 0.001", "its multiplier must be 1"),
])
def test_bad_unit_lines_in_markdown_name_their_line(line, words):
    text = f"## Q: Distance\ntype: numeric\n{line}\nHow far?\n\nanswer: 1500\n"
    with pytest.raises(domain.QuizFormatError) as caught:
        domain.parse_markdown_quiz(text)
    assert words in caught.value.message and caught.value.line in (1, 3)


def test_units_lines_are_only_for_numeric_questions():
    with pytest.raises(domain.QuizFormatError, match="only for numeric"):
        domain.parse_markdown_quiz("## Q: Name\ntype: short\nunits: m\nName it.\n\nanswer: softmax\n")


# --- hostile and broken files ---------------------------------------------------------------------------
BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE quiz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<quiz>&lol3;</quiz>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<quiz><question type="shortanswer"><name><text>&secret;</text></name></question></quiz>
"""


@pytest.mark.parametrize("text, line, words", [
    (BILLION_LAUGHS, 2, "DOCTYPE"),
    (EXTERNAL, 2, "DOCTYPE"),
    ('<?xml version="1.0"?>\n<!DOCTYPE quiz SYSTEM "http://example.com/quiz.dtd">\n<quiz/>', 2, "DOCTYPE"),
    ('<?xml version="1.0"?>\n<questions>\n</questions>', 2, "<questions>"),
    ('<quiz>\n<question type="shortanswer">\n<name>', 3, "not well-formed"),
    ('<?xml version="1.0" encoding="ISO-8859-1"?>\n<quiz/>', 1, "UTF-8"),
    ('<quiz>\n<category/>\n</quiz>', 2, "<category>"),
    (one_question("", "calculated"), 3, 'type="calculated"'),
    (one_question("", "description"), 3, "description"),
    (one_question('<answer fraction="37"><text>softmax</text></answer>'), 6, 'fraction="37"'),
    (one_question('<answer fraction="abc"><text>softmax</text></answer>'), 6, "not a number"),
    (one_question('<answer fraction="-50"><text>softmax</text></answer>'), 6, 'fraction="-50"'),
    (one_question(""), 3, "at least 1 <answer>"),
    (one_question('<answer fraction="100"><text>1</text></answer>', "multichoice"), 3, "at least 2"),
    (one_question('<answer fraction="100"><text>x</text></answer>', "numerical"), 6, "number or *"),
    (one_question('<answer fraction="100"><text>maybe</text></answer><answer fraction="0"><text>false</text>'
                  '</answer>', "truefalse"), 6, "true"),
    (one_question('<answer fraction="100" format="word"><text>1</text></answer><answer><text>2</text></answer>',
                  "multichoice"), 6, "format 'word'"),
    (one_question('<answer fraction="50"><text>soft</text></answer>'), 3, "100%"),
    (one_question('<defaultgrade>lots</defaultgrade><answer fraction="100"><text>a</text></answer>'), 6,
     "'lots' is not a number"),
])
def test_a_bad_file_is_refused_naming_the_element_and_line(text, line, words):
    error = refused(text)
    assert error.line == line, error
    assert words in error.message


def test_deep_nesting_is_refused_before_it_costs_anything():
    deep = "<quiz>" + "<a>" * 10_000 + "</a>" * 10_000 + "</quiz>"
    error = refused(deep)
    assert error.line == 1 and f"more than {MAX_DEPTH}" in error.message


def test_too_many_elements_are_refused_while_reading():
    error = refused("<quiz>\n" + "<x/>" * MAX_ELEMENTS + "\n</quiz>")
    assert error.line == 2 and f"more than {MAX_ELEMENTS:,} elements" in error.message


def test_a_file_over_the_size_limit_is_refused():
    big = one_question("<answer fraction=\"100\"><text>a</text></answer>" + "<x/>" * 2_600_000)
    assert len(big.encode()) > 10_000_000
    assert "larger than" in refused(big).message


def test_nul_and_control_characters_are_removed_not_stored():
    text = one_question('<answer fraction="100"><text>soft\x00max\x07</text></answer>').replace("Text?", "Te\x00xt?")
    spec = parse_moodle_xml(text)[0].spec
    assert spec.text == "Text?" and spec.answers[0].text == "softmax"


def test_a_control_character_in_a_stored_spec_never_reaches_the_written_file():
    spec = domain.spec_from_json({**QUESTION_SPECS["essay"], "text": "Explain\x0c the \x1bscaling."})
    xml = write_moodle_xml([spec])
    assert "\x0c" not in xml and "\x1b" not in xml
    assert parse_moodle_xml(xml)[0].spec.text == "Explain the scaling."
