"""The learner's pages: quiz page, attempt with autosave, submit check, review — and what they never show."""
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Answer, Attempt, AttemptState
from quizzes.services.attempts import attempt_start, attempt_submit
from tests.conftest import QUESTION_SPECS, client_for
from tests.quiz_ids import choice

pytestmark = pytest.mark.django_db

ALL_TYPES = list(QUESTION_SPECS)
SECRET = re.compile(r"SECRET|secretsoft|fraction|is-right|right answer|quiz-state|Explanation", re.IGNORECASE)


def test_the_attempt_page_of_every_question_type_leaks_no_answer(cast, make_quiz):
    quiz = make_quiz(qtypes=ALL_TYPES, shuffle_choices=True)
    client = client_for(cast.student)
    response = client.post(reverse("quizzes:attempt_start", args=[quiz.pk]), follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Which function normalises scores?" in html and "Explain why we scale" in html
    assert SECRET.findall(html) == []
    assert "8.0" not in html and ">8<" not in html  # the numeric answer
    # matching offers every right-hand item (distractor included) and preselects none
    # (one <select> per left-hand item, each listing every right-hand item once)
    assert html.count(">n by d_k</option>") == 2 and html.count(">d by d</option>") == 2 and "selected" not in html
    # the submit check page too
    attempt = Attempt.objects.get(quiz=quiz, user=cast.student)
    confirm = client.get(reverse("quizzes:attempt_confirm", args=[attempt.pk])).content.decode()
    assert SECRET.findall(confirm) == []


def test_autosave_by_htmx_then_reload_shows_the_saved_answers(cast, make_quiz):
    quiz = make_quiz(qtypes=["single_choice", "short_answer", "matching"])
    client = client_for(cast.student)
    attempt = attempt_start(quiz=quiz, user=cast.student)
    single, short, matching = (q for q, _ in attempt.layout)
    softmax = choice(attempt, single, "Softmax")
    reply = client.post(reverse("quizzes:answer_save", args=[attempt.pk, single]), {f"q{single}-choice": softmax}, HTTP_HX_REQUEST="true")
    assert reply.status_code == 200 and "Saved at" in reply.content.decode()
    client.post(reverse("quizzes:answer_save", args=[attempt.pk, short]), {f"q{short}-text": "softmax"})
    page = client.get(attempt.get_absolute_url()).content.decode()
    assert re.search(rf'name="q{single}-choice" value="{softmax}"\s+checked', page)
    assert 'value="softmax"' in page
    # the other tab's page posts the same answer later: last write wins
    client.post(reverse("quizzes:answer_save", args=[attempt.pk, short]), {f"q{short}-text": "soft max"})
    assert Answer.objects.get(attempt=attempt, question_id=short).response == {"text": "soft max"}


def test_confirmation_lists_unanswered_questions_and_submit_goes_to_the_review(cast, make_quiz):
    quiz = make_quiz(qtypes=["single_choice", "true_false", "essay"])
    client = client_for(cast.student)
    attempt = attempt_start(quiz=quiz, user=cast.student)
    single = attempt.layout[0][0]
    client.post(reverse("quizzes:answer_save", args=[attempt.pk, single]), {f"q{single}-choice": choice(attempt, single, "Softmax")})
    confirm = client.get(reverse("quizzes:attempt_confirm", args=[attempt.pk])).content.decode()
    assert "2 of 3 questions are unanswered" in confirm
    assert "Question 2" in confirm and "Question 3" in confirm and ">Question 1<" not in confirm
    review = client.post(reverse("quizzes:attempt_submit", args=[attempt.pk]), follow=True)
    html = review.content.decode()
    assert review.redirect_chain[-1][0] == reverse("quizzes:attempt_review", args=[attempt.pk])
    assert "SECRET-FB-softmax" in html and "SECRET-GF-single" in html and "Correct" in html
    assert "SECRET-GRADER" not in html  # grader information is for instructors only
    # submitting again (second tab) changes nothing
    again = client.post(reverse("quizzes:attempt_submit", args=[attempt.pk]))
    assert again.status_code == 302
    assert Attempt.objects.get(pk=attempt.pk).marks == 1.0


def test_the_no_javascript_form_saves_every_answer(cast, make_quiz):
    quiz = make_quiz(qtypes=["multiple_response", "numeric"])
    attempt = attempt_start(quiz=quiz, user=cast.student)
    multi, numeric = (q for q, _ in attempt.layout)
    client_for(cast.student).post(
        reverse("quizzes:attempt_finish", args=[attempt.pk]),
        {f"q{multi}-present": "1", f"q{multi}-choice": [choice(attempt, multi, "Queries"), choice(attempt, multi, "Keys")],
         f"q{numeric}-present": "1", f"q{numeric}-text": "8"},
    )
    saved = dict(Answer.objects.filter(attempt=attempt).values_list("question_id", "response"))
    assert saved == {multi: {"choices": ["a", "b"]}, numeric: {"value": "8"}}


def test_review_options_hide_what_the_instructor_chose_to_hide(cast, make_quiz):
    hidden_now = {item: {"immediately": False, "later": True, "after_close": True}
                  for item in ["correctness", "marks", "feedback", "general_feedback", "right_answer"]}
    quiz = make_quiz(qtypes=["single_choice"], review_options=hidden_now)
    attempt = attempt_start(quiz=quiz, user=cast.student)
    attempt_submit(attempt=attempt)
    review = client_for(cast.student).get(reverse("quizzes:attempt_review", args=[attempt.pk])).content.decode()
    assert SECRET.findall(review) == []
    assert "Results are shown when the quiz" in review
    # later, while the quiz is still open, everything shows
    Attempt.objects.filter(pk=attempt.pk).update(submitted_at=timezone.now() - timedelta(minutes=10))
    later = client_for(cast.student).get(reverse("quizzes:attempt_review", args=[attempt.pk])).content.decode()
    assert "SECRET-GF-single" in later and "right answer" in later


def test_the_explanation_links_back_to_the_lesson_section(cast, make_quiz):
    from quizzes.services.questions import question_create

    quiz = make_quiz(qtypes=[])
    spec = dict(QUESTION_SPECS["true_false"], general_feedback="Weights sum to one. (See\\: Intro › Section)")
    question_create(quiz=quiz, spec=spec, user=None)
    attempt = attempt_start(quiz=quiz, user=cast.student)
    attempt_submit(attempt=attempt)
    review = client_for(cast.student).get(reverse("quizzes:attempt_review", args=[attempt.pk])).content.decode()
    assert f'href="{cast.lesson.get_absolute_url()}#section"' in review


def test_other_peoples_attempts_are_not_found(cast, make_quiz):
    quiz = make_quiz()
    attempt = attempt_start(quiz=quiz, user=cast.student)
    question = attempt.layout[0][0]
    intruder = client_for(cast.classmate)
    for url in (attempt.get_absolute_url(), reverse("quizzes:attempt_confirm", args=[attempt.pk]),
                reverse("quizzes:attempt_review", args=[attempt.pk])):
        assert intruder.get(url).status_code == 404
    assert intruder.post(reverse("quizzes:answer_save", args=[attempt.pk, question]), {f"q{question}-choice": "a"}).status_code == 404
    assert intruder.post(reverse("quizzes:attempt_submit", args=[attempt.pk])).status_code == 404
    assert Attempt.objects.get(pk=attempt.pk).state == AttemptState.IN_PROGRESS
    # the course's instructor may review it once submitted; another course's instructor may not
    attempt_submit(attempt=attempt)
    assert client_for(cast.instructor).get(reverse("quizzes:attempt_review", args=[attempt.pk])).status_code == 200
    assert client_for(cast.other_instructor).get(reverse("quizzes:attempt_review", args=[attempt.pk])).status_code == 404


def test_a_save_after_the_deadline_redirects_to_the_submitted_attempt(cast, make_quiz):
    quiz = make_quiz(time_limit_minutes=5)
    attempt = attempt_start(quiz=quiz, user=cast.student)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    question = attempt.layout[0][0]
    reply = client_for(cast.student).post(reverse("quizzes:answer_save", args=[attempt.pk, question]),
                                          {f"q{question}-choice": choice(attempt, question, "Softmax")})
    assert reply.status_code == 409 and "Time is up" in reply.content.decode()
    assert reply["HX-Redirect"] == attempt.get_absolute_url()
    assert Attempt.objects.get(pk=attempt.pk).state == AttemptState.SUBMITTED


def test_quiz_page_shows_settings_grade_and_attempts(cast, make_quiz):
    quiz = make_quiz(attempts_allowed=3, time_limit_minutes=20, pass_percent=70, grading_method="average")
    client = client_for(cast.student)
    page = client.get(quiz.get_absolute_url()).content.decode()
    assert "3 allowed · 3 left" in page and "20 minutes" in page and "70 %" in page and "Average of all attempts" in page
    assert "Start the quiz" in page
    attempt = attempt_start(quiz=quiz, user=cast.student)
    page = client.get(quiz.get_absolute_url()).content.decode()
    assert "Continue attempt 1" in page
    assert client_for(cast.other_student).get(quiz.get_absolute_url()).status_code == 404  # not enrolled
    assert attempt


def test_lesson_page_offers_the_quiz_with_the_grade_so_far(cast, make_quiz):
    quiz = make_quiz(qtypes=["single_choice"])
    attempt = attempt_start(quiz=quiz, user=cast.student)
    Answer.objects.filter(attempt=attempt).update(response={"choice": "b"})
    attempt_submit(attempt=attempt)
    page = client_for(cast.student).get(cast.lesson.get_absolute_url()).content.decode()
    assert "Go to the quiz" in page
    assert "100 %" in page
    course_page = client_for(cast.student).get(cast.course.get_absolute_url()).content.decode()
    assert "Quiz: 100 %" in course_page


def test_review_columns_immediately_later_and_after_close(cast, make_quiz):
    from quizzes.selectors import review_time, review_visibility

    options = {"correctness": {"immediately": True, "later": False, "after_close": False},
               "marks": {"immediately": True, "later": True, "after_close": True},
               "feedback": {"immediately": False, "later": True, "after_close": False},
               "general_feedback": {"immediately": False, "later": False, "after_close": True},
               "right_answer": {"immediately": False, "later": False, "after_close": True}}
    quiz = make_quiz(review_options=options, closes_at=timezone.now() + timedelta(days=1))
    attempt = attempt_submit(attempt=attempt_start(quiz=quiz, user=cast.student))
    now = attempt.submitted_at
    assert review_time(attempt=attempt, now=now + timedelta(seconds=30)) == "immediately"
    assert review_visibility(attempt=attempt, user=cast.student, now=now) == {"correctness", "marks"}
    assert review_visibility(attempt=attempt, user=cast.student, now=now + timedelta(hours=1)) == {"marks", "feedback"}
    after = now + timedelta(days=2)
    assert review_visibility(attempt=attempt, user=cast.student, now=after) == {"marks", "general_feedback", "right_answer"}
    assert review_visibility(attempt=attempt, user=cast.instructor, now=now) == set(options)  # authors see all
    # nothing at all before submission, whatever the options
    running = attempt_start(quiz=quiz, user=cast.classmate)
    assert review_visibility(attempt=running, user=cast.classmate) == set()


def test_admin_pages_for_quizzes_open(cast, make_quiz):
    quiz = make_quiz(qtypes=["single_choice", "essay"])
    attempt = attempt_submit(attempt=attempt_start(quiz=quiz, user=cast.student))
    admin = client_for(cast.admin)
    for url in ("/admin/quizzes/quiz/", f"/admin/quizzes/quiz/{quiz.pk}/change/", "/admin/quizzes/attempt/",
                f"/admin/quizzes/attempt/{attempt.pk}/change/", "/admin/quizzes/question/",
                f"/admin/quizzes/question/{quiz.questions.first().pk}/change/", "/admin/quizzes/regraderun/"):
        assert admin.get(url).status_code == 200, url
    assert client_for(cast.instructor).get("/admin/quizzes/attempt/").status_code == 302  # not staff


def test_the_review_marks_each_picked_choice_right_partly_right_or_wrong(cast, make_quiz):
    from quizzes.services.attempts import answer_save

    quiz = make_quiz(qtypes=["multiple_response", "true_false"])
    attempt = attempt_start(quiz=quiz, user=cast.student)
    multi, tf = (question for question, _ in attempt.layout)
    answer_save(attempt=attempt, question_id=multi, response={"choices": ["a", "c"]})
    answer_save(attempt=attempt, question_id=tf, response={"value": False})
    attempt_submit(attempt=attempt)
    review = client_for(cast.student).get(reverse("quizzes:attempt_review", args=[attempt.pk])).content.decode()
    assert review.count("✓ your answer") == 1  # Queries
    assert review.count("✗ your answer") == 2  # Kernels (negative) and False
    assert review.count(">right answer<") == 2  # Keys (not picked) and True
