"""API shapes of progress: a learner's own courses, a course gradebook, the platform aggregates."""
from rest_framework import serializers


class QuizGradeSerializer(serializers.Serializer):
    quiz_id = serializers.IntegerField()
    title = serializers.CharField()
    state = serializers.CharField(help_text="not_started, in_progress, awaiting_grading, passed, failed or submitted (marks hidden by the review options)")
    percent = serializers.FloatField(allow_null=True, help_text="Final grade by the quiz's grading method.")
    passed = serializers.BooleanField(allow_null=True)
    attempts_used = serializers.IntegerField()
    attempts_left = serializers.IntegerField(allow_null=True, help_text="null means unlimited")


class LessonStateSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    state = serializers.CharField(help_text="completed, opened or not_started")
    quizzes = QuizGradeSerializer(many=True)


class NextStepSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    url = serializers.CharField()


class CourseLearningSerializer(serializers.Serializer):
    course = serializers.CharField(help_text="The course's slug.")
    title = serializers.CharField()
    lessons_total = serializers.IntegerField()
    lessons_completed = serializers.IntegerField()
    percent = serializers.IntegerField()
    quizzes_passed = serializers.IntegerField()
    next_step = NextStepSerializer(allow_null=True)
    lessons = LessonStateSerializer(many=True)


class MyLearningSerializer(serializers.Serializer):
    courses = CourseLearningSerializer(many=True)


class GradebookQuizSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    pass_percent = serializers.IntegerField()
    grading_method = serializers.CharField()


class GradebookRowSerializer(serializers.Serializer):
    user_id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField()
    average = serializers.FloatField(allow_null=True)
    status = serializers.CharField()
    grades = QuizGradeSerializer(many=True)


class GradebookSerializer(serializers.Serializer):
    course = serializers.CharField()
    quizzes = GradebookQuizSerializer(many=True)
    count = serializers.IntegerField(help_text="Learners matching the filters, all pages.")
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = GradebookRowSerializer(many=True)


class DayCountSerializer(serializers.Serializer):
    date = serializers.DateField()
    count = serializers.IntegerField()


class FunnelSerializer(serializers.Serializer):
    course = serializers.CharField()
    enrolled = serializers.IntegerField()
    started = serializers.IntegerField()
    completed_all_lessons = serializers.IntegerField()
    passed_all_quizzes = serializers.IntegerField()


class PassRateSerializer(serializers.Serializer):
    quiz_id = serializers.IntegerField()
    quiz = serializers.CharField()
    course = serializers.CharField()
    graded = serializers.IntegerField()
    passed = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)


class PlatformSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    active_7_days = serializers.IntegerField()
    active_30_days = serializers.IntegerField()
    enrollments_per_day = DayCountSerializer(many=True)
    active_per_day = DayCountSerializer(many=True)
    lab_runs_per_day = DayCountSerializer(many=True)
    lab_users = serializers.IntegerField()
    funnel = FunnelSerializer(many=True)
    pass_rates = PassRateSerializer(many=True)
