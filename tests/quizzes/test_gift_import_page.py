"""The import page around GIFT: math typeset in the preview, the bad line shown after a refusal with
the author's text kept, control characters removed before anything reaches the database."""
import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from quizzes.models import Question, Quiz
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

MATH = """::Scaling::[markdown]Why divide the scores by $\\sqrt\\{d_k\\}$?{
=To keep the softmax out of its flat regions when $d_k$ is large
~To make the weights sum to $1$
}
"""

BROKEN = """::Fine::Rows sum to one.{TRUE}

::Broken::Which function normalises?{
=softmax
~%35%sigmoid#half right?
~relu
}
"""


@pytest.fixture
def quiz(cast):
    return Quiz.objects.create(lesson=cast.lesson, slug="imported", title="Imported")


def url(quiz):
    return reverse("quiz_authoring:quiz_import", args=[quiz.pk])


def test_the_preview_typesets_math_as_lesson_pages_do(cast, quiz):
    page = client_for(cast.instructor).post(url(quiz), {"fmt": "gift", "text": MATH}).content.decode()
    assert "Ready to import 1 question" in page
    # The Markdown renderer turns $…$ into KaTeX's \( … \) inside an element the page script typesets.
    assert "$\\sqrt{d_k}$" not in page.split('name="confirm"')[0]
    assert "\\(\\sqrt{d_k}\\)" in page and "\\(d_k\\)" in page
    text_cell = page[: page.index("\\(\\sqrt{d_k}\\)")]
    assert text_cell.rindex("data-math") > text_cell.rindex("<tr>")
    # the right answer too, in a typeset cell
    answer = page[: page.index("\\(d_k\\)</span> is large")]
    assert answer.rindex("data-math") > answer.rindex("</td>")


def test_a_refused_upload_shows_the_line_and_keeps_the_files_text_in_the_paste_box(cast, quiz):
    upload = SimpleUploadedFile("week2.gift", BROKEN.encode("utf-8"))
    response = client_for(cast.instructor).post(url(quiz), {"fmt": "gift", "upload": upload})
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    errors = page[page.index('id="import-errors"'):]
    errors = errors[: errors.index("</div>")]
    assert "Line 5: " in errors and "%35%" in errors and "Nothing was imported" in errors
    assert "Line 5 reads:" in errors and "~%35%sigmoid#half right?" in errors  # the text, beside the message
    assert "choose the corrected file again" in errors and "week2.gift" in errors
    textarea = re.search(r'<textarea name="text"[^>]*id="id_text"[^>]*>(.*?)</textarea>', page, re.S)
    assert textarea and textarea.group(1).strip() == BROKEN.strip()
    assert re.search(r'<input type="radio" name="fmt" value="gift"[^>]*checked', page)
    assert not Question.objects.filter(quiz=quiz).exists()


def test_a_refused_paste_keeps_the_text_and_the_chosen_format(cast, quiz):
    broken = "## Q: a\ntype: numeric\nHow many?\nanswer: lots\n"
    response = client_for(cast.instructor).post(url(quiz), {"fmt": "markdown", "text": broken})
    page = html.unescape(response.content.decode())
    assert "Line 4: " in page and "Line 4 reads:" in page and "answer: lots" in page
    assert "Your text is kept in the box below" in page
    assert re.search(r'<input type="radio" name="fmt" value="markdown"[^>]*checked', page)
    assert broken.strip() in page


def test_a_markdown_upload_refused_switches_the_format_choice_to_markdown(cast, quiz):
    upload = SimpleUploadedFile("quiz.md", b"## Q: a\ntype: numeric\nHow many?\nanswer: lots\n")
    page = client_for(cast.instructor).post(url(quiz), {"fmt": "gift", "upload": upload}).content.decode()
    assert re.search(r'<input type="radio" name="fmt" value="markdown"[^>]*checked', page)


@pytest.mark.parametrize("field", ["upload", "text"])
def test_control_characters_in_an_upload_or_a_paste_are_removed_before_saving(cast, quiz, field):
    dirty = "::N\x00UL::Rows\x00 sum to one\x07.{TRUE#no\x1bpe}\n"
    client = client_for(cast.instructor)
    data = {"fmt": "gift"}
    data[field] = SimpleUploadedFile("nul.gift", dirty.encode("utf-8")) if field == "upload" else dirty
    preview = client.post(url(quiz), data)
    page = preview.content.decode()
    assert preview.status_code == 200 and "Ready to import 1 question" in page and "\x00" not in page
    source = re.search(r'<textarea name="text" hidden[^>]*>(.*?)</textarea>', page, re.S).group(1)
    confirm = client.post(url(quiz), {"fmt": "gift", "confirm": "1", "text": html.unescape(source)})
    assert confirm.status_code == 302
    spec = Question.objects.get(quiz=quiz).latest_version.spec
    assert (spec["title"], spec["text"], spec["feedback_false"]) == ("NUL", "Rows sum to one.", "nope")
