"""The readable Markdown quiz format: its documented example, every type, errors with lines, round trips."""
from pathlib import Path

import pytest

from quizzes.domain import QuizFormatError, parse_gift, parse_markdown_quiz, spec_from_json, write_markdown_quiz
from tests.conftest import QUESTION_SPECS


def example_text():
    """The example in the format's documentation must import as documented."""
    doc = (Path(__file__).resolve().parents[2] / "docs" / "quiz-markdown-format.md").read_text(encoding="utf-8")
    block = "    # Attention basics" + doc.split("    # Attention basics", 1)[1].split("\nAnswers:")[0]
    return "\n".join(line[4:] for line in block.splitlines())


def test_the_documented_example_imports_every_type():
    questions = [q.spec for q in parse_markdown_quiz(example_text())]
    assert [(q.title, q.qtype) for q in questions] == [
        ("Scaling the scores", "single_choice"),
        ("Shapes", "multiple_response"),
        ("Row-wise softmax", "true_false"),
        ("The fused function", "short_answer"),
        ("Number of scores", "numeric"),
        ("Who does what", "matching"),
        ("In your own words", "essay"),
        ("Missing word", "single_choice"),
    ]
    scaling, shapes, rows, fused, number, match, essay, missing = questions
    assert [(c.text, c.fraction, c.feedback) for c in scaling.choices] == [
        ("8", 1.0, "Right, √64 = 8."), ("64", 0.0, "That is d_k itself."),
        ("4", 0.25, "Half of the square root."), ("4096", -0.5, "That is d_k squared.")]
    assert scaling.text == "What is $\\sqrt{d_k}$ when $d_k = 64$?"
    assert scaling.explanation == "Scores are divided by √d_k; see [the lesson](#why-divide-by-dk)."
    assert [c.fraction for c in shapes.choices] == [0.5, 0.5, -1.0, 0.0] and shapes.shuffle is False
    assert rows.correct is True and rows.feedback_false == "Each row belongs to one query."
    assert rows.general_feedback == "Row i holds query i's scores against every key."
    assert [(a.text, a.fraction) for a in fused.answers] == [
        ("scaled_dot_product_attention", 1.0), ("F.scaled_dot_product_attention", 1.0), ("*attention*", 0.5)]
    assert fused.case_sensitive is False
    assert number.default_mark == 2
    assert [a.to_json() for a in number.answers] == [
        {"kind": "tolerance", "value": 262144.0, "tolerance": 0.0, "fraction": 1.0, "feedback": ""},
        {"kind": "tolerance", "value": 262144.0, "tolerance": 10.0, "fraction": 1.0, "feedback": ""},
        {"kind": "range", "min": 250000.0, "max": 270000.0, "fraction": 0.5, "feedback": "Nearly: it is exactly 512²."},
        {"kind": "any", "fraction": 0.0, "feedback": "Every query is scored against every key."},
    ]
    assert [(p.left, p.right) for p in match.pairs][0] == ("Query", "what a token is looking for")
    assert match.distractors == ["the position of a token"]
    assert essay.grader_info.startswith("Full marks need")
    assert "_____" in missing.text


def test_types_are_inferred_when_left_out():
    text = ("## Q: one\nPick\n- [x] a\n- [ ] b\n\n## Q: many\nPick\n- [x] a\n- [x] b\n- [ ] c\n\n"
            "## Q: tf\nSure?\n- [ ] True\n- [x] False\n\n## Q: num\nHow many?\nanswer: 3 ± 0.5\nanswer (50%): 1..5\n\n"
            "## Q: word\nName?\nanswer: soft*\n\n## Q: pairs\nMatch\n- a => 1\n- b => 2\n")
    assert [q.spec.qtype for q in parse_markdown_quiz(text)] == [
        "single_choice", "multiple_response", "true_false", "numeric", "short_answer", "matching"]


def test_code_fences_multiline_text_and_multiline_notes():
    text = ("## Q: code\nWhat does this print?\n\n```python\n## Q: not a question\n- [x] not a choice\n```\n\n"
            "- [x] 1\n- [ ] 2\n\n> explanation: First line\n> second line\n>\n> after a gap\n")
    spec = parse_markdown_quiz(text)[0].spec
    assert "## Q: not a question" in spec.text and len(spec.choices) == 2
    assert spec.explanation == "First line\nsecond line\n\nafter a gap"


