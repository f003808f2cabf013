"""Moodle XML through the import service, the import page, the download link and the API: all or
nothing in one transaction, the line named on refusal, and only the quiz's authors may use any of it."""
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from quizzes.models import Question, QuestionVersion, Quiz
from quizzes.services import importing
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

SAMPLE = (Path(__file__).parent / "fixtures" / "moodle_sample.xml").read_text(encoding="utf-8")
ALL_TYPES = ["single_choice", "multiple_response", "true_false", "short_answer", "numeric", "matching", "essay"]
# A good question first and a broken one after it: the good one must not be imported either.
HALF_GOOD = SAMPLE.replace('<answer fraction="50" format="moodle_auto_format">\n      <text>soft*</text>',
                           '<answer fraction="37" format="moodle_auto_format">\n      <text>soft*</text>')
BAD_LINE = HALF_GOOD.splitlines().index('    <answer fraction="37" format="moodle_auto_format">') + 1


@pytest.fixture
def quiz(cast):
    return Quiz.objects.create(lesson=cast.lesson, slug="from-moodle", title="From Moodle")


def api_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_the_service_imports_every_question_of_moodles_sample(cast, quiz):
    created = importing.quiz_import_text(quiz=quiz, text=SAMPLE, fmt="moodlexml", user=cast.instructor)
    specs = [q.latest_version.spec for q in created]
    assert [s["qtype"] for s in specs] == ALL_TYPES
    numeric = specs[4]
    assert numeric["units"][1] == {"unit": "km", "multiplier": 0.001} and numeric["unit_grading"] == "mark"


def test_one_bad_answer_imports_nothing_and_names_its_line(cast, quiz):
    with pytest.raises(importing.ImportRejected) as caught:
        importing.quiz_import_text(quiz=quiz, text=HALF_GOOD, fmt="moodlexml", user=cast.instructor)
    assert caught.value.line == BAD_LINE and 'fraction="37"' in caught.value.message
    assert not Question.objects.filter(quiz=quiz).exists() and not QuestionVersion.objects.exists()


def test_the_page_previews_then_imports_an_uploaded_xml_file(cast, quiz):
    client = client_for(cast.instructor)
    url = reverse("quiz_authoring:quiz_import", args=[quiz.pk])
    upload = SimpleUploadedFile("week1.xml", SAMPLE.encode("utf-8"), content_type="text/xml")
    page = client.post(url, {"upload": upload}).content.decode()  # .xml is read as Moodle XML by its extension
    assert "Ready to import 7 questions" in page
    client.post(url, {"fmt": "moodlexml", "confirm": "1", "text": SAMPLE})
    assert quiz.questions.count() == 7


def test_the_page_shows_the_bad_line_and_imports_nothing(cast, quiz):
    client = client_for(cast.instructor)
    url = reverse("quiz_authoring:quiz_import", args=[quiz.pk])
    page = client.post(url, {"fmt": "moodlexml", "confirm": "1", "text": HALF_GOOD}).content.decode()
    assert f"Line {BAD_LINE}: " in page and "Nothing was imported" in page
    assert quiz.questions.count() == 0


