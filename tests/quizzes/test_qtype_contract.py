"""What every registered question type promises, parametrised by the registry: a new type is covered
by adding its module and one sample spec below.

Before submission nothing a learner receives (page HTML, API) lets them derive the key; GIFT (where
the type can be written in it) and Markdown give the spec back; grading a stored answer twice gives
the same result; a regrade's dry run shows exactly what applying it does.
"""
import copy
import json
import re

import pytest
from rest_framework.test import APIClient

from quizzes import domain
from quizzes.domain.gift_writer import write_gift_file
from quizzes.models import Answer, Attempt, Question
from quizzes.qtypes import all_qtypes, correct_response, qtype_for
from quizzes.services.attempts import answer_save, attempt_start, attempt_submit
from quizzes.services.grading import grade_response
from quizzes.services.questions import question_create, question_update
from quizzes.services.regrade import quiz_regrade
from tests.conftest import QUESTION_SPECS, client_for
from tests.quiz_ids import public_of
from tests.quizzes.test_attention_question import SPEC as ATTENTION_SPEC

pytestmark = pytest.mark.django_db

SAMPLES = {**QUESTION_SPECS, "attention_token": ATTENTION_SPEC}
QTYPES = [pytest.param(qtype, id=qtype.name) for qtype in all_qtypes()]
# Attributes and JSON keys that would carry a weight or a verdict to the browser.
LEAKY_ATTRIBUTES = re.compile(r"data-[\w-]*(right|correct|fraction|weight|answer|key)[\w-]*=", re.I)
LEAKY_KEYS = re.compile(r'"(fraction|feedback|correct|answers|explanation|grader_info|general_feedback|'
                        r'right_answer|weights|answer_index|answer_token|answer_weight|title)"\s*:')
RUNS = 12  # attempts per type for the order check: all 12 with the key in one place by chance is ~1e-5


def sample(qtype) -> dict:
    if qtype.name not in SAMPLES:
        pytest.fail(f"add a sample spec for the new question type {qtype.name!r} to this file")
    return copy.deepcopy(SAMPLES[qtype.name])


def authored_ids(spec: dict) -> set[str]:
    ids = {part["id"] for field in ("choices", "pairs") for part in spec.get(field, [])}
    return ids | {domain.grading.right_item_id(p["right"]) for p in spec.get("pairs", [])}


def public_ids(public: dict) -> set[str]:
    return {part["id"] for field in ("choices", "left", "right") for part in public.get(field, [])}


def fresh_attempt(quiz, user) -> Attempt:
    for attempt in Attempt.objects.filter(quiz=quiz, user=user, state="in_progress"):
        attempt_submit(attempt=attempt)
    return attempt_start(quiz=quiz, user=user)


@pytest.mark.parametrize("qtype", QTYPES)
def test_before_submission_nothing_received_gives_the_key_away(qtype, cast, make_quiz):
    spec = sample(qtype)
    quiz = make_quiz(qtypes=[], shuffle_choices=True)
    question_create(quiz=quiz, spec=spec, user=cast.instructor)
    browser, api = client_for(cast.student), APIClient()
    api.force_authenticate(cast.student)
    secrets = re.compile("|".join(["SECRET", *(re.escape(c["feedback"]) for c in spec.get("choices", []) if c.get("feedback"))]))
    right_positions = set()
    for _ in range(RUNS):
        attempt = fresh_attempt(quiz, cast.student)
        page = browser.get(attempt.get_absolute_url()).content.decode()
        payload = api.get(f"/api/attempts/{attempt.pk}/").json()
        public = payload["questions"][0]["public"]
        for body in (page, json.dumps(payload)):
            assert secrets.findall(body) == []
            assert LEAKY_ATTRIBUTES.findall(body) == []
        assert LEAKY_KEYS.findall(json.dumps(payload)) == []
        # no authored id reaches the learner, in the page's inputs or the API
        assert public_ids(public).isdisjoint(authored_ids(spec))
        for authored in authored_ids(spec):
            assert f'value="{authored}"' not in page
        if public.get("choices"):
            key = qtype_for(spec).correct_response(qtype_for(spec).spec(spec))
            texts = [c["text"] for c in public["choices"]]
            right_text = next(c["text"] for c in spec["choices"] if c["id"] in json.dumps(key))
            right_positions.add(texts.index(right_text))
    if qtype.name in ("single_choice", "multiple_response") and spec.get("shuffle", True):
        assert len(right_positions) > 1  # shuffled per attempt: the key is not always in one place


