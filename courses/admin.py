from django.contrib import admin

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


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    list_display = ["title", "course", "position", "is_published", "updated_at"]
    list_filter = ["course", "is_published"]
    search_fields = ["title", "body_markdown"]


admin.site.register(GlossaryTerm)
admin.site.register(Enrollment)
admin.site.register(LessonProgress)
