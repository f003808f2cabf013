"""Reads for the instructor's pages: the question list with versions, the essays awaiting a grade."""
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from .models import Answer, AttemptState, Question, QuestionVersion, Quiz


@dataclass(frozen=True)
class QuestionRow:
    question: Question
    version: QuestionVersion | None
    has_answers: bool

    @property
    def title(self) -> str:
        if self.version is None:
            return f"Question {self.question.pk}"
        return self.version.spec.get("title") or _shorten(self.version.spec.get("text", "")) or f"Question {self.question.pk}"

    @property
    def qtype(self) -> str:
        return self.version.qtype if self.version else ""


def _shorten(text: str, length: int = 80) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= length else text[: length - 1] + "…"


def question_rows_for_quiz(*, quiz: Quiz) -> list[QuestionRow]:
    """Live questions in quiz order, each with its latest version and whether attempts answered it (3 queries)."""
    questions = list(
        Question.objects.filter(quiz=quiz, is_deleted=False)
        .annotate(has_answers=Exists(Answer.objects.filter(question=OuterRef("pk"))))
        .order_by("position", "id")
    )
    latest: dict[int, QuestionVersion] = {}
    for version in QuestionVersion.objects.filter(question__in=questions).order_by("question_id", "number"):
        latest[version.question_id] = version  # ordered by number, so the last one wins
    return [QuestionRow(question=q, version=latest.get(q.id), has_answers=q.has_answers) for q in questions]


def quizzes_of_lesson(*, lesson) -> list[Quiz]:
    """A lesson's quizzes, drafts included, with live question and submitted attempt counts (one query)."""
    return list(
        Quiz.objects.filter(lesson=lesson)
        .annotate(
            question_count=Count("questions", filter=Q(questions__is_deleted=False), distinct=True),
            attempt_count=Count("attempts", filter=Q(attempts__state=AttemptState.SUBMITTED), distinct=True),
        )
        .order_by("id")
    )


def essays_awaiting_grading(*, quiz: Quiz) -> list[Answer]:
    """Answers of submitted attempts that wait for the instructor, oldest attempt first."""
    return list(
        Answer.objects.filter(attempt__quiz=quiz, attempt__state=AttemptState.SUBMITTED, state="needs_grading")
        .select_related("attempt__user", "version", "question")
        .order_by("attempt__submitted_at", "attempt_id", "id")
    )


def essay_counts(*, quiz: Quiz) -> int:
    return Answer.objects.filter(attempt__quiz=quiz, attempt__state=AttemptState.SUBMITTED, state="needs_grading").aggregate(n=Count("id"))["n"]
