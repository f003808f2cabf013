"""Attention questions without a worker: spec rules, grading, secrecy before review, the Markdown
format (GIFT refuses them), the learner's pages, and the editor form when the model does not answer."""
import copy
import re

import pytest
from django.urls import reverse

from attention_lab.registry import model_spec
from quizzes import domain, qtypes
from quizzes.domain.spec import ATTENTION_HEADS, ATTENTION_LAYERS, AttentionTokenSpec, SpecError
from quizzes.forms.attention_question import AttentionTokenForm
from quizzes.models import Answer
from quizzes.services.attempts import attempt_start
from quizzes.services.model_graded import MODEL_UNAVAILABLE_MESSAGE
from quizzes.services.questions import question_create
from tests.conftest import client_for

TOKENS = ["[CLS]", "the", "cat", "sat", "on", "the", "mat", ".", "[SEP]"]
# A made-up row (the model's own answers are checked in test_attention_question_model.py).
WEIGHTS = [0.05, 0.02, 0.61, 0.04, 0.09, 0.03, 0.07, 0.02, 0.07]
SPEC = {
    "qtype": "attention_token", "title": "SECRET-TITLE-attention",
    "text": "In layer 2, head 9, which token does “sat” attend to most?",
    "explanation": "SECRET-EX-attention",
    "sentence": "The cat sat on the mat.", "layer": 2, "head": 9, "query_index": 3,
    "model": "sentence-transformers/all-MiniLM-L6-v2", "tokens": TOKENS, "weights": WEIGHTS,
    "answer_index": 2, "answer_token": "cat", "answer_weight": 0.61,
}


def spec(**changes) -> AttentionTokenSpec:
    data = copy.deepcopy(SPEC)
    data.update(changes)
    return domain.spec_from_json(data)


# --- the domain ------------------------------------------------------------------------------------


def test_the_layer_and_head_ranges_are_the_labs():
    spec = model_spec()  # read from the shipped model's config.json
    assert (ATTENTION_LAYERS, ATTENTION_HEADS) == (spec.layers, spec.heads) == (6, 12)


def test_the_most_attended_token_is_right_and_any_other_is_wrong_with_its_weight_in_the_feedback():
    question = spec()
    question.validate()
    assert qtypes.grade(question, {"token": 2}).fraction == 1.0
    assert qtypes.grade(question, {"token": "2"}).state == "correct"  # as an HTML form posts it
    wrong = qtypes.grade(question, {"token": 6})
    assert (wrong.fraction, wrong.state) == (0.0, "incorrect")
    assert wrong.feedback[0].text == "In layer 2, head 9, “sat” gives “mat” a weight of 0.07."
    assert "cat" not in wrong.feedback[0].text  # the feedback does not give the answer away
    assert qtypes.grade(question, {"token": 99}).state == "incorrect"
    assert qtypes.grade(question, {}).state == "unanswered"
    assert qtypes.grade(question, None).state == "unanswered"
    with pytest.raises(domain.ResponseError):
        qtypes.grade(question, {"token": "the cat"})
    assert qtypes.correct_response(question) == {"token": 2}


def test_the_public_view_has_the_tokens_but_no_weights_and_no_answer():
    view = qtypes.public_view(spec(), shuffle_seed="attempt-1")
    assert [t["text"] for t in view["tokens"]] == TOKENS  # never shuffled: the order is the sentence
    assert view["query_token"] == "sat" and (view["layer"], view["head"]) == (2, 9)
    text = repr(view)
    for secret in ("0.61", "answer", "weights", "SECRET", "explanation"):
        assert secret not in text


@pytest.mark.parametrize("changes, field", [
    ({"layer": 0}, "layer"), ({"layer": 7}, "layer"), ({"head": 13}, "head"), ({"head": True}, "head"),
    ({"query_index": 9}, "query_index"), ({"sentence": " "}, "sentence"), ({"tokens": []}, "tokens"),
    ({"weights": WEIGHTS[:-1]}, "weights"), ({"weights": [0.5] * 9}, "weights"),
    ({"answer_index": 6, "answer_token": "mat", "answer_weight": 0.07}, "answer_index"),  # not the largest
    ({"answer_token": "dog"}, "answer_index"), ({"model": ""}, "model"),
])
def test_a_spec_that_breaks_a_rule_names_the_field(changes, field):
    with pytest.raises(SpecError) as error:
        spec(**changes).validate()
    assert error.value.field == field


def test_the_markdown_format_round_trips_the_stored_answer():
    question = spec(general_feedback="Look at the subject.")
    text = domain.write_markdown_quiz([question])
    assert "type: attention" in text and "query: 3 (sat)" in text and "answer: 2 (cat)" in text
    assert domain.parse_markdown_quiz(text)[0].spec == question


