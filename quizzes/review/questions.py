"""The question a review card asks, through the question-type registry only: its latest version, the
public view in the card's own ids, reading a posted answer, and grading it (for practice; nothing is stored
on any attempt)."""
from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from quizzes import domain
from quizzes.domain.control_characters import response_without_control_characters
from quizzes.models import QuestionVersion
from quizzes.qtypes import PublicIds, QuestionType, public_view, qtype_for
from quizzes.services.grading import latest_version_ids, question_prefix, response_from_fields, versions_by_id

from .models import ReviewCard

# The same ceiling as an attempt's saved answer (quizzes.services.attempts.MAX_RESPONSE_CHARS).
MAX_RESPONSE_CHARS = 50_000


@dataclass(frozen=True)
class CardQuestion:
    card: ReviewCard
    version: QuestionVersion
    qtype: QuestionType
    spec: domain.QuestionSpec

    @property
    def ids(self) -> PublicIds:
        return PublicIds(self.card.id_secret, self.card.question_id)

    @property
    def prefix(self) -> str:
        return question_prefix(self.card.question_id)

    def public(self) -> dict:
        """What the learner sees before answering: texts and this card's public ids, never the key.

        Choices are shuffled afresh at each review (the seed moves with the review count), so the
        learner recalls the answer, not its position."""
        seed = f"{self.card.id_secret}:{self.card.reviews}"
        return public_view(self.version.spec, shuffle_seed=seed, ids=self.ids)

    def response_from_public(self, response) -> dict:
        """An answer naming this card's public ids, in the spec's ids; ValidationError when it does not fit."""
        if not isinstance(response, dict):
            raise ValidationError("The answer must be an object.", code="bad_response")
        response = response_without_control_characters(response)
        if len(str(response)) > MAX_RESPONSE_CHARS:
            raise ValidationError("This answer is too long.", code="too_long")
        try:
            authored = self.qtype.response_to_authored(self.spec, response, self.ids)
            self.qtype.grade(self.spec, authored or None)  # refuses a response of the wrong shape
        except domain.ResponseError as error:
            raise ValidationError(f"This answer does not fit the question: {error}", code="bad_response") from None
        return authored

    def public_response_from_form(self, data) -> dict:
        """The posted fields `<prefix>-…` of the review form, as a response in this card's public ids."""
        return response_from_fields(spec=self.version.spec, prefix=self.prefix, data=data, ids=self.ids)

    def response_to_public(self, response: dict | None) -> dict | None:
        return self.qtype.response_to_public(self.spec, response, self.ids) if response else response

    def grade(self, response: dict) -> domain.GradeResult:
        return self.qtype.grade(self.spec, response or None)


def card_questions(cards: list[ReviewCard]) -> list[CardQuestion]:
    """card_question for a session's cards in two queries, however many cards."""
    latest = latest_version_ids(card.question_id for card in cards)
    versions = {version.id: version for version in versions_by_id(latest.values())}
    questions = []
    for card in cards:
        version = versions[latest[card.question_id]]
        qtype = qtype_for(version.spec)
        questions.append(CardQuestion(card=card, version=version, qtype=qtype, spec=qtype.spec(version.spec)))
    return questions


def card_question(card: ReviewCard) -> CardQuestion:
    """The card's question at its latest version: a corrected question is practised as corrected."""
    version = QuestionVersion.objects.filter(question_id=card.question_id).order_by("-number").first()
    if version is None:
        raise ValidationError("This question has no content any more.", code="no_question")
    qtype = qtype_for(version.spec)
    return CardQuestion(card=card, version=version, qtype=qtype, spec=qtype.spec(version.spec))
