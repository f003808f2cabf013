"""An import is one transaction: a file of more questions than one import takes is refused whole, naming the
line where the first question over the limit starts, through the API and the upload page alike. (40,000
one-line GIFT questions fit under the 1 MiB body limit and held a request for minutes.)"""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from quizzes.models import Question
from quizzes.services.importing import MAX_IMPORT_QUESTIONS
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

ONE = "::Q:: Which function turns scores into weights? {=softmax ~relu}\n\n"
TOO_MANY = ONE * (MAX_IMPORT_QUESTIONS + 1)
FIRST_LINE_OVER = 2 * MAX_IMPORT_QUESTIONS + 1  # each question is a line and a blank line


def test_the_api_refuses_a_file_over_the_limit_and_stores_nothing(cast, make_quiz):
    quiz = make_quiz()
    before = Question.objects.count()
    api = APIClient()
    api.force_authenticate(cast.instructor)
    response = api.post(f"/api/quizzes/{quiz.pk}/import/", {"fmt": "gift", "text": TOO_MANY}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["line"] == FIRST_LINE_OVER and f"at most {MAX_IMPORT_QUESTIONS:,}" in body["detail"]
    assert Question.objects.count() == before


@pytest.mark.parametrize("confirm", ["", "1"], ids=["preview", "import"])
def test_the_upload_page_refuses_it_too(cast, make_quiz, confirm):
    quiz = make_quiz()
    before = Question.objects.count()
    page = client_for(cast.instructor).post(f"/quizzes/manage/{quiz.pk}/import/", {
        "fmt": "", "confirm": confirm, "upload": SimpleUploadedFile("bank.gift", TOO_MANY.encode())})
    assert page.status_code == 200
    assert f"Line {FIRST_LINE_OVER}:" in page.content.decode() and "Nothing was imported" in page.content.decode()
    assert Question.objects.count() == before


@pytest.mark.parametrize("block", [
    " ".join(f"~choice{i}" for i in range(500)) + " =right",
    " ".join(f"=left{i} -> right{i}" for i in range(500)),
], ids=["choices", "matching pairs"])
def test_one_question_with_hundreds_of_parts_is_refused(cast, make_quiz, block):
    from quizzes.domain.spec_base import MAX_PARTS

    quiz = make_quiz()
    before = Question.objects.count()
    api = APIClient()
    api.force_authenticate(cast.instructor)
    response = api.post(f"/api/quizzes/{quiz.pk}/import/", {"fmt": "gift", "text": f"::Big:: Q {{{block}}}"}, format="json")
    assert response.status_code == 400 and f"at most {MAX_PARTS}" in response.json()["detail"]
    assert Question.objects.count() == before
