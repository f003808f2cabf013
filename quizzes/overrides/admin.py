"""Admin for learner groups (staff create them and add members) and a read-only view of overrides' audit trail."""
from django.contrib import admin

from .models import LearnerGroup, OverrideAuditEntry, QuizOverride


@admin.register(LearnerGroup)
class LearnerGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "course"]
    list_filter = ["course"]
    filter_horizontal = ["members"]
    search_fields = ["name"]


@admin.register(QuizOverride)
class QuizOverrideAdmin(admin.ModelAdmin):
    # Read-only: changes go through the instructor page or the API so that each lands in the audit trail.
    list_display = ["quiz", "user", "group", "time_limit_minutes", "attempts_allowed", "closes_at"]
    readonly_fields = [field.name for field in QuizOverride._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(OverrideAuditEntry)
class OverrideAuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "quiz", "subject", "action", "actor"]
    readonly_fields = [field.name for field in OverrideAuditEntry._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
