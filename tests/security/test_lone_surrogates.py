"""A lone surrogate ("\\ud800" in JSON) is valid JSON but no character: UTF-8 cannot hold it, so a spec, a
reason or an answer carrying one failed PostgreSQL's insert (a 500). The JSON reader refuses it, as it
refuses NUL, on every endpoint, for the people allowed to write there."""
import pytest

from quizzes.models import Answer, Question
from tests.conftest import client_for
from tests.security.test_url_matrix import _softmax
from tests.security.world import override_in

pytestmark = pytest.mark.django_db

LONE = '"a\\ud800b"'


def _writes(world) -> list[tuple[object, str, str, str]]:
    override = override_in(world)
    quiz, question, attempt = world.quiz.pk, world.question.pk, world.open_attempt.pk
    return [
        (world.instructor, "post", "/api/quiz-questions/",
         '{"quiz": %d, "spec": {"qtype": "essay", "title": "t", "text": %s}}' % (quiz, LONE)),
        (world.instructor, "patch", f"/api/quiz-overrides/{override.pk}/", '{"reason": %s}' % LONE),
        (world.instructor, "post", f"/api/quizzes/{quiz}/import/", '{"fmt": "gift", "text": "::T:: Q\\udfff {=a ~b}"}'),
        (world.student, "post", f"/api/attempts/{attempt}/answers/",
         '{"question": %d, "response": {"choice": "%s", "note": %s}}' % (question, _softmax(world), LONE)),
        (world.other_student, "post", "/api/enrollments/", '{"course": %s}' % LONE),
        (world.student, "post", f"/api/review/{world.review_card.pk}/", '{"response": {"choice": %s}, "seen_reviews": 0}' % LONE),
        (world.student, "post", "/lab/update/", '{"text": %s}' % LONE),
    ]


def test_a_lone_surrogate_is_refused_with_a_400_and_nothing_is_stored(world):
    writes = _writes(world)
    questions, answers = Question.objects.count(), list(Answer.objects.values_list("response", flat=True))
    wrong = []
    for user, method, url, body in writes:
        response = getattr(client_for(user), method)(url, body, content_type="application/json")
        if response.status_code != 400 or "lone surrogate" not in response.json().get("detail", ""):
            wrong.append(f"{method.upper()} {url} -> {response.status_code} {response.content[:120]!r}")
    assert not wrong, "\n".join(wrong)
    assert Question.objects.count() == questions
    assert list(Answer.objects.values_list("response", flat=True)) == answers
