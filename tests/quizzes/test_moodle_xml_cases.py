"""Moodle XML import, one question per case, against what Moodle's qformat_xml reads from the same element.

The cases restate, with our own data, the import cases of moodle/moodle
question/format/xml/tests/xmlformat_test.php: each type's fields, tags, hints, penalty, a `*` answer with
an empty tolerance, and `moodle_auto_format` read as Moodle's own format.
"""
import pytest

from quizzes.domain.moodle_xml_reading import MoodleXmlError, parse_moodle_xml
from quizzes.domain.moodle_xml_writing import write_moodle_xml
from quizzes.qtypes import grade


def _read(question: str):
    questions = parse_moodle_xml(f'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n{question}\n</quiz>\n')
    assert len(questions) == 1
    return questions[0].spec


def _frame(qtype: str, body: str, *, text_format: str = "html", penalty: str = "0.3333333", grade_: str = "1") -> str:
    return (f'<question type="{qtype}"><name><text>Case</text></name>'
            f'<questiontext format="{text_format}"><text>Which one?</text></questiontext>'
            f"<generalfeedback><text>Because.</text></generalfeedback><defaultgrade>{grade_}</defaultgrade>"
            f"<penalty>{penalty}</penalty><hidden>0</hidden>{body}</question>")


def _answer(text: str, fraction: str, feedback: str = "", extra: str = "") -> str:
    return f'<answer fraction="{fraction}"><text>{text}</text><feedback><text>{feedback}</text></feedback>{extra}</answer>'


def _tags(*names: str) -> str:
    return "<tags>" + "".join(f"<tag><text>{name}</text></tag>" for name in names) + "</tags>"


# (case, question element, expected fields of the imported spec)
CASES = [
    ("essay, Moodle's own text format, tags", _frame("essay", _tags("essays", "week-2"), text_format="moodle_auto_format",
                                                     penalty="0"),
     {"qtype": "essay", "text_format": "moodle", "penalty": 0.0, "tags": ["essays", "week-2"],
      "general_feedback": "Because."}),
    ("essay with grader information", _frame("essay", '<responseformat>monospaced</responseformat>'
                                           '<graderinfo format="html"><text><![CDATA[<p>Be <b>kind</b>.</p>]]></text>'
                                           "</graderinfo>"),
     {"qtype": "essay", "grader_info": "<p>Be <b>kind</b>.</p>"}),
    ("matching, an empty left side is a distractor", _frame("matching", "<shuffleanswers>false</shuffleanswers>" + "".join(
        f"<subquestion><text>{left}</text><answer><text>{right}</text></answer></subquestion>"
        for left, right in (("Q", "query"), ("K", "key"), ("", "value"))) + "<hint><text>Rows.</text><shownumcorrect/></hint>"
        + _tags("matching")),
     {"qtype": "matching", "pairs": [("Q", "query"), ("K", "key")], "distractors": ["value"], "hints": ["Rows."],
      "tags": ["matching"]}),
    ("multiple response, shuffle off, mark 2, two hints", _frame("multichoice", "<single>false</single>"
                                                                "<shuffleanswers>false</shuffleanswers>"
        + _answer("1", "0") + _answer("2", "50") + _answer("3", "0") + _answer("4", "50")
        + "<hint><text>Even.</text></hint><hint><text>Two of them.</text></hint>", grade_="2"),
     {"qtype": "multiple_response", "shuffle": False, "default_mark": 2.0, "hints": ["Even.", "Two of them."],
      "fractions": [0.0, 0.5, 0.0, 0.5]}),
    ("single choice", _frame("multichoice", "<single>true</single>" + _answer("softmax", "100", "Yes.")
                             + _answer("sigmoid", "0", "No.")),
     {"qtype": "single_choice", "fractions": [1.0, 0.0], "feedbacks": ["Yes.", "No."]}),
    ("numerical, `*` with an empty tolerance", _frame("numerical", _answer("42", "100", "Well done!", "<tolerance>0.001"
                                                                          "</tolerance>")
        + _answer("13", "0", "Really?", "<tolerance>1</tolerance>") + _answer("*", "0", "No.", "<tolerance></tolerance>"),
        penalty="0.1"),
     {"qtype": "numeric", "penalty": 0.1, "answers": [("tolerance", 42.0, 0.001, 1.0), ("tolerance", 13.0, 1.0, 0.0),
                                                      ("any", None, 0.0, 0.0)]}),
    ("short answer, case ignored, wildcard", _frame("shortanswer", "<usecase>0</usecase>"
        + _answer("Beta", "100", "Well done!") + _answer("*", "0", "Doh!")
        + "<hint><text>Greek.</text></hint><hint><text>Second letter.</text></hint>"),
     {"qtype": "short_answer", "case_sensitive": False, "texts": ["Beta", "*"], "fractions": [1.0, 0.0],
      "hints": ["Greek.", "Second letter."]}),
    ("short answer, case matters", _frame("shortanswer", "<usecase>1</usecase>" + _answer("QKV", "100")),
     {"qtype": "short_answer", "case_sensitive": True}),
    ("true/false, true right", _frame("truefalse", _answer("true", "100", "Well done!") + _answer("false", "0", "Doh!"),
                                      penalty="1"),
     {"qtype": "true_false", "correct": True, "penalty": 1.0, "feedback_true": "Well done!", "feedback_false": "Doh!"}),
    ("true/false, false right, answers in Moodle's own format",
     _frame("truefalse", '<answer fraction="0" format="moodle_auto_format"><text>true</text><feedback format="html">'
            '<text>No.</text></feedback></answer><answer fraction="100" format="moodle_auto_format"><text>false</text>'
            '<feedback format="html"><text>Yes.</text></feedback></answer>', penalty="1.0000000"),
     {"qtype": "true_false", "correct": False, "feedback_true": "No.", "feedback_false": "Yes."}),
]


