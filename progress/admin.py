"""The learning record in Django's admin: readable and filterable, never editable."""
from django.contrib import admin

from .models import LearningEvent


@admin.register(LearningEvent)
class LearningEventAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "kind", "user", "course", "lesson", "quiz", "score_percent", "count"]
    list_filter = ["kind", "course"]
    search_fields = ["user__username"]
    date_hierarchy = "occurred_at"
    list_select_related = ["user", "course", "lesson", "quiz"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
