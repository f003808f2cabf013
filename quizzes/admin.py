"""Admin views for support staff: look things up, never edit history.

Question versions, answers and attempts are read-only here: editing a version that attempts used
would change grades behind the regrade report's back. Questions are edited in the authoring pages.
"""
from django.contrib import admin

from .models import Answer, Attempt, Question, QuestionVersion, Quiz, RegradeRun


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class QuestionInline(ReadOnlyInline):
    model = Question
    fields = ["position", "is_deleted", "created_at"]
    readonly_fields = fields
    show_change_link = True


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = ["title", "lesson", "is_published", "attempts_allowed", "time_limit_minutes", "grading_method"]
    list_filter = ["is_published", "grading_method", "lesson__course"]
    search_fields = ["title", "lesson__title"]
    inlines = [QuestionInline]


class VersionInline(ReadOnlyInline):
    model = QuestionVersion
    fields = ["number", "spec", "created_by", "created_at"]
    readonly_fields = fields


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "quiz", "position", "is_deleted"]
    list_filter = ["is_deleted", "quiz__lesson__course"]
    readonly_fields = ["quiz", "created_at"]
    inlines = [VersionInline]


class AnswerInline(ReadOnlyInline):
    model = Answer
    fields = ["question", "version", "response", "saved_at", "state", "fraction", "marks", "graded_by"]
    readonly_fields = fields


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ["user", "quiz", "number", "state", "marks", "max_marks", "needs_grading", "submitted_at"]
    list_filter = ["state", "needs_grading", "auto_submitted", "quiz__lesson__course"]
    search_fields = ["user__username", "quiz__title"]
    readonly_fields = [f.name for f in Attempt._meta.fields]
    inlines = [AnswerInline]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(RegradeRun)
class RegradeRunAdmin(admin.ModelAdmin):
    list_display = ["quiz", "run_by", "run_at"]
    readonly_fields = ["quiz", "run_by", "run_at", "changes"]

    def has_add_permission(self, request) -> bool:
        return False
from .overrides.admin import register as register_overrides_admin  # noqa: E402

register_overrides_admin(admin.site)
