"""Instructors author quizzes in the browser: who may, quiz settings, publishing, the whole-quiz preview."""
import pytest
from django.urls import reverse

from quizzes.models import Quiz
from quizzes.services.questions import question_update
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def review_grid(value: bool = True) -> dict:
    from quizzes.models import REVIEW_ITEMS, REVIEW_TIMES

    return {f"review__{item}__{time}": "on" for item in REVIEW_ITEMS for time in REVIEW_TIMES} if value else {}


SETTINGS = {
    "title": "Check yourself", "intro_markdown": "Five questions on **attention**.", "attempts_allowed": "2",
    "time_limit_minutes": "15", "opens_at": "", "closes_at": "", "grading_method": "average", "pass_percent": "70",
    "shuffle_questions": "on",
}


def authoring_urls(quiz, question=None) -> list[str]:
    urls = [
        reverse("quiz_authoring:lesson_quizzes", args=[quiz.lesson.course.slug, quiz.lesson.slug]),
        reverse("quiz_authoring:quiz_create", args=[quiz.lesson.course.slug, quiz.lesson.slug]),
        reverse("quiz_authoring:quiz", args=[quiz.pk]),
        reverse("quiz_authoring:quiz_settings", args=[quiz.pk]),
        reverse("quiz_authoring:quiz_preview", args=[quiz.pk]),
        reverse("quiz_authoring:question_create", args=[quiz.pk, "numeric"]),
        reverse("quiz_authoring:quiz_import", args=[quiz.pk]),
        reverse("quiz_authoring:quiz_export", args=[quiz.pk, "gift"]),
        reverse("quiz_authoring:quiz_export", args=[quiz.pk, "markdown"]),
        reverse("quiz_authoring:regrade", args=[quiz.pk]),
        reverse("quiz_authoring:essay_queue", args=[quiz.pk]),
        reverse("quiz_authoring:statistics", args=[quiz.pk]),
        reverse("quiz_authoring:statistics_csv", args=[quiz.pk]),
    ]
    if question is not None:
        urls.append(reverse("quiz_authoring:question_edit", args=[quiz.pk, question.pk]))
    return urls


@pytest.mark.parametrize("who", ["student", "other_student", "other_instructor", None])
def test_everyone_but_the_course_authors_gets_404_on_every_page(cast, make_quiz, who):
    quiz = make_quiz(qtypes=["single_choice"])
    question = quiz.questions.get()
    client = client_for(getattr(cast, who) if who else None)
    for url in authoring_urls(quiz, question):
        assert client.get(url).status_code == 404, url
    posts = [
        reverse("quiz_authoring:quiz_publish", args=[quiz.pk]),
        reverse("quiz_authoring:question_duplicate", args=[quiz.pk, question.pk]),
        reverse("quiz_authoring:question_delete", args=[quiz.pk, question.pk]),
        reverse("quiz_authoring:question_move", args=[quiz.pk, question.pk]),
        reverse("quiz_authoring:question_preview", args=[quiz.pk, "numeric"]),
        reverse("quiz_authoring:regrade", args=[quiz.pk]),
    ]
    for url in posts:
        assert client.post(url, {"publish": "0", "action": "apply"}).status_code == 404, url
    assert quiz.questions.filter(is_deleted=False).count() == 1
    assert not quiz.regrades.exists()
    assert Quiz.objects.get(pk=quiz.pk).is_published


@pytest.mark.parametrize("who", ["instructor", "admin"])
def test_the_course_instructor_and_an_admin_reach_every_page(cast, make_quiz, who):
    quiz = make_quiz(qtypes=["single_choice"])
    client = client_for(getattr(cast, who))
    for url in authoring_urls(quiz, quiz.questions.get()):
        assert client.get(url).status_code == 200, url


def test_the_manage_page_links_each_lesson_to_its_quizzes(cast):
    page = client_for(cast.instructor).get(reverse("courses:manage", args=[cast.course.slug])).content.decode()
    assert reverse("quiz_authoring:lesson_quizzes", args=[cast.course.slug, cast.lesson.slug]) in page


def test_an_instructor_creates_a_draft_quiz_with_every_setting(cast):
    client = client_for(cast.instructor)
    url = reverse("quiz_authoring:quiz_create", args=[cast.course.slug, cast.lesson.slug])
    grid = review_grid(False) | {"review__correctness__immediately": "on", "review__right_answer__after_close": "on"}
    response = client.post(url, SETTINGS | grid | {"opens_at": "2030-01-01T09:00", "closes_at": "2030-01-08T09:00"})
    assert response.status_code == 302
    quiz = Quiz.objects.get(lesson=cast.lesson)
    assert (quiz.title, quiz.attempts_allowed, quiz.time_limit_minutes, quiz.grading_method, quiz.pass_percent) == (
        "Check yourself", 2, 15, "average", 70)
    assert quiz.shuffle_questions and not quiz.shuffle_choices and not quiz.is_published
    assert quiz.opens_at.isoformat().startswith("2030-01-01T09:00") and quiz.closes_at.day == 8
    assert quiz.review_options["correctness"] == {"immediately": True, "later": False, "after_close": False}
    assert quiz.review_options["right_answer"] == {"immediately": False, "later": False, "after_close": True}
    assert quiz.review_options["marks"] == {"immediately": False, "later": False, "after_close": False}
    assert response.url == reverse("quiz_authoring:quiz", args=[quiz.pk])
    # a draft is invisible to the enrolled student
    assert client_for(cast.student).get(quiz.get_absolute_url()).status_code == 404


