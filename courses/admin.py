from django import forms
from django.contrib import admin

from .markdown_limits import validate_markdown_limits
from .models import Course, Enrollment, GlossaryTerm, Lesson, LessonProgress


class LessonInline(admin.TabularInline):
    model = Lesson
    fields = ["position", "title", "slug", "is_published"]
    extra = 0


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "is_published"]
    filter_horizontal = ["instructors"]
    inlines = [LessonInline]


class LessonAdminForm(forms.ModelForm):
    class Meta:
        model = Lesson
        fields = "__all__"

    def clean_body_markdown(self) -> str:
        validate_markdown_limits(self.cleaned_data["body_markdown"])  # refused here, not by a 500 in save()
        return self.cleaned_data["body_markdown"]


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    form = LessonAdminForm
    list_display = ["title", "course", "position", "is_published", "updated_at"]
    list_filter = ["course", "is_published"]
    search_fields = ["title", "body_markdown"]


admin.site.register(GlossaryTerm)
admin.site.register(Enrollment)
admin.site.register(LessonProgress)
