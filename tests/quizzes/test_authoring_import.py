"""Import by upload (GIFT, Markdown): a preview first, then all or nothing; bad files name the line."""
import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from quizzes.models import Question, Quiz
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

GIFT = """// a comment Moodle ignores
$CATEGORY: attention/basics

::Scale::By what is each score divided when $d_k$ \\= 64? {#
  =8:0#Right: the square root of 64.
  =%50%7..9#Close.
}

::Softmax::Which function turns scores into weights? {
  =softmax#Yes.
  ~ReLU#No: that is not normalised.
  ~tanh
}

::Rows sum::Each row of attention weights sums to one.{TRUE}
"""

MARKDOWN = """## Q: Name it
type: short_answer
Name the function that normalises the scores.

answer: softmax
answer (50%): soft*
"""


@pytest.fixture
def quiz(cast):
    return Quiz.objects.create(lesson=cast.lesson, slug="imported", title="Imported")


def url(quiz):
    return reverse("quiz_authoring:quiz_import", args=[quiz.pk])


def test_an_uploaded_gift_file_is_previewed_then_imported(cast, quiz):
    client = client_for(cast.instructor)
    upload = SimpleUploadedFile("week1.gift", GIFT.encode("utf-8"), content_type="text/plain")
    preview = client.post(url(quiz), {"fmt": "gift", "upload": upload})
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "Ready to import 3 questions" in page
    assert "Scale" in page and "Numeric" in page and "Single choice" in page and "True / false" in page
    assert not Question.objects.filter(quiz=quiz).exists()  # nothing before the teacher confirms
    # the confirmation form carries the file's text; posting it imports everything
    assert 'name="confirm" value="1"' in page
    confirm = client.post(url(quiz), {"fmt": "gift", "confirm": "1", "text": GIFT})
    assert confirm.status_code == 302
    titles = [q.latest_version.spec["title"] for q in Question.objects.filter(quiz=quiz).order_by("position")]
    assert titles == ["Scale", "Softmax", "Rows sum"]
    scale = Question.objects.get(quiz=quiz, position=1).latest_version.spec
    assert scale["qtype"] == "numeric" and scale["answers"][1] == {
        "kind": "range", "min": 7.0, "max": 9.0, "fraction": 0.5, "feedback": "Close."}


def test_a_markdown_file_is_recognised_by_its_extension(cast, quiz):
    client = client_for(cast.instructor)
    upload = SimpleUploadedFile("quiz.md", MARKDOWN.encode("utf-8"))
    page = client.post(url(quiz), {"upload": upload}).content.decode()
    assert "Ready to import 1 question" in page and "Short answer" in page
    client.post(url(quiz), {"fmt": "markdown", "confirm": "1", "text": MARKDOWN})
    assert Question.objects.get(quiz=quiz).latest_version.spec["answers"][1]["text"] == "soft*"


@pytest.mark.parametrize("broken, line, reason", [
    (GIFT + "\n::Bad::Unclosed {=a ~b\n", 17, "unclosed"),
    (GIFT + "\n::Bad number::What? {#abc}\n", 17, "a numeric answer needs a number; got 'abc'"),
])
def test_a_bad_file_names_the_line_and_imports_nothing(cast, quiz, broken, line, reason):
    client = client_for(cast.instructor)
    for confirm in ("", "1"):  # whether previewing or (with a tampered form) confirming
        upload = SimpleUploadedFile("bad.gift", broken.encode("utf-8"))
        response = client.post(url(quiz), {"fmt": "gift", "upload": upload, "confirm": confirm})
        page = html.unescape(response.content.decode())
        assert response.status_code == 200
        assert f"Line {line}: " in page and reason in page and "Nothing was imported" in page
    assert not Question.objects.filter(quiz=quiz).exists()


def test_a_file_that_is_not_utf8_is_refused_in_plain_words(cast, quiz):
    upload = SimpleUploadedFile("latin1.gift", "::Q::Café? {T}".encode("utf-16"))
    page = client_for(cast.instructor).post(url(quiz), {"fmt": "gift", "upload": upload}).content.decode()
    assert "This file is not UTF-8 text." in page


def test_export_then_import_gives_the_same_questions(cast, make_quiz, quiz):
    source = make_quiz(qtypes=["single_choice", "multiple_response", "true_false", "short_answer", "numeric", "matching", "essay"])
    client = client_for(cast.instructor)
    for fmt in ("gift", "markdown"):
        target = Quiz.objects.create(lesson=cast.lesson, slug=f"copy-{fmt}", title=f"Copy {fmt}")
        text = client.get(reverse("quiz_authoring:quiz_export", args=[source.pk, fmt])).content.decode()
        client.post(url(target), {"fmt": fmt, "confirm": "1", "text": text})
        before = [q.latest_version.spec for q in source.questions.order_by("position")]
        after = [q.latest_version.spec for q in target.questions.order_by("position")]
        assert len(after) == 7
        for old, new in zip(before, after):
            assert (new["qtype"], new["title"], new["text"]) == (old["qtype"], old["title"], old["text"])
            for key in ("choices", "answers", "pairs", "distractors", "correct"):
                assert _shape(new.get(key)) == _shape(old.get(key)), (fmt, old["qtype"], key)


def _shape(value):
    """Answers without the parts a format may spell differently (ids, empty text formats)."""
    if isinstance(value, list):
        return [_shape(v) for v in value]
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if k not in ("id", "text_format")}
    return value