def test_settings_errors_are_shown_next_to_the_field_and_keep_the_input(cast, make_quiz):
    quiz = make_quiz()
    client = client_for(cast.instructor)
    response = client.post(
        reverse("quiz_authoring:quiz_settings", args=[quiz.pk]),
        SETTINGS | {"title": "Kept title", "pass_percent": "120", "opens_at": "2030-02-01T10:00", "closes_at": "2030-01-01T10:00"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The pass mark is a percentage: at most 100." in page or "less than or equal to 100" in page
    assert "The quiz must close after it opens." in page
    assert 'value="Kept title"' in page
    assert Quiz.objects.get(pk=quiz.pk).title == quiz.title


def test_publishing_needs_a_question_and_then_students_see_the_quiz(cast):
    client = client_for(cast.instructor)
    quiz = Quiz.objects.create(lesson=cast.lesson, slug="q", title="Empty")
    publish = reverse("quiz_authoring:quiz_publish", args=[quiz.pk])
    client.post(publish, {"publish": "1"})
    assert not Quiz.objects.get(pk=quiz.pk).is_published
    from quizzes.services.questions import question_create
    from tests.conftest import QUESTION_SPECS

    question_create(quiz=quiz, spec=QUESTION_SPECS["true_false"], user=cast.instructor)
    client.post(publish, {"publish": "1"})
    assert Quiz.objects.get(pk=quiz.pk).is_published
    assert client_for(cast.student).get(quiz.get_absolute_url()).status_code == 200
    client.post(publish, {"publish": "0"})
    assert client_for(cast.student).get(quiz.get_absolute_url()).status_code == 404


def test_the_whole_quiz_preview_shows_no_secrets_until_the_instructor_checks_answers(cast, make_quiz):
    quiz = make_quiz(qtypes=["single_choice", "numeric", "essay"])
    client = client_for(cast.instructor)
    url = reverse("quiz_authoring:quiz_preview", args=[quiz.pk])
    page = client.get(url).content.decode()
    assert "Which function normalises scores?" in page and "What is sqrt(64)?" in page
    assert "SECRET-FB" not in page and "SECRET-GRADER" not in page
    ids = list(quiz.questions.order_by("position").values_list("id", flat=True))
    checked = client.post(url, {"q-1-choice": "b", "q-2-text": "7.5", "q-3-text": "Variance grows."}).content.decode()
    assert "Correct" in checked and "SECRET-FB-softmax" in checked
    assert "Partly correct" in checked and "SECRET-FB-close" in checked  # 7.5 is in the 7..9 range
    assert "Awaiting grading" in checked
    assert "Your try: 1.5 / 2 marks" in checked  # single choice 1 + numeric 0.5; the essay waits for a person
    assert len(ids) == 3 and not quiz.attempts.exists()  # nothing was saved


def test_the_preview_of_an_interactive_quiz_shows_what_a_wrong_first_check_would_show(cast, make_quiz):
    quiz = make_quiz(qtypes=["single_choice", "numeric"])
    Quiz.objects.filter(pk=quiz.pk).update(behaviour="interactive")
    first = quiz.questions.order_by("position").first()
    spec = dict(first.versions.order_by("-number").first().spec, hints=["Think of **probabilities**.", "They sum to one."], penalty=0.25)
    question_update(question=first, user=cast.instructor, spec=spec)
    client = client_for(cast.instructor)
    url = reverse("quiz_authoring:quiz_preview", args=[quiz.pk])
    wrong = client.post(url, {"q-1-choice": "a", "q-2-text": "8"}).content.decode()
    assert "Hint the learner would read" in wrong and "<strong>probabilities</strong>" in wrong
    assert "2 of 3 tries would be left, and a right answer then earns 75 % of the mark." in wrong
    assert "They sum to one." not in wrong  # the second hint needs a second wrong try
    assert wrong.count("As a learner's first Check") == 1  # the right numeric answer has no note
    right = client.post(url, {"q-1-choice": "b", "q-2-text": "8"}).content.decode()
    assert "As a learner's first Check" not in right
    Quiz.objects.filter(pk=quiz.pk).update(behaviour="deferred")
    deferred = client.post(url, {"q-1-choice": "a", "q-2-text": "8"}).content.decode()
    assert "As a learner's first Check" not in deferred and "Think of" not in deferred  # no tries, no hints


def test_export_downloads_both_formats(cast, make_quiz):
    quiz = make_quiz(qtypes=["numeric", "matching"])
    client = client_for(cast.instructor)
    gift = client.get(reverse("quiz_authoring:quiz_export", args=[quiz.pk, "gift"]))
    assert gift["Content-Disposition"].startswith("attachment;") and ".gift" in gift["Content-Disposition"]
    assert "What is sqrt(64)?" in gift.content.decode()
    markdown = client.get(reverse("quiz_authoring:quiz_export", args=[quiz.pk, "markdown"]))
    assert ".md" in markdown["Content-Disposition"] and "Match the shapes." in markdown.content.decode()
    assert client.get(reverse("quiz_authoring:quiz_export", args=[quiz.pk, "xml"])).status_code == 404