@pytest.mark.parametrize("text, line, reason", [
    ("Intro text\n## Q: a\nx\n- [x] a\n- [ ] b", 1, "text before the first question"),
    ("## Q: a\nWhat?\n- [x] a\n- [ ] b\n\n## Q: b\ntype: numeric\nHow many?\nanswer: abc\n", 9,
     "a numeric answer needs a number; got 'abc'"),
    ("## Q: a\nx\n- [x] a\nanswer: b", 4, "not a mix"),
    ("## Q: a\ntype: single\nx\n- [50%] a\n- [ ] b\n", 1, "needs a choice worth 100%"),
    ("## Q: a\ntype: hotspot\nx\n- [x] a\n", 2, "unknown type 'hotspot'"),
    ("## Q: a\nx\n- [x] a\n- [ ] b\nsomething else\n", 5, "unexpected line among the answers"),
    ("## Q: a\nOnly text\n", 1, "has no answers"),
    ("## Q: a\nmark: lots\nx\n- [x] a\n- [ ] b\n", 2, "the mark must be a number"),
    ("## Q: \nx\n", 1, "needs a name"),
    ("## Q: a\ntype: multiple\nx\n- [x] a\n- [50%] b\n- [ ] c\n", 4, "not a mix"),
    ("## Q: a\nx\n- [x] a\n- [ ] b\n> grader info: no\n", 1, "only for essay"),
])
def test_bad_files_are_rejected_with_line_and_reason(text, line, reason):
    with pytest.raises(QuizFormatError) as error:
        parse_markdown_quiz(text)
    assert error.value.line == line, error.value
    assert reason in error.value.message


def test_every_type_round_trips_through_markdown():
    specs = [spec_from_json(data) for data in QUESTION_SPECS.values()]
    text = write_markdown_quiz(specs, title="Everything")
    assert text.startswith("# Everything\n")
    assert [q.spec for q in parse_markdown_quiz(text)] == specs


def test_settings_and_awkward_values_round_trip():
    specs = [
        spec_from_json({"qtype": "multiple_response", "title": "weights", "text": "type: looks like a setting\n\nmore",
                        "text_format": "html", "category": "top/sub", "default_mark": 2.5, "shuffle": False,
                        "choices": [{"id": "a", "text": "A", "fraction": 0.7}, {"id": "b", "text": "B", "fraction": 0.3},
                                    {"id": "c", "text": "C", "fraction": -0.3333333, "feedback": "no"}]}),
        spec_from_json({"qtype": "short_answer", "title": "case", "text": "x", "case_sensitive": True,
                        "answers": [{"text": "QKV", "fraction": 1.0}, {"text": "q*", "fraction": 0.3333333}]}),
        spec_from_json({"qtype": "numeric", "title": "num", "text": "x", "answers": [
            {"kind": "tolerance", "value": -0.001, "tolerance": 1e-05}, {"kind": "range", "min": -3, "max": 2.5, "fraction": 0.5}]}),
        spec_from_json({"qtype": "matching", "title": "fmt", "text": "x", "pairs": [
            {"id": "a", "left": "<b>Q</b>", "right": "r1", "text_format": "html"}, {"id": "b", "left": "K", "right": "r2"}]}),
    ]
    assert [q.spec for q in parse_markdown_quiz(write_markdown_quiz(specs))] == specs


def test_what_the_format_cannot_hold_is_refused_on_export_not_written_wrongly():
    spec = spec_from_json({**QUESTION_SPECS["single_choice"], "choices": [
        {"id": "a", "text": "two\nlines", "fraction": 1.0}, {"id": "b", "text": "B", "fraction": 0.0}]})
    with pytest.raises(ValueError, match="several lines"):
        write_markdown_quiz([spec])
    spec = spec_from_json({**QUESTION_SPECS["essay"], "text": "Explain\n- [x] this"})
    with pytest.raises(ValueError, match="read as an answer"):
        write_markdown_quiz([spec])


def test_a_gift_file_converts_to_markdown_and_back():
    gift = ("::Q::Which? {=softmax#Yes ~relu#No ####General}\n\n::N::How many? {#=8:0.5 =%50%6..10 ~#Wrong}\n\n"
            "::S::Name {=a* =%50%b}\n\n::M::Match {=x -> 1 =y -> 2 = -> 3}\n\n::E::Write {}\n\n::T::True? {F}")
    specs = [q.spec for q in parse_gift(gift)]
    assert [q.spec for q in parse_markdown_quiz(write_markdown_quiz(specs))] == specs