def test_the_markdown_format_refuses_a_stored_answer_that_does_not_fit():
    text = domain.write_markdown_quiz([spec()])
    with pytest.raises(domain.QuizFormatError, match="token 2 is 'cat', not 'dog'"):
        domain.parse_markdown_quiz(text.replace("answer: 2 (cat)", "answer: 2 (dog)"))
    with pytest.raises(domain.QuizFormatError, match="not the most-attended token"):
        domain.parse_markdown_quiz(text.replace("answer: 2 (cat)", "answer: 6 (mat)"))
    with pytest.raises(domain.QuizFormatError, match="'weights:'"):
        domain.parse_markdown_quiz(re.sub(r"\nweights: .*", "", text))


def test_gift_export_refuses_with_a_reason():
    with pytest.raises(ValueError, match="GIFT cannot express the attention question .* export the quiz as Markdown"):
        domain.write_gift([spec()])


# --- the learner's pages ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_attempt_shows_the_tokens_and_the_allowed_lab_link_but_nothing_of_the_answer(cast, make_quiz):
    quiz = make_quiz(qtypes=[])
    question = question_create(quiz=quiz, spec={**SPEC, "lab_link_during_attempt": True}, user=cast.instructor)
    client = client_for(cast.student)
    html = client.post(reverse("quizzes:attempt_start", args=[quiz.pk]), follow=True).content.decode()
    assert html.count(f'name="q{question.pk}-token"') == len(TOKENS)
    assert '/lab/?text=The%20cat%20sat%20on%20the%20mat.&amp;layer=2&amp;head=9' in html
    for secret in ("0.61", "SECRET", "is-right", "attn-q__bar", "right answer"):
        assert secret not in html


@pytest.mark.django_db
def test_submitting_grades_the_pick_and_the_review_shows_the_weights(cast, make_quiz):
    quiz = make_quiz(qtypes=[])
    question = question_create(quiz=quiz, spec=SPEC, user=cast.instructor)
    attempt = attempt_start(quiz=quiz, user=cast.student)
    client = client_for(cast.student)
    client.post(reverse("quizzes:answer_save", args=[attempt.pk, question.pk]), {f"q{question.pk}-token": "2"})
    assert Answer.objects.get(attempt=attempt, question=question).response == {"token": 2}
    review = client.post(reverse("quizzes:attempt_submit", args=[attempt.pk]), follow=True).content.decode()
    assert "Correct" in review
    assert len(re.findall(r'<li class="attn-q__bar[ "]', review)) == len(TOKENS)  # the strip: one bar per token
    assert re.search(r'attn-q__bar is-answer"><span class="attn-q__bar-token">cat</span>.*?0\.61', review)


@pytest.mark.django_db
def test_a_wrong_pick_is_marked_and_the_right_token_shown(cast, make_quiz):
    quiz = make_quiz(qtypes=[])
    question = question_create(quiz=quiz, spec=SPEC, user=cast.instructor)
    attempt = attempt_start(quiz=quiz, user=cast.student)
    client = client_for(cast.student)
    client.post(reverse("quizzes:answer_save", args=[attempt.pk, question.pk]), {f"q{question.pk}-token": "6"})
    review = client.post(reverse("quizzes:attempt_submit", args=[attempt.pk]), follow=True).content.decode()
    assert "Incorrect" in review and "✗ yours" in review
    assert re.search(r'attn-q__token is-right">\s*<input[^>]*value="2"', review)
    assert "gives “mat” a weight of 0.07" in review


# --- the editor form when the model is down -----------------------------------------------------------


