"""Admin for learner groups (staff create them and add members) and read-only views of overrides and
their audit trail: changes go through the instructor page or the API, so each lands in the audit trail."""
from django.contrib import admin

from .models import LearnerGroup, OverrideAuditEntry, QuizOverride


class LearnerGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "course"]
    list_filter = ["course"]
    filter_horizontal = ["members"]
    search_fields = ["name"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def get_readonly_fields(self, request, obj=None) -> list[str]:
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class QuizOverrideAdmin(ReadOnlyAdmin):
    list_display = ["quiz", "user", "group", "time_limit_minutes", "attempts_allowed", "closes_at"]


class OverrideAuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "quiz", "subject", "action", "actor"]


def register(site: admin.AdminSite) -> None:
    """Called by quizzes/admin.py (Django's autodiscovery reads only an app's own admin module)."""
    site.register(LearnerGroup, LearnerGroupAdmin)
    site.register(QuizOverride, QuizOverrideAdmin)
    site.register(OverrideAuditEntry, OverrideAuditEntryAdmin)
