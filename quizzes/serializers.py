"""API shapes for quizzes, attempts and (for instructors) questions.

What a learner receives about a question before review is only its type's public view (texts and
the attempt's public ids) and their own saved response; review fields are added one by one, only for what the quiz's
review options reveal at that moment (see `attempt_payload`).
"""
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .pools.selectors import draws_per_attempt
from .models import Answer, Attempt, AttemptState, Behaviour, Question, Quiz
from .overrides.effective import quiz_settings_for
from .selectors import FinalGrade
from .page_data import explanation_links
from .qtypes import correct_response
from .question_progress import question_progress
from .services import grading


class FinalGradeSerializer(serializers.Serializer):
    percent = serializers.FloatField(allow_null=True)
    passed = serializers.BooleanField(allow_null=True)
    attempts_used = serializers.IntegerField()
    attempts_left = serializers.IntegerField(allow_null=True, help_text="null: unlimited")
    method = serializers.CharField()
    awaiting_grading = serializers.BooleanField()
    marks_hidden = serializers.BooleanField(help_text="true: the quiz's review options hide marks now; percent and passed are null")


class EffectiveSettingsSerializer(serializers.Serializer):
    opens_at = serializers.DateTimeField(allow_null=True)
    closes_at = serializers.DateTimeField(allow_null=True)
    time_limit_minutes = serializers.IntegerField(allow_null=True, help_text="null: no time limit")
    attempts_allowed = serializers.IntegerField(help_text="0: unlimited")
    overridden_by = serializers.CharField(allow_null=True, help_text='"user", "group" or null: whether an override applies')


class QuizSerializer(serializers.ModelSerializer):
    lesson = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    course = serializers.SerializerMethodField()
    question_count = serializers.SerializerMethodField()
    my_grade = serializers.SerializerMethodField()
    my_settings = serializers.SerializerMethodField(
        help_text="The dates and limits that apply to the caller, their overrides counted (the quiz's own fields do not).")

    class Meta:
        model = Quiz
        fields = [
            "id", "title", "course", "lesson", "intro_markdown", "is_published", "attempts_allowed",
            "time_limit_minutes", "opens_at", "closes_at", "grading_method", "pass_percent",
            "shuffle_questions", "shuffle_choices", "behaviour", "question_count", "my_grade", "my_settings",
        ]

    def get_course(self, quiz: Quiz) -> str:
        return quiz.lesson.course.slug

    def get_question_count(self, quiz: Quiz) -> int:
        return quiz.questions.filter(is_deleted=False).count() + draws_per_attempt(quiz=quiz)

    @extend_schema_field(FinalGradeSerializer)
    def get_my_grade(self, quiz: Quiz) -> dict:
        grade: FinalGrade = self.context["grade_for"](quiz)
        return FinalGradeSerializer(grade).data

    @extend_schema_field(EffectiveSettingsSerializer)
    def get_my_settings(self, quiz: Quiz) -> dict:
        return EffectiveSettingsSerializer(quiz_settings_for(quiz=quiz, user=self.context["request"].user)).data


class AnswerSaveSerializer(serializers.Serializer):
    question = serializers.IntegerField(help_text="The question's id, as listed in the attempt.")
    response = serializers.JSONField(help_text='Per type, naming choices and items by the ids this attempt\'s '
                                     '`public` view gives them: {"choice": "<id>"} · {"choices": ["<id>", …]} · '
                                     '{"value": true} · {"text": "softmax"} · {"value": "3.5"} · '
                                     '{"pairs": {"<left id>": "<right id>"}} · {"text": "essay…"} · '
                                     '{"token": 3} (attention: a token position, [CLS] = 0)')
    unsure = serializers.BooleanField(required=False, help_text='"Not sure": the question enters your review queue '
                                      'after submission even when right; it never changes a grade. Left out: unchanged.')


class AnswerSavedSerializer(serializers.Serializer):
    question = serializers.IntegerField()
    saved_at = serializers.DateTimeField()


class QuestionProgressSerializer(serializers.Serializer):
    checkable = serializers.BooleanField(help_text="It has a Check (immediate and interactive behaviours).")
    finished = serializers.BooleanField(help_text="Checked for the last time: its answer can no longer change.")
    tries_used = serializers.IntegerField()
    tries_left = serializers.IntegerField()
    hint = serializers.CharField(allow_null=True, help_text="Markdown: the hint the last wrong try earned.")
    penalty = serializers.FloatField(help_text="The share of the mark the wrong tries so far cost.")


class AttemptQuestionSerializer(serializers.Serializer):
    """One question of an attempt. Review fields appear only when the review options show them."""

    number = serializers.IntegerField()
    question = serializers.IntegerField()
    max_mark = serializers.FloatField()
    public = serializers.JSONField(help_text="Text, choices and matching items with ids: never weights or answers.")
    response = serializers.JSONField()
    saved_at = serializers.DateTimeField(allow_null=True)
    unsure = serializers.BooleanField(help_text='Marked "not sure": it enters the review queue after submission.')
    state = serializers.CharField(required=False)
    marks = serializers.FloatField(required=False, allow_null=True)
    feedback = serializers.ListField(child=serializers.CharField(), required=False)
    grader_comment = serializers.CharField(required=False)
    general_feedback = serializers.CharField(required=False)
    explanation = serializers.CharField(required=False)
    right_answer = serializers.JSONField(required=False)
    lesson_section = serializers.JSONField(required=False, allow_null=True,
                                           help_text='{"name", "url"} of the lesson section the explanation points to.')
    progress = QuestionProgressSerializer(help_text="Checks under the quiz's behaviour; a finished question adds "
                                          "the review fields its quiz shows immediately.")


class AttemptSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    quiz = serializers.IntegerField()
    number = serializers.IntegerField()
    state = serializers.ChoiceField(choices=AttemptState.choices)
    behaviour = serializers.ChoiceField(choices=Behaviour.choices)
    started_at = serializers.DateTimeField()
    deadline = serializers.DateTimeField(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    auto_submitted = serializers.BooleanField()
    needs_grading = serializers.BooleanField()
    marks = serializers.FloatField(required=False, allow_null=True)
    max_marks = serializers.FloatField(required=False)
    percent = serializers.FloatField(required=False, allow_null=True)
    revealed = serializers.ListField(child=serializers.CharField(), help_text="What the review shows now.")
    questions = AttemptQuestionSerializer(many=True)


def attempt_payload(*, attempt: Attempt, reveal: set[str]) -> dict:
    """The attempt as the API returns it: public views and saved responses, plus what `reveal` allows."""
    answers = {a.question_id: a for a in Answer.objects.filter(attempt=attempt).select_related("version")}
    payload = {
        "id": attempt.pk, "quiz": attempt.quiz_id, "number": attempt.number, "state": attempt.state,
        "behaviour": attempt.quiz.behaviour,
        "started_at": attempt.started_at, "deadline": attempt.deadline, "submitted_at": attempt.submitted_at,
        "auto_submitted": attempt.auto_submitted, "needs_grading": attempt.needs_grading,
        "revealed": sorted(reveal), "questions": [],
    }
    if "marks" in reveal:
        payload.update(marks=attempt.marks, max_marks=attempt.max_marks, percent=attempt.percent)
    versions = {v.id: v for v in grading.versions_by_id(v for _, v in attempt.layout)}
    for number, (question_id, version_id) in enumerate(attempt.layout, start=1):
        answer = answers.get(question_id)
        version = answer.version if answer is not None else versions[version_id]
        item = {
            "number": number, "question": question_id, "max_mark": version.max_mark,
            "public": grading.public_question(attempt=attempt, version=version),
            "response": grading.public_response(attempt=attempt, version=version,
                                                response=(answer.response if answer else None) or {}),
            "saved_at": answer.saved_at if answer else None,
            "unsure": bool(answer and answer.unsure),
        }
        progress = question_progress(attempt=attempt, answer=answer, version=version)
        item["progress"] = progress.to_json()
        if answer is not None and reveal:
            _add_review(item, attempt, version, answer, reveal)
        elif progress.reveal:  # finished by a check, before submission: the "immediately" column only
            _add_review(item, attempt, version, answer, progress.reveal)
        payload["questions"].append(item)
    if "general_feedback" in reveal:
        revealed = [item for item in payload["questions"] if "general_feedback" in item]
        specs = [answers[item["question"]].version.spec for item in revealed]
        for item, (name, url) in zip(revealed, explanation_links(attempt=attempt, specs=specs)):
            item["lesson_section"] = {"name": name, "url": url} if url else None
    # Returned as built, not through AttemptSerializer (which documents it): a hidden field must be
    # absent, and the serializer would write it as null, like an essay's marks awaiting grading.
    return payload


def _add_review(item: dict, attempt: Attempt, version, answer: Answer, reveal: set[str]) -> None:
    spec = version.spec
    if "correctness" in reveal:
        item["state"] = answer.state or "unanswered"
    if "marks" in reveal:
        item["marks"] = answer.marks
    if "feedback" in reveal:
        item["feedback"] = [f["text"] for f in answer.feedback or [] if f.get("text")]
        item["grader_comment"] = answer.grader_comment
    if "general_feedback" in reveal:
        item["general_feedback"] = spec.get("general_feedback", "")
        item["explanation"] = spec.get("explanation", "")
    if "right_answer" in reveal:
        item["right_answer"] = grading.public_response(attempt=attempt, version=version,
                                                       response=correct_response(spec))


class QuestionSerializer(serializers.ModelSerializer):
    """A question with its latest version's full spec: for the course's instructors only."""

    spec = serializers.JSONField(help_text="The question as quizzes.domain spec JSON (qtype, text, answers, feedback…).")
    version = serializers.SerializerMethodField()
    quiz = serializers.PrimaryKeyRelatedField(queryset=Quiz.objects.all())

    class Meta:
        model = Question
        fields = ["id", "quiz", "position", "version", "spec"]
        read_only_fields = ["position"]

    def get_version(self, question: Question) -> int | None:
        latest = question.latest_version
        return latest.number if latest else None

    def to_representation(self, question: Question) -> dict:
        # The spec lives on the latest version, not on the question row.
        latest = question.latest_version
        return {"id": question.pk, "quiz": question.quiz_id, "position": question.position,
                "version": latest.number if latest else None, "spec": latest.spec if latest else None}