def test_download_moodle_xml_is_a_file_that_imports_back_the_same(cast, make_quiz, quiz):
    source = make_quiz(qtypes=ALL_TYPES)
    response = client_for(cast.instructor).get(reverse("quiz_authoring:quiz_export", args=[source.pk, "moodlexml"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    assert response["Content-Disposition"] == f'attachment; filename="{source.lesson.slug}-{source.slug}.xml"'
    importing.quiz_import_text(quiz=quiz, text=response.content.decode(), fmt="moodlexml", user=cast.instructor)
    before = [q.latest_version.spec for q in source.questions.order_by("position")]
    after = [q.latest_version.spec for q in quiz.questions.order_by("position")]
    assert after == before


def test_the_import_page_links_the_moodle_xml_download(cast, quiz):
    page = client_for(cast.instructor).get(reverse("quiz_authoring:quiz_import", args=[quiz.pk])).content.decode()
    assert reverse("quiz_authoring:quiz_export", args=[quiz.pk, "moodlexml"]) in page and "Download Moodle XML" in page


@pytest.mark.parametrize("who", ["anonymous", "student", "other_instructor"])
def test_no_one_but_the_quizs_authors_exports_or_imports(cast, make_quiz, who):
    source = make_quiz(qtypes=["numeric"])
    user = None if who == "anonymous" else getattr(cast, who)
    page = client_for(user).get(reverse("quiz_authoring:quiz_export", args=[source.pk, "moodlexml"]))
    assert page.status_code in (302, 404) and b"<quiz>" not in page.content
    api = api_for(user)
    export = api.get(f"/api/quizzes/{source.pk}/export/moodlexml/")
    assert export.status_code in (401, 403, 404) and b"<quiz>" not in export.content
    imported = api.post(f"/api/quizzes/{source.pk}/import/", {"fmt": "moodlexml", "text": SAMPLE}, format="json")
    assert imported.status_code in (401, 403, 404)
    assert source.questions.count() == 1


def test_the_api_imports_all_or_nothing_and_exports_a_file(cast, quiz):
    api = api_for(cast.instructor)
    refused = api.post(f"/api/quizzes/{quiz.pk}/import/", {"fmt": "moodlexml", "text": HALF_GOOD}, format="json")
    assert refused.status_code == 400 and refused.json()["line"] == BAD_LINE and refused.json()["code"] == "import_rejected"
    assert quiz.questions.count() == 0
    reply = api.post(f"/api/quizzes/{quiz.pk}/import/", {"fmt": "moodlexml", "text": SAMPLE}, format="json")
    assert reply.status_code == 201 and reply.json()["imported"] == 7 and len(reply.json()["questions"]) == 7
    export = api.get(f"/api/quizzes/{quiz.pk}/export/moodlexml/", HTTP_ACCEPT="application/xml")
    assert export.status_code == 200 and export["Content-Disposition"].endswith('.xml"')
    assert export.content.decode().count('<question type="') == 8  # seven questions and their category
    assert api.get(f"/api/quizzes/{quiz.pk}/export/pdf/").status_code == 404
    wrong = api.post(f"/api/quizzes/{quiz.pk}/import/", {"fmt": "docx", "text": "x"}, format="json")
    assert wrong.status_code == 400 and wrong.json()["code"] == "invalid"


def test_the_schema_lists_the_import_and_export_endpoints(cast):
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    assert "/api/quizzes/{quiz_id}/import/" in schema["paths"]
    assert "/api/quizzes/{quiz_id}/export/{fmt}/" in schema["paths"]


def numeric_post(**fields) -> dict:
    data = {"title": "Distance", "text": "How far, in metres?", "default_mark": "1", "general_feedback": "",
            "explanation": "", "explanation_section": "", "rows-TOTAL_FORMS": "1", "rows-INITIAL_FORMS": "0",
            "rows-MIN_NUM_FORMS": "0", "rows-MAX_NUM_FORMS": "40", "rows-0-kind": "tolerance", "rows-0-value": "1500",
            "rows-0-tolerance": "0", "rows-0-fraction": "100"}
    return data | fields


def test_the_editor_saves_units_and_shows_them_again(cast, quiz):
    client = client_for(cast.instructor)
    response = client.post(reverse("quiz_authoring:question_create", args=[quiz.pk, "numeric"]),
                           numeric_post(units="m\nkm = 0.001\n", unit_grading="mark", unit_penalty="20"))
    assert response.status_code == 302
    question = quiz.questions.get()
    spec = question.latest_version.spec
    assert spec["units"] == [{"unit": "m", "multiplier": 1.0}, {"unit": "km", "multiplier": 0.001}]
    assert (spec["unit_grading"], spec["unit_penalty"]) == ("mark", 0.2)
    page = client.get(reverse("quiz_authoring:question_edit", args=[quiz.pk, question.pk])).content.decode()
    assert "km = 0.001" in page


def test_the_editor_names_a_bad_unit_and_saves_nothing(cast, quiz):
    client = client_for(cast.instructor)
    url = reverse("quiz_authoring:question_create", args=[quiz.pk, "numeric"])
    page = client.post(url, numeric_post(units="m\nkm = lots")).content.decode()
    assert "Line 2: the multiplier of “km” must be a number" in page
    page = client.post(url, numeric_post(units="km = 0.001")).content.decode()
    assert "its multiplier must be 1" in page
    assert not quiz.questions.exists()


def test_a_question_saved_without_units_keeps_its_stored_spec_unchanged(cast, quiz):
    client_for(cast.instructor).post(reverse("quiz_authoring:question_create", args=[quiz.pk, "numeric"]), numeric_post())
    assert not {"units", "unit_grading", "unit_penalty", "units_left"} & quiz.questions.get().latest_version.spec.keys()


def test_a_learner_answers_in_another_unit_on_a_full_keyboard_and_is_graded_as_moodle_would(cast, quiz):
    from quizzes.services.attempts import answer_save, attempt_start, attempt_submit

    importing.quiz_import_text(quiz=quiz, text=SAMPLE, fmt="moodlexml", user=cast.instructor)
    quiz.is_published = True
    quiz.save()
    distance = next(q for q in quiz.questions.all() if q.latest_version.spec["title"] == "Distance")
    attempt = attempt_start(quiz=quiz, user=cast.student)
    page = client_for(cast.student).get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    field = re.search(rf'<input[^>]*name="q{distance.pk}-text"[^>]*>', page)[0]
    assert 'inputmode="decimal"' not in field  # a phone's digit pad has no letters for "km"
    answer_save(attempt=attempt, question_id=distance.pk, response={"value": "1.5 km"})
    attempt_submit(attempt=attempt)
    answer = attempt.answers.get(question=distance)
    assert answer.fraction == 1.0


@pytest.mark.parametrize("name", ["billion_laughs", "external_entity", "wrong_root", "unknown_type", "deep"])
def test_hostile_files_are_refused_by_the_service_and_write_nothing(cast, quiz, name):
    from tests.quizzes.test_moodle_xml import BILLION_LAUGHS, EXTERNAL, one_question

    text = {"billion_laughs": BILLION_LAUGHS, "external_entity": EXTERNAL, "wrong_root": "<questions/>",
            "unknown_type": one_question("", "ddwtos"), "deep": "<quiz>" + "<a>" * 10_000 + "</a>" * 10_000 + "</quiz>"}[name]
    with pytest.raises(importing.ImportRejected) as caught:
        importing.quiz_import_text(quiz=quiz, text=text, fmt="moodlexml", user=cast.instructor)
    assert caught.value.line >= 1 and "<" in caught.value.message  # the element is named
    assert not Question.objects.exists() and not QuestionVersion.objects.exists()
