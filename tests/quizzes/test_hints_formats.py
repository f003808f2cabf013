"""Hints and the penalty in the Markdown format (read, written, round trip) and in GIFT (an '@attentive'
comment: GIFT has no syntax for them, so Moodle imports the question without them)."""
import pytest

from quizzes.domain import spec_from_json
from quizzes.domain.gift import parse_gift
from quizzes.domain.gift_writer import write_gift
from quizzes.domain.markdown_format import QuizFormatError, parse_markdown_quiz, write_markdown_quiz
from tests.conftest import QUESTION_SPECS

MARKDOWN = """## Q: Normaliser
penalty: 25%
Which function normalises scores?

- [ ] ReLU
- [x] Softmax

> hint: It turns scores into **probabilities**.
> hint: Its outputs sum to one.
> And it is smooth.
"""


def test_markdown_reads_hint_notes_in_order_and_the_penalty():
    spec = parse_markdown_quiz(MARKDOWN)[0].spec
    assert spec.hints == ["It turns scores into **probabilities**.", "Its outputs sum to one.\nAnd it is smooth."]
    assert spec.penalty == 0.25


@pytest.mark.parametrize("qtype", list(QUESTION_SPECS))
def test_hints_and_penalty_survive_a_markdown_round_trip_for_every_type(qtype):
    spec = spec_from_json(dict(QUESTION_SPECS[qtype], hints=["First *hint*", "Second\nover two lines"], penalty=0.1))
    again = parse_markdown_quiz(write_markdown_quiz([spec]))[0].spec
    assert again.hints == spec.hints and again.penalty == pytest.approx(0.1)


def test_the_default_penalty_and_no_hints_write_nothing():
    text = write_markdown_quiz([spec_from_json(QUESTION_SPECS["single_choice"])])
    assert "penalty:" not in text and "> hint:" not in text


@pytest.mark.parametrize("line", ["penalty: lots", "penalty: 120%", "penalty: -5%"])
def test_a_bad_penalty_names_its_line(line):
    with pytest.raises(QuizFormatError) as error:
        parse_markdown_quiz(MARKDOWN.replace("penalty: 25%", line))
    assert error.value.line == 2


def test_eleven_hints_are_refused():
    text = MARKDOWN + "".join(f"> hint: more {n}\n\n" for n in range(10))
    with pytest.raises(QuizFormatError):
        parse_markdown_quiz(text)


def test_gift_keeps_hints_in_its_attentive_comment_and_the_gift_itself_has_none():
    spec = spec_from_json(dict(QUESTION_SPECS["single_choice"], hints=["Think of probabilities"], penalty=0.5))
    text = write_gift([spec])
    assert text.startswith("// @attentive") and "Think of probabilities" in text.splitlines()[0]
    assert "Think of probabilities" not in "\n".join(text.splitlines()[1:])  # Moodle reads no hint
    again = parse_gift(text)[0].spec
    assert again.hints == ["Think of probabilities"] and again.penalty == 0.5
