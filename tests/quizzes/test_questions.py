"""The question editor and the versioned question bank: every type, validation in a teacher's words,
versions once answered, duplicate/delete/reorder, the live preview, and no double questions."""
import pytest
from django.urls import reverse

from quizzes.qtypes import grade
from quizzes.models import Question, QuestionVersion, Quiz
from quizzes.services.attempts import answer_save, attempt_start, attempt_submit
from tests.conftest import QUESTION_SPECS, client_for

pytestmark = pytest.mark.django_db


def rows(*items: dict) -> dict:
    """Formset fields for the editor's answer rows."""
    data = {"rows-TOTAL_FORMS": str(len(items)), "rows-INITIAL_FORMS": "0", "rows-MIN_NUM_FORMS": "0", "rows-MAX_NUM_FORMS": "40"}
    for index, item in enumerate(items):
        data.update({f"rows-{index}-{key}": value for key, value in item.items()})
    return data


COMMON = {"title": "", "text": "", "default_mark": "1", "general_feedback": "", "explanation": "", "explanation_section": ""}

# What a teacher types into the editor for each type, and a response that earns full marks.
EDITOR_POSTS = {
    "single_choice": (
        COMMON | {"title": "Softmax", "text": "Which function normalises scores?", "shuffle": "on"}
        | rows({"text": "ReLU", "fraction": "0", "feedback": "No"}, {"text": "Softmax", "fraction": "100", "feedback": "Yes"},
               {"text": "", "fraction": "0", "feedback": ""}),
        {"choice": "b"},
    ),
    "multiple_response": (
        COMMON | {"title": "Matrices", "text": "Which are matrices in attention?"}
        | rows({"text": "Q", "fraction": "50"}, {"text": "K", "fraction": "50"}, {"text": "Kernels", "fraction": "-100"}),
        {"choices": ["a", "b"]},
    ),
    "true_false": (
        COMMON | {"title": "Rows", "text": "Each row of the weights sums to one.", "correct": "true", "feedback_true": "Right", "feedback_false": "No"},
        {"value": True},
    ),
    "short_answer": (
        COMMON | {"title": "Name", "text": "Name the function."} | rows({"text": "soft*max", "fraction": "100"}, {"text": "sigmoid", "fraction": "20"}),
        {"text": "Soft-Max"},
    ),
    "numeric": (
        COMMON | {"title": "Scale", "text": "What is $\\sqrt{64}$?"}
        | rows({"kind": "tolerance", "value": "8", "tolerance": "0.1", "fraction": "100"}, {"kind": "range", "min": "7", "max": "9", "fraction": "50"}),
        {"value": "8.05"},
    ),
    "matching": (
        COMMON | {"title": "Shapes", "text": "Match the shapes.", "distractors": "d by d\n"}
        | rows({"left": "Q", "right": "n by d_k"}, {"left": "Scores", "right": "n by n"}),
        None,
    ),
    "essay": (
        COMMON | {"title": "Why scale", "text": "Explain the scaling.", "default_mark": "3", "grader_info": "Mentions variance"},
        None,
    ),
}


def create_url(quiz, qtype):
    return reverse("quiz_authoring:question_create", args=[quiz.pk, qtype])


def edit_url(quiz, question):
    return reverse("quiz_authoring:question_edit", args=[quiz.pk, question.pk])


@pytest.fixture
def quiz(cast):
    return Quiz.objects.create(lesson=cast.lesson, slug="authored", title="Authored", shuffle_choices=False)