def _fields(spec) -> dict:
    fields = {name: getattr(spec, name) for name in ("qtype", "text_format", "penalty", "tags", "general_feedback",
                                                    "grader_info", "distractors", "hints", "shuffle", "default_mark",
                                                    "case_sensitive", "correct", "feedback_true", "feedback_false")
              if hasattr(spec, name)}
    if hasattr(spec, "pairs"):
        fields["pairs"] = [(p.left, p.right) for p in spec.pairs]
    parts = getattr(spec, "choices", None) or (spec.answers if spec.qtype == "short_answer" else None)
    if parts is not None:
        fields["fractions"] = [p.fraction for p in parts]
        fields["feedbacks"] = [p.feedback for p in parts]
        fields["texts"] = [p.text for p in parts]
    if spec.qtype == "numeric":
        fields["answers"] = [(a.kind, a.value, a.tolerance, a.fraction) for a in spec.answers]
    return fields


@pytest.mark.parametrize(("question", "expected"), [pytest.param(q, e, id=name) for name, q, e in CASES])
def test_an_import_case_reads_as_moodle_reads_it(question, expected):
    fields = _fields(_read(question))
    assert {name: fields.get(name) for name in expected} == expected


@pytest.mark.parametrize(("question", "expected"), [pytest.param(q, e, id=name) for name, q, e in CASES])
def test_an_import_case_survives_our_export(question, expected):
    spec = _read(question)
    assert parse_moodle_xml(write_moodle_xml([spec]))[0].spec == spec


def test_multiple_response_weights_over_100_percent_are_refused_as_moodle_refuses_to_save_them():
    # Moodle's importer reads <single>false</single> with two answers at 100 %, then its save step stops
    # with "the positive grades do not add up to 100%"; here the import says so before saving anything.
    question = _frame("multichoice", "<single>false</single>" + _answer("2", "100") + _answer("4", "100")
                      + _answer("3", "0"))
    with pytest.raises(MoodleXmlError, match="add up to 100%"):
        _read(question)


def test_units_imported_from_xml_grade_as_moodle_grades_them():
    units = ("<unitgradingtype>1</unitgradingtype><unitpenalty>0.5000000</unitpenalty><showunits>1</showunits>"
             "<unitsleft>0</unitsleft><units><unit><multiplier>1</multiplier><unit_name>m</unit_name></unit>"
             "<unit><multiplier>100</multiplier><unit_name>cm</unit_name></unit></units>")
    spec = _read(_frame("numerical", _answer("1.25", "100", extra="<tolerance>0</tolerance>")
                        + _answer("1.25", "50", extra="<tolerance>0.05</tolerance>") + units))
    marks = {typed: grade(spec, {"value": typed}).fraction for typed in
             ("1.25 m", "125 cm", "1.25", "1.23 m", "123 cm", "1.23", "1.25 cm", "2 m")}
    assert marks == {"1.25 m": 1.0, "125 cm": 1.0, "1.25": 0.5, "1.23 m": 0.5, "123 cm": 0.5, "1.23": 0.25,
                     "1.25 cm": 0.5, "2 m": 0.0}
