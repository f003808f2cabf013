"""`manage.py import_quiz` and the import/export services: all or nothing, with line and reason."""
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from quizzes.models import Question, Quiz
from quizzes.services.importing import ImportRejected, quiz_export_text, quiz_import_text
from tests.conftest import QUESTION_SPECS

GIFT = """// two questions
::Scale::What is sqrt(64)? {#8:0.1}

::Softmax::Rows of the attention weights sum to one.{TRUE}
"""
MARKDOWN = """# Basics

## Q: Pick one
Which normalises scores?

- [x] softmax — feedback: Yes.
- [ ] relu

## Q: Name it
type: short
Which function turns scores into weights?

answer: softmax
"""


def run(*args):
    out = StringIO()
    call_command("import_quiz", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("fmt, text, count", [("gift", GIFT, 2), ("markdown", MARKDOWN, 2)])
def test_import_quiz_creates_the_lessons_quiz_with_the_questions(cast, tmp_path, fmt, text, count):
    path = tmp_path / f"quiz.{fmt}"
    path.write_text(text, encoding="utf-8")
    output = run(str(path), "--format", fmt, "--lesson", cast.lesson.slug)
    quiz = Quiz.objects.get(lesson=cast.lesson, slug="quiz")
    assert f"{count} questions imported" in output
    assert Question.objects.filter(quiz=quiz).count() == count
    run(str(path), "--format", fmt, "--lesson", cast.lesson.slug)  # a second import appends
    assert Question.objects.filter(quiz=quiz).count() == 2 * count


def test_a_bad_file_is_rejected_with_its_line_and_nothing_is_imported(cast, tmp_path):
    path = tmp_path / "bad.gift"
    path.write_text(GIFT + "\n::Broken::Which? {#abc}\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        run(str(path), "--format", "gift", "--lesson", cast.lesson.slug)
    assert "line 6" in str(error.value) and "a numeric answer needs a number" in str(error.value)
    assert "Nothing was imported" in str(error.value)
    assert not Quiz.objects.exists() and not Question.objects.exists()


def test_unknown_lesson_and_unreadable_file(cast, tmp_path):
    path = tmp_path / "q.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    with pytest.raises(CommandError, match="No lesson with slug 'nope'"):
        run(str(path), "--format", "markdown", "--lesson", "nope")
    with pytest.raises(CommandError, match="cannot read"):
        run(str(tmp_path / "missing.md"), "--format", "markdown", "--lesson", cast.lesson.slug)


@pytest.mark.parametrize("fmt", ["gift", "markdown"])
def test_export_then_import_gives_the_same_questions(make_quiz, fmt):
    quiz = make_quiz(qtypes=list(QUESTION_SPECS))
    text = quiz_export_text(quiz=quiz, fmt=fmt)
    copy = make_quiz(qtypes=[])
    quiz_import_text(quiz=copy, text=text, fmt=fmt, user=None)

    def specs(q):
        return [question.latest_version.spec for question in Question.objects.filter(quiz=q).order_by("position")]

    assert specs(copy) == specs(quiz)
    assert quiz_export_text(quiz=copy, fmt=fmt) == text


def test_an_upload_that_fails_halfway_writes_nothing(make_quiz):
    quiz = make_quiz(qtypes=[])
    with pytest.raises(ImportRejected) as error:
        quiz_import_text(quiz=quiz, text=MARKDOWN + "\n## Q: Bad\ntype: numeric\nHow many?\nanswer: abc\n", fmt="markdown", user=None)
    assert error.value.line == 18 and "got 'abc'" in error.value.message
    assert not Question.objects.filter(quiz=quiz).exists()
    with pytest.raises(ImportRejected, match="no questions found"):
        quiz_import_text(quiz=quiz, text="// nothing\n", fmt="gift", user=None)