@pytest.mark.parametrize("qtype", QTYPES)
def test_an_id_from_another_learners_attempt_is_refused(qtype, cast, make_quiz):
    spec = sample(qtype)
    quiz = make_quiz(qtypes=[])
    question = question_create(quiz=quiz, spec=spec, user=cast.instructor)
    theirs, mine = attempt_start(quiz=quiz, user=cast.classmate), attempt_start(quiz=quiz, user=cast.student)
    api = APIClient()
    api.force_authenticate(cast.student)
    assert api.get(f"/api/attempts/{mine.pk}/").json()["questions"][0]["question"] == question.pk
    other = public_of(theirs, question.pk)
    if not public_ids(other):
        return  # no ids to steal: texts, numbers, true/false, token positions
    first = other.get("choices") or other.get("left")
    response = ({"choice": first[0]["id"]} if qtype.name == "single_choice" else
                {"choices": [first[0]["id"]]} if qtype.name == "multiple_response" else
                {"pairs": {first[0]["id"]: other["right"][0]["id"]}})
    reply = api.post(f"/api/attempts/{mine.pk}/answers/", {"question": question.pk, "response": response}, format="json")
    assert reply.status_code == 400 and reply.json()["code"] == "bad_response"


@pytest.mark.parametrize("qtype", QTYPES)
def test_gift_and_markdown_export_then_import_give_the_same_spec(qtype):
    spec = domain.spec_from_json(sample(qtype))
    markdown = domain.write_markdown_quiz([spec])
    assert domain.parse_markdown_quiz(markdown)[0].spec.to_json() == spec.to_json()
    gift = write_gift_file([spec])
    if qtype.in_gift:
        assert domain.parse_gift(gift)[0].spec.to_json() == spec.to_json()
    else:  # left out, and the file says so
        assert gift.startswith("// Left out of this file: 1 question(s)") and spec.title in gift


@pytest.mark.parametrize("qtype", QTYPES)
def test_grading_a_stored_answer_twice_gives_the_same_result(qtype, cast, make_quiz):
    spec = sample(qtype)
    quiz = make_quiz(qtypes=[])
    question = question_create(quiz=quiz, spec=spec, user=cast.instructor)
    attempt = attempt_start(quiz=quiz, user=cast.student)
    answer_save(attempt=attempt, question_id=question.pk, response=correct_response(spec) or {"text": "An essay."})
    answer = Answer.objects.select_related("version").get(attempt=attempt)
    first, second = grade_response(answer.version, answer.response), grade_response(answer.version, answer.response)
    assert first.to_json() == second.to_json()
    assert first.state == ("needs_grading" if qtype.graded_by_person else "correct")


@pytest.mark.parametrize("qtype", QTYPES)
def test_a_regrade_dry_run_shows_what_applying_it_does(qtype, cast, make_quiz):
    spec = sample(qtype)
    quiz = make_quiz(qtypes=[])
    question = question_create(quiz=quiz, spec=spec, user=cast.instructor)
    for user in (cast.student, cast.classmate):
        attempt = attempt_start(quiz=quiz, user=user)
        answer_save(attempt=attempt, question_id=question.pk, response=correct_response(spec) or {"text": "An essay."})
        attempt_submit(attempt=attempt)
    question_update(question=Question.objects.get(pk=question.pk), spec={**spec, "default_mark": 3.0}, user=cast.instructor)

    def summary(report):
        return [(c.attempt.pk, round(c.old_marks, 6), round(c.new_marks, 6)) for c in report.changes]

    dry = quiz_regrade(quiz=quiz, user=cast.instructor, dry_run=True)
    applied = quiz_regrade(quiz=quiz, user=cast.instructor, dry_run=False)
    assert summary(dry) == summary(applied)
    assert summary(quiz_regrade(quiz=quiz, user=cast.instructor, dry_run=True)) == []  # nothing left to change
    stored = dict(Attempt.objects.filter(quiz=quiz).values_list("pk", "marks"))
    assert all(stored[pk] == pytest.approx(new) for pk, _, new in summary(applied))
    if not qtype.graded_by_person:
        assert summary(applied) and all(new == 3.0 for _, _, new in summary(applied))


@pytest.mark.parametrize("qtype", QTYPES)
def test_a_stored_right_answer_reads_as_text_and_an_empty_one_as_nothing(qtype):
    spec = qtype.spec(sample(qtype))
    right = qtype.correct_response(spec) or {"text": "An essay."}
    text = qtype.response_text(spec, right)
    assert text and "{" not in text  # words a person reads, not the stored JSON
    assert qtype.response_text(spec, {}) == qtype.response_text(spec, None) == ""