@pytest.mark.parametrize("qtype", list(EDITOR_POSTS))
def test_each_type_is_created_from_the_editor_and_grades_as_the_teacher_meant(cast, quiz, qtype):
    data, full_marks = EDITOR_POSTS[qtype]
    response = client_for(cast.instructor).post(create_url(quiz, qtype), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    question = Question.objects.get(quiz=quiz)
    spec = question.latest_version.spec
    assert spec["qtype"] == qtype and spec["title"] == data["title"]
    if qtype == "matching":
        assert spec["distractors"] == ["d by d"] and [p["left"] for p in spec["pairs"]] == ["Q", "Scores"]
        from quizzes.domain.grading import right_item_id

        full_marks = {"pairs": {"a": right_item_id("n by d_k"), "b": right_item_id("n by n")}}
    if qtype == "essay":
        assert spec["default_mark"] == 3.0 and spec["grader_info"] == "Mentions variance"
        assert grade(spec, {"text": "x"}).state == "needs_grading"
    else:
        assert grade(spec, full_marks).fraction == pytest.approx(1.0)
    if qtype == "multiple_response":
        assert [c["fraction"] for c in spec["choices"]] == [0.5, 0.5, -1.0]
    if qtype == "numeric":
        assert spec["answers"][0] == {"kind": "tolerance", "value": 8.0, "tolerance": 0.1, "fraction": 1.0, "feedback": ""}
        assert grade(spec, {"value": "8.2"}).fraction == pytest.approx(0.5)


def test_a_numeric_answer_that_is_not_a_number_is_named_next_to_its_field(cast, quiz):
    data = COMMON | {"title": "Scale", "text": "What is 8?"} | rows({"kind": "tolerance", "value": "abc", "tolerance": "0", "fraction": "100"})
    response = client_for(cast.instructor).post(create_url(quiz, "numeric"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "A numeric answer needs a number; got “abc”." in page
    # the message sits in the row's value cell, and the teacher's text is still there
    cell = page[page.index('data-for="value"'):]
    assert cell.index("A numeric answer needs a number") < cell.index('data-for="tolerance"')
    assert 'value="abc"' in page and 'value="What is 8?"' not in page and "What is 8?" in page
    assert not Question.objects.filter(quiz=quiz).exists()


@pytest.mark.parametrize("qtype, data, message", [
    ("single_choice", COMMON | {"title": "T", "text": "Pick"} | rows({"text": "A", "fraction": "50"}, {"text": "B", "fraction": "0"}),
     "A single-choice question needs a choice worth 100%, so full marks are possible; the best here is worth 50%."),
    ("multiple_response", COMMON | {"title": "T", "text": "Pick"} | rows({"text": "A", "fraction": "50"}, {"text": "B", "fraction": "30"}),
     "The positive weights of a multiple-response question must add up to 100%; they add up to 80%."),
    ("short_answer", COMMON | {"title": "T", "text": ""} | rows({"text": "x", "fraction": "100"}), "The question text is empty."),
    ("numeric", COMMON | {"title": "T", "text": "n"} | rows({"kind": "range", "min": "9", "max": "7", "fraction": "100"}),
     "is empty: write the smaller number first"),
    ("matching", COMMON | {"title": "T", "text": "m", "distractors": "n by n"} | rows({"left": "Q", "right": "n by d"}, {"left": "S", "right": "n by n"}),
     "is also a right answer"),
    ("single_choice", COMMON | {"title": "T", "text": "Pick"} | rows({"text": "A", "fraction": "abc"}, {"text": "B", "fraction": "100"}),
     "Give the grade as a percentage, like 100, 50 or -25."),
])
def test_validation_messages_speak_the_teachers_language(cast, quiz, qtype, data, message):
    response = client_for(cast.instructor).post(create_url(quiz, qtype), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "nothing was saved yet" in response.content.decode()
    assert not Question.objects.filter(quiz=quiz).exists()


def test_a_double_click_on_add_question_creates_one_question(cast, quiz):
    client = client_for(cast.instructor)
    data, _ = EDITOR_POSTS["numeric"]
    first = client.post(create_url(quiz, "numeric"), data)
    second = client.post(create_url(quiz, "numeric"), data)
    assert first.status_code == second.status_code == 302
    assert Question.objects.filter(quiz=quiz).count() == 1
    # a different question, or the same one by another author, is a new question
    client.post(create_url(quiz, "numeric"), data | {"title": "Scale again"})
    assert Question.objects.filter(quiz=quiz).count() == 2


def test_editing_an_answered_question_creates_a_version_and_finished_attempts_keep_theirs(cast, quiz):
    client = client_for(cast.instructor)
    client.post(create_url(quiz, "single_choice"), EDITOR_POSTS["single_choice"][0])
    question = Question.objects.get(quiz=quiz)
    quiz.is_published = True
    quiz.save()
    # before any attempt, an edit changes version 1 in place
    # the page had two saved choices (INITIAL_FORMS=2), and the teacher changes the wording
    edit = EDITOR_POSTS["single_choice"][0] | {"rows-INITIAL_FORMS": "2", "rows-0-id": "a", "rows-1-id": "b", "text": "Which one normalises?"}
    assert client.post(edit_url(quiz, question), edit).status_code == 302
    assert question.versions.count() == 1 and question.latest_version.spec["text"] == "Which one normalises?"
    # a student answers b (right) and submits
    attempt = attempt_start(quiz=quiz, user=cast.student)
    answer_save(attempt=attempt, question_id=question.pk, response={"choice": "b"})
    attempt = attempt_submit(attempt=attempt)
    assert attempt.marks == 1.0
    # the teacher now says "a" is right: a new version, the attempt keeps version 1 and its mark
    page = client.get(edit_url(quiz, question)).content.decode()
    assert "Saving creates version 2" in page
    swapped = edit | {"rows-0-fraction": "100", "rows-1-fraction": "0"}
    response = client.post(edit_url(quiz, question), swapped, follow=True)
    assert "Saved as version 2" in response.content.decode()
    assert list(question.versions.values_list("number", flat=True)) == [1, 2]
    answer = attempt.answers.get()
    assert answer.version.number == 1 and answer.marks == 1.0
    attempt.refresh_from_db()
    assert attempt.marks == 1.0


def test_a_failed_save_keeps_every_unsaved_edit(cast, quiz):
    client = client_for(cast.instructor)
    client.post(create_url(quiz, "multiple_response"), EDITOR_POSTS["multiple_response"][0])
    question = Question.objects.get(quiz=quiz)
    broken = EDITOR_POSTS["multiple_response"][0] | {
        "rows-INITIAL_FORMS": "3", "rows-0-id": "a", "rows-1-id": "b", "rows-2-id": "c",
        "text": "A long new wording the teacher typed", "general_feedback": "New general feedback",
        "rows-1-text": "Keys (edited)", "rows-1-fraction": "10",
    }
    page = client.post(edit_url(quiz, question), broken).content.decode()
    assert "must add up to 100%" in page
    for typed in ("A long new wording the teacher typed", "New general feedback", 'value="Keys (edited)"', 'value="10"'):
        assert typed in page
    assert question.latest_version.spec["text"] == "Which are matrices in attention?"


def test_the_live_preview_shows_the_question_as_a_student_sees_it_or_what_is_missing(cast, quiz):
    client = client_for(cast.instructor)
    url = reverse("quiz_authoring:question_preview", args=[quiz.pk, "matching"])
    data, _ = EDITOR_POSTS["matching"]
    fragment = client.post(url, data).content.decode()
    assert "<html" not in fragment  # a fragment for htmx to swap in
    assert "Match the shapes." in fragment and "n by d_k" in fragment and "d by d" in fragment
    assert "only you see this" in fragment and "Q → n by d_k" in fragment
    half = client.post(url, COMMON | {"title": "Shapes", "text": "Match"} | rows({"left": "Q", "right": "n by d"})).content.decode()
    assert "Not ready yet" in half and "A matching question needs at least two pairs" in half
    bad_number = client.post(
        reverse("quiz_authoring:question_preview", args=[quiz.pk, "numeric"]),
        COMMON | {"title": "N", "text": "n"} | rows({"kind": "tolerance", "value": "eight", "fraction": "100"}),
    ).content.decode()
    assert "A numeric answer needs a number; got “eight”." in bad_number


def test_duplicate_delete_and_reorder(cast, make_quiz):
    quiz = make_quiz(qtypes=["single_choice", "numeric", "essay"])
    client = client_for(cast.instructor)
    first, second, third = quiz.questions.order_by("position")
    client.post(reverse("quiz_authoring:question_duplicate", args=[quiz.pk, first.pk]))
    order = [q.latest_version.spec["title"] for q in quiz.questions.filter(is_deleted=False).order_by("position", "id")]
    assert order == ["SECRET-TITLE-single", "SECRET-TITLE-single (copy)", "SECRET-TITLE-numeric", "SECRET-TITLE-essay"]
    client.post(reverse("quiz_authoring:question_move", args=[quiz.pk, third.pk]), {"direction": "up"})
    order = [q.latest_version.spec["title"] for q in quiz.questions.filter(is_deleted=False).order_by("position", "id")]
    assert order[-2:] == ["SECRET-TITLE-essay", "SECRET-TITLE-numeric"]
    client.post(reverse("quiz_authoring:question_delete", args=[quiz.pk, second.pk]))
    assert not Question.objects.filter(pk=second.pk).exists()  # never answered: removed outright
    # an answered question is hidden, not removed: attempts keep it
    attempt = attempt_start(quiz=quiz, user=cast.student)
    attempt_submit(attempt=attempt)
    client.post(reverse("quiz_authoring:question_delete", args=[quiz.pk, first.pk]))
    assert Question.objects.get(pk=first.pk).is_deleted
    assert attempt.answers.filter(question=first).exists()
    page = client.get(reverse("quiz_authoring:quiz", args=[quiz.pk])).content.decode()
    assert "SECRET-TITLE-single (copy)" in page and ">SECRET-TITLE-single<" not in page


def test_editing_an_existing_question_shows_its_values(cast, make_quiz):
    quiz = make_quiz(qtypes=["numeric"])
    question = quiz.questions.get()
    page = client_for(cast.instructor).get(edit_url(quiz, question)).content.decode()
    assert "What is sqrt(64)?</textarea>" in page
    for typed in ('value="8"', 'value="7"', 'value="9"', 'value="50"', 'value="100"'):
        assert typed in page
    assert QuestionVersion.objects.filter(question=question).count() == 1


def test_the_live_preview_of_an_imported_plain_text_question_keeps_its_format(cast, quiz):
    from quizzes.services.questions import question_create

    spec = dict(QUESTION_SPECS["true_false"], text="Stars *stay* literal", text_format="plain")
    question = question_create(quiz=quiz, spec=spec, user=cast.instructor)
    data = COMMON | {"title": "TF", "text": "Stars *stay* literal", "correct": "true"}
    url = reverse("quiz_authoring:question_preview", args=[quiz.pk, "true_false"])
    as_markdown = client_for(cast.instructor).post(url, data).content.decode()
    as_stored = client_for(cast.instructor).post(url, data | {"question_id": str(question.pk)}).content.decode()
    assert "<em>stay</em>" in as_markdown  # a new question is Markdown
    assert "Stars *stay* literal" in as_stored and "<em>" not in as_stored


def test_a_save_from_a_stale_tab_does_not_silently_undo_someone_elses_edit(cast, quiz):
    import re

    client = client_for(cast.instructor)
    client.post(create_url(quiz, "true_false"), EDITOR_POSTS["true_false"][0])
    question = Question.objects.get(quiz=quiz)
    page = client.get(edit_url(quiz, question)).content.decode()
    based_on = re.search(r'name="based_on" value="([0-9a-f]+)"', page)[1]
    form = EDITOR_POSTS["true_false"][0] | {"based_on": based_on}
    # tab 1 saves first
    assert client.post(edit_url(quiz, question), form | {"text": "Edited in tab 1."}).status_code == 302
    # tab 2 still has the old content: refused, with its text kept
    stale = client.post(edit_url(quiz, question), form | {"text": "Edited in tab 2."})
    assert stale.status_code == 200
    assert "Someone else saved this question while you were editing it." in stale.content.decode()
    assert "Edited in tab 2." in stale.content.decode()
    assert question.latest_version.spec["text"] == "Edited in tab 1."
    # saving again from that page is a deliberate choice and goes through
    again = re.search(r'name="based_on" value="([0-9a-f]+)"', stale.content.decode())[1]
    assert client.post(edit_url(quiz, question), form | {"text": "Edited in tab 2.", "based_on": again}).status_code == 302
    assert question.latest_version.spec["text"] == "Edited in tab 2."


def test_the_live_preview_names_each_problem_once(cast, quiz):
    url = reverse("quiz_authoring:question_preview", args=[quiz.pk, "matching"])
    fragment = client_for(cast.instructor).post(url, COMMON | {"title": "S", "text": ""} | rows({"left": "Q", "right": "n"})).content.decode()
    assert fragment.count("The question text is empty") == 1


def test_more_rows_without_javascript_re_renders_the_editor_and_saves_nothing(cast, quiz):
    data, _ = EDITOR_POSTS["single_choice"]
    response = client_for(cast.instructor).post(create_url(quiz, "single_choice"), data | {"add_rows": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="rows-TOTAL_FORMS" value="5"' in page and 'id="id_rows-4-text"' in page
    assert 'value="Softmax"' in page  # what was typed is still there
    assert not Question.objects.filter(quiz=quiz).exists()


def test_the_explanation_links_to_a_heading_of_the_lesson(cast, quiz):
    client = client_for(cast.instructor)
    data = EDITOR_POSTS["true_false"][0] | {"explanation": "Softmax rows sum to one.", "explanation_section": "Section"}
    page = client.get(create_url(quiz, "true_false")).content.decode()
    assert '<option value="Section">Section</option>' in page  # the lesson's "## Section" heading is offered
    client.post(create_url(quiz, "true_false"), data)
    question = Question.objects.get(quiz=quiz)
    assert question.latest_version.spec["explanation"] == "Softmax rows sum to one. (See: Intro › Section)"
    edit = client.get(edit_url(quiz, question)).content.decode()
    assert '<option value="Section" selected>Section</option>' in edit
    assert "Softmax rows sum to one.</textarea>" in edit and "(See:" not in edit.split("id_explanation")[1].split("</textarea>")[0]
