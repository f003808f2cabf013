"""Moodle's own GIFT importer fixtures (../shared/conformance/gift/): what Moodle's tests expect of each.

Skips cleanly when the shared folder is not there (a checkout without it).
"""
from pathlib import Path

import pytest

from quizzes.domain import parse_gift, parse_markdown_quiz, write_gift, write_markdown_quiz

FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "conformance" / "gift"

pytestmark = pytest.mark.skipif(not FIXTURES.is_dir(), reason=f"no GIFT conformance fixtures at {FIXTURES}")


def load(name):
    return parse_gift((FIXTURES / name).read_text(encoding="utf-8"))


def test_questions_fixture_imports_nine_questions_of_the_right_types():
    specs = [q.spec for q in load("questions.gift.txt")]
    assert [(s.title, s.qtype) for s in specs] == [
        ("Q8", "essay"),
        ("Moodle activities", "matching"),
        ("Q2", "single_choice"),
        ("colours", "multiple_response"),
        ("Q5", "numeric"),
        ("Shortanswer", "short_answer"),
        ("Q1", "true_false"),
        ("2-08 TSL", "true_false"),
        ("2-08 TSL", "true_false"),
    ]


def test_essay_and_matching_with_mixed_formats_and_a_distractor():
    essay, matching = [q.spec for q in load("questions.gift.txt")][:2]
    assert essay.text == "How are you?" and essay.text_format == "moodle"
    assert matching.text == "Match the <b>activity</b> to the description." and matching.text_format == "html"
    assert [(p.left, p.right, p.text_format) for p in matching.pairs] == [
        ("An activity supporting asynchronous discussions.", "Forum", "html"),
        ("A teacher asks a question and specifies a choice of multiple responses.", "Choice", "moodle"),
        ("A bank of record entries which participants can add to.", "Database", "plain"),
        ("A collection of web pages that anyone can add to or edit.", "Wiki", "markdown"),
    ]
    assert matching.distractors == ["Chat"]


def test_multiple_choice_and_multiple_response_weights_and_feedback():
    single, multi = [q.spec for q in load("questions.gift.txt")][2:4]
    assert [(c.text, c.fraction, c.feedback, c.text_format) for c in single.choices] == [
        ("yellow", 1.0, "right; good!", None),
        ("red", 0.0, "wrong, it's yellow", None),
        ("blue", 0.0, "wrong, it's yellow", "plain"),
    ]
    assert [(c.text, c.fraction, c.feedback) for c in multi.choices] == [
        ("yellow", 0.5, "right; good!"), ("red", -1.0, "wrong"), ("off-beige", 0.5, "right; good!"),
        ("blue", -1.0, "wrong")]
    assert multi.choices[3].text_format == "plain"


def test_numeric_three_plus_minus_two_with_a_catch_all_and_a_stray_tail_is_missing_word():
    numeric = [q.spec for q in load("questions.gift.txt")][4]
    assert [a.to_json() for a in numeric.answers] == [
        {"kind": "tolerance", "value": 3.0, "tolerance": 2.0, "fraction": 1.0, "feedback": ""},
        {"kind": "any", "fraction": 0.0, "feedback": "Completely wrong"},
    ]
    # `{…}";` — text after the block: Moodle keeps it, with a blank where the block stood.
    assert numeric.text == 'What is a number from 1 to 5? _____";'


def test_short_answer_partial_credit_and_zero_weight_wildcard():
    short = [q.spec for q in load("questions.gift.txt")][5]
    assert [(a.text, a.fraction, a.feedback) for a in short.answers] == [
        ("Frog", 1.0, "Good!"), ("Cat", 0.5, "What is it with Moodlers and cats?"), ("*", 0.0, "Completely wrong")]


def test_true_false_with_feedback_general_feedback_and_short_forms():
    tf, t, true = [q.spec for q in load("questions.gift.txt")][6:]
    assert tf.correct is False
    assert tf.feedback_true == "42 is the Ultimate Answer."  # shown to whoever wrongly answers True
    assert tf.feedback_false == "You gave the right answer."
    assert tf.general_feedback == "This is, of course, a Hitchiker's Guide to the Galaxy reference."
    assert tf.text == '42 is the Absolute Answer to everything._____";'
    assert t.correct is True and true.correct is True and t.text == "TSL is blablabla."


def test_questions_in_category_fixture():
    specs = [q.spec for q in load("questions_in_category.gift.txt")]
    assert [(s.title, s.qtype) for s in specs] == [
        ("Moodle activities", "matching"), ("Greeting", "single_choice"),
        ("Moodle user", "short_answer"), ("Moodle acronym", "true_false")]
    assert {s.category for s in specs} == {"$course$/Default for New Features"}
    greeting = specs[1]
    assert greeting.text == ('<a href="http://demo.moodle.net/file.php/5/media/bonjour.mp3">Listen to this greeting:</a>'
                             "<br /><br />What language is being spoken?")
    assert [(c.text, c.fraction) for c in greeting.choices if c.fraction] == [("French", 1.0)]
    assert greeting.choices[0].feedback == "Sorry, listen again."
    assert [(a.text, a.fraction, a.feedback) for a in specs[2].answers] == [("Moodler", 1.0, "")]
    assert specs[3].correct is True and "<span style=\"font-style: italic;\">" in specs[3].text


@pytest.mark.parametrize("name", ["questions.gift.txt", "questions_in_category.gift.txt"])
def test_fixtures_round_trip_through_both_formats(name):
    specs = [q.spec for q in load(name)]
    assert [q.spec for q in parse_gift(write_gift(specs))] == specs
    assert [q.spec for q in parse_markdown_quiz(write_markdown_quiz(specs))] == specs


@pytest.mark.parametrize("name, count", [("questions.gift.txt", 9), ("questions_in_category.gift.txt", 4)])
def test_fixtures_pass_the_whole_import_path(name, count):
    """Through the importer the upload page uses (parse, then the spec checks a saved question gets)."""
    from quizzes.services.importing import quiz_text_parse

    specs = quiz_text_parse(text=(FIXTURES / name).read_text(encoding="utf-8"), fmt="gift")
    assert len(specs) == count


def test_each_question_starts_on_the_line_after_its_comment():
    assert [q.line for q in load("questions.gift.txt")] == [2, 5, 14, 22, 31, 34, 41, 46, 49]
    assert [q.line for q in load("questions_in_category.gift.txt")] == [5, 14, 22, 27]
