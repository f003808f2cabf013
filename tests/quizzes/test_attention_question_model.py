"""Attention questions against the REAL model: the answer stored when a question is created through
a real Celery worker equals what the model computes in-process, and an edit that changes the head
stores the new answer in a new version."""
import uuid

import numpy as np
import pytest
from django.urls import reverse

from attention_lab.model import AttentionEngine
from quizzes import domain, qtypes
from quizzes.models import QuestionVersion
from quizzes.services.attempts import answer_save, attempt_start
from quizzes.services.model_graded import AttentionQuestionInput, attention_question_create, attention_question_update
from tests.conftest import client_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

SENTENCE = "The keys to the cabinet are on the table."


@pytest.fixture(scope="module")
def model() -> AttentionEngine:
    return AttentionEngine.load(device="cpu", threads=2)


def _expected(model: AttentionEngine, *, layer: int, head: int, query_index: int) -> tuple[list[str], np.ndarray]:
    result = model.run_one(SENTENCE)
    return list(result.tokens), np.asarray(result.attentions[layer - 1, head - 1, query_index], dtype=np.float64)


def test_creating_the_question_stores_the_models_most_attended_token(attention_worker, cast, make_quiz, model):
    # given
    quiz = make_quiz(qtypes=[])
    data = AttentionQuestionInput(title="Keys", text="", sentence=SENTENCE, layer=2, head=9, query_index=1)
    # when
    question = attention_question_create(quiz=quiz, data=data, user=cast.instructor)
    # then
    spec = question.latest_version.spec
    tokens, row = _expected(model, layer=2, head=9, query_index=1)
    assert spec["tokens"] == tokens
    assert spec["answer_index"] == int(row.argmax()) and spec["answer_token"] == tokens[int(row.argmax())]
    assert np.allclose(spec["weights"], row, atol=1e-5)
    assert spec["model"] == "sentence-transformers/all-MiniLM-L6-v2"
    assert "layer 2, head 9" in spec["text"] and "“the”" in spec["text"]  # the default question text
    assert qtypes.grade(spec, {"token": spec["answer_index"]}).state == "correct"


def test_a_changed_head_is_asked_again_and_stored_in_a_new_version(attention_worker, cast, make_quiz, model):
    quiz = make_quiz(qtypes=[])
    data = AttentionQuestionInput(title="Keys", text="Where does “keys” look?", sentence=SENTENCE, layer=1, head=3,
                                  query_index=2)
    question = attention_question_create(quiz=quiz, data=data, user=cast.instructor)
    first = question.latest_version
    answer_save(attempt=attempt_start(quiz=quiz, user=cast.student), question_id=question.pk,
                response={"token": first.spec["answer_index"]})
    # when: the author moves the question to another head
    data = AttentionQuestionInput(title="Keys", text="Where does “keys” look?", sentence=SENTENCE, layer=5, head=6,
                                  query_index=2)
    version = attention_question_update(question=question, data=data, user=cast.instructor)
    # then: the answered version keeps its answer; the new one has the model's for head 5.6
    assert version.number == 2 and QuestionVersion.objects.get(pk=first.pk).spec == first.spec
    tokens, row = _expected(model, layer=5, head=6, query_index=2)
    assert version.spec["answer_index"] == int(row.argmax())
    assert np.allclose(version.spec["weights"], row, atol=1e-5)
    _, previous_row = _expected(model, layer=1, head=3, query_index=2)
    assert first.spec["answer_index"] == int(previous_row.argmax())


def test_the_editor_page_saves_the_models_answer_and_an_edit_of_the_text_keeps_it(attention_worker, cast, make_quiz,
                                                                                   model, settings):
    quiz = make_quiz(qtypes=[])
    client = client_for(cast.instructor)
    fields = {"title": "Cabinet", "text": "", "default_mark": "1", "sentence": SENTENCE, "layer": "4", "head": "12",
              "query_index": "5"}
    # when
    response = client.post(reverse("quiz_authoring:question_create", args=[quiz.pk, "attention_token"]), fields)
    # then
    assert response.status_code == 302, response.content.decode()[:2000]
    question = quiz.questions.get()
    spec = question.latest_version.spec
    tokens, row = _expected(model, layer=4, head=12, query_index=5)
    assert (spec["answer_index"], spec["tokens"]) == (int(row.argmax()), tokens)
    # editing only the text keeps the stored answer and asks nothing of the worker
    attention_worker.kill()
    try:
        edit = client.post(reverse("quiz_authoring:question_edit", args=[quiz.pk, question.pk]),
                           {**fields, "text": "Which token does “cabinet” look at?"})
        assert edit.status_code == 302
        # a new sentence needs the model, which is down: nothing is saved and the page says so
        settings.ATTENTION_WAIT_SECONDS = 1
        again = client.post(reverse("quiz_authoring:question_edit", args=[quiz.pk, question.pk]),
                            {**fields, "sentence": f"Nobody has asked about this {uuid.uuid4().hex} before."})
        assert again.status_code == 200
        assert "The attention model is not answering right now; your question was not saved." in again.content.decode()
    finally:
        attention_worker.start()
    latest = question.latest_version
    assert latest.spec["text"] == "Which token does “cabinet” look at?" and latest.spec["head"] == 12
    assert latest.spec["weights"] == spec["weights"]


def test_the_course_files_stored_attention_answers_are_the_models(model):
    """The course loader has no worker: lesson quizzes store the model's answer, computed once. Check each."""
    from pathlib import Path

    from django.conf import settings as django_settings

    found = 0
    for path in sorted(Path(django_settings.BASE_DIR, "courses", "content").glob("*/quizzes/*.md")):
        for parsed in domain.parse_markdown_quiz(path.read_text(encoding="utf-8")):
            spec = parsed.spec
            if spec.qtype != "attention_token" or spec.model != model.model_name:
                continue  # questions on the tiny model: tests/attention_lab/test_tiny_model.py
            found += 1
            result = model.run_one(spec.sentence)
            row = np.asarray(result.attentions[spec.layer - 1, spec.head - 1, spec.query_index], dtype=np.float64)
            assert list(result.tokens) == spec.tokens, path
            assert spec.model == result.model_name
            assert spec.answer_index == int(row.argmax()), f"{path}: {spec.title}"
            assert np.allclose(spec.weights, row, atol=1e-5), f"{path}: {spec.title}"
    assert found >= 15  # one predict-then-check question in each of lessons 1 to 15