@pytest.mark.django_db
def test_the_form_keeps_the_input_and_says_the_model_is_not_answering(settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/15"  # nothing listens there: the lab is unreachable
    data = {"title": "Where does sat look?", "text": "", "default_mark": "1", "sentence": "The cat sat on the mat.",
            "layer": "2", "head": "9", "query_index": "3"}
    form = AttentionTokenForm(data, headings=[])
    assert not form.is_valid()
    assert form.non_field_errors() == [MODEL_UNAVAILABLE_MESSAGE]
    assert 'value="The cat sat on the mat."' in str(form["sentence"])


@pytest.mark.django_db
def test_a_query_past_the_last_token_lists_the_tokens_without_asking_the_model(settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/15"
    data = {"title": "x", "text": "", "sentence": "The cat sat.", "layer": "1", "head": "1", "query_index": "6"}
    form = AttentionTokenForm(data, headings=[])
    assert not form.is_valid()
    assert form.errors["query_index"] == [
        "This sentence has 6 tokens; choose a position from 0 to 5: 0 [CLS] · 1 the · 2 cat · 3 sat · 4 . · 5 [SEP]."]


# --- authoring pages without the model ------------------------------------------------------------------


@pytest.mark.django_db
def test_export_as_gift_is_a_gift_file_that_says_what_it_left_out_and_markdown_keeps_everything(cast, make_quiz):
    quiz = make_quiz(qtypes=["single_choice"])
    question_create(quiz=quiz, spec=SPEC, user=cast.instructor)
    client = client_for(cast.instructor)
    # given a "Download GIFT" link (it has `download`): the reply must be the file, never a redirect
    gift = client.get(reverse("quiz_authoring:quiz_export", args=[quiz.pk, "gift"]))
    assert gift.status_code == 200 and gift["Content-Disposition"].endswith('.gift"')
    text = gift.content.decode()
    header = text.split("\n\n")[0]
    assert header.startswith("// Left out of this file: 1 question(s) GIFT cannot express.")
    assert "SECRET-TITLE-attention" in header and "export the quiz as Markdown" in header
    # what is left reads back as the quiz's other question
    assert [item.spec.title for item in domain.parse_gift(text)] == ["SECRET-TITLE-single"]
    markdown = client.get(reverse("quiz_authoring:quiz_export", args=[quiz.pk, "markdown"])).content.decode()
    parsed = domain.parse_markdown_quiz(markdown)
    assert parsed[1].spec.to_json() == domain.spec_from_json(SPEC).to_json()


@pytest.mark.django_db
def test_the_editor_offers_the_type_and_shows_a_stored_question_with_its_answer_to_the_author(cast, make_quiz):
    quiz = make_quiz(qtypes=[])
    question = question_create(quiz=quiz, spec=SPEC, user=cast.instructor)
    client = client_for(cast.instructor)
    manage = client.get(reverse("quiz_authoring:quiz", args=[quiz.pk])).content.decode()
    assert reverse("quiz_authoring:question_create", args=[quiz.pk, "attention_token"]) in manage
    page = client.get(reverse("quiz_authoring:question_edit", args=[quiz.pk, question.pk])).content.decode()
    assert 'value="The cat sat on the mat."' in page
    assert "cat (token 2), which gets a weight of 0.61 from sat" in page  # "only you see this"
    # and to anyone else, the editor does not exist
    assert client_for(cast.student).get(reverse("quiz_authoring:question_edit", args=[quiz.pk, question.pk])).status_code == 404


def test_item_statistics_count_the_picked_tokens():
    counts = qtypes.choice_frequencies(spec(), [{"token": 2}, {"token": "2"}, {"token": 6}, None, {}])
    by_text = {(c.choice_id, c.text): (c.count, c.fraction) for c in counts}
    assert by_text[("2", "cat")] == (2, 1.0) and by_text[("6", "mat")] == (1, 0.0) and len(counts) == len(TOKENS)


@pytest.mark.django_db
def test_a_sentence_past_the_models_limit_is_refused_with_its_length(settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/15"
    data = {"title": "x", "text": "", "sentence": "! " * 300, "layer": "1", "head": "1", "query_index": "1"}
    form = AttentionTokenForm(data, headings=[])
    assert not form.is_valid()
    assert form.errors["sentence"] == ["This sentence is 302 tokens long; the model reads at most 256."]


@pytest.mark.django_db
@pytest.mark.parametrize("allowed", [False, True])
def test_the_lab_link_shows_during_an_attempt_only_where_the_author_allows_it(cast, make_quiz, allowed):
    quiz = make_quiz(qtypes=[])
    question_create(quiz=quiz, spec={**SPEC, "lab_link_during_attempt": allowed}, user=cast.instructor)
    client = client_for(cast.student)
    attempt = attempt_start(quiz=quiz, user=cast.student)
    page = client.get(attempt.get_absolute_url()).content.decode()
    assert ("Open this sentence in the lab" in page) is allowed
    client.post(reverse("quizzes:attempt_submit", args=[attempt.pk]))
    review = client.get(reverse("quizzes:attempt_review", args=[attempt.pk])).content.decode()
    assert "Open this sentence in the lab" in review  # after submission it is a study aid, always


@pytest.mark.django_db
def test_the_editor_offers_the_lab_link_setting_with_a_note_that_it_makes_the_question_open_book(cast, make_quiz):
    quiz = make_quiz(qtypes=[])
    question = question_create(quiz=quiz, spec={**SPEC, "lab_link_during_attempt": True}, user=cast.instructor)
    page = client_for(cast.instructor).get(
        reverse("quiz_authoring:question_edit", args=[quiz.pk, question.pk])).content.decode()
    assert re.search(r'name="lab_link_during_attempt"[^>]*checked', page)
    assert "open-book" in page


def test_the_lab_link_setting_round_trips_through_markdown():
    for allowed in (False, True):
        question = spec(lab_link_during_attempt=allowed)
        text = domain.write_markdown_quiz([question])
        assert ("lab link: yes" in text) is allowed
        assert domain.parse_markdown_quiz(text)[0].spec.to_json() == question.to_json()
