"""API representations of courses, lessons, enrollments and lesson progress."""
from rest_framework import serializers

from .models import Course, Enrollment, Lesson, LessonProgress


class CourseSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:course-detail", lookup_field="slug")

    class Meta:
        model = Course
        fields = ["url", "slug", "title", "summary", "description_html", "is_published"]


class LessonSummarySerializer(serializers.ModelSerializer):
    course = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Lesson
        fields = ["id", "course", "slug", "title", "summary", "position", "minutes", "is_published"]


class LessonDetailSerializer(LessonSummarySerializer):
    class Meta(LessonSummarySerializer.Meta):
        fields = LessonSummarySerializer.Meta.fields + ["body_markdown", "body_html", "revision", "updated_at"]


class EnrollmentSerializer(serializers.ModelSerializer):
    course = serializers.SlugRelatedField(slug_field="slug", queryset=Course.objects.filter(is_published=True))

    class Meta:
        model = Enrollment
        fields = ["id", "course", "created_at"]
        read_only_fields = ["id", "created_at"]


class LessonProgressSerializer(serializers.ModelSerializer):
    lesson = serializers.PrimaryKeyRelatedField(read_only=True)
    course = serializers.SlugRelatedField(source="lesson.course", slug_field="slug", read_only=True)
    completed = serializers.SerializerMethodField()

    class Meta:
        model = LessonProgress
        fields = ["id", "lesson", "course", "first_viewed_at", "last_viewed_at", "completed_at", "completed"]

    def get_completed(self, progress: LessonProgress) -> bool:
        return progress.completed_at is not None


class LessonCompletionSerializer(serializers.Serializer):
    completed = serializers.BooleanField(default=True)


class CourseProgressSerializer(serializers.Serializer):
    course = serializers.CharField()
    lessons_total = serializers.IntegerField()
    lessons_completed = serializers.IntegerField()
    percent = serializers.IntegerField()
    next_lesson = serializers.CharField(allow_null=True)
