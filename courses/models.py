"""Courses, their lessons, who teaches them, who is enrolled and how far each learner got."""
from django.conf import settings
from django.db import models
from django.urls import reverse


class Course(models.Model):
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300, blank=True)
    description_markdown = models.TextField(blank=True)
    description_html = models.TextField(blank=True, editable=False, help_text="Sanitised rendering of the description.")
    is_published = models.BooleanField(default=True)
    # Lets visitors without an account read the published lessons (quizzes and progress still need one).
    open_lessons = models.BooleanField(default=False, help_text="Anyone may read the published lessons, without an account.")
    instructors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="taught_courses",
        help_text="Members of the Instructors group who may author this course.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("courses:course_detail", kwargs={"course_slug": self.slug})


class Lesson(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons")
    slug = models.SlugField()
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300, blank=True)
    position = models.PositiveIntegerField(default=0, help_text="Order within the course, from 1.")
    minutes = models.PositiveSmallIntegerField(default=10, help_text="Estimated reading time.")
    body_markdown = models.TextField(blank=True)
    # Rendered once, when the Markdown is saved (courses.services.lesson_render); pages only read these.
    body_html = models.TextField(blank=True, editable=False, help_text="Sanitised rendering of the Markdown.")
    body_toc = models.JSONField(
        default=list, blank=True, editable=False, help_text="The headings of body_html, for the contents list."
    )
    is_published = models.BooleanField(default=False)
    seeds = models.JSONField(default=list, blank=True, help_text="Seed documents this lesson draws on.")
    # Hash of the content file at its last load: load_course skips files that did not change,
    # so edits made in the browser survive a re-run.
    source_hash = models.CharField(max_length=64, blank=True, editable=False)
    # Bumped on every save from the editor; a stale form cannot overwrite a newer edit.
    revision = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["course", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["course", "slug"], name="unique_lesson_slug_per_course")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        """The Markdown is rendered here, once per save (editor, admin, loader, shell alike), so that
        pages only read body_html and body_toc. Over the Markdown limits: ValidationError, nothing saved."""
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "body_markdown" in update_fields:
            from .markdown import render_markdown_with_toc
            from .markdown_limits import markdown_limits_check

            markdown_limits_check(self.body_markdown, field_label="The lesson text")
            self.body_html, self.body_toc = render_markdown_with_toc(self.body_markdown)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "body_html", "body_toc"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("courses:lesson_detail", kwargs={"course_slug": self.course.slug, "lesson_slug": self.slug})


class GlossaryTerm(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="glossary_terms")
    term = models.CharField(max_length=120)
    definition = models.TextField()
    lesson = models.ForeignKey(Lesson, null=True, blank=True, on_delete=models.SET_NULL, related_name="glossary_terms")

    class Meta:
        ordering = ["term"]
        constraints = [models.UniqueConstraint(fields=["course", "term"], name="unique_glossary_term_per_course")]

    def __str__(self) -> str:
        return self.term


class Enrollment(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrollments")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="unique_enrollment")]

    def __str__(self) -> str:
        return f"{self.user} in {self.course}"


class LessonProgress(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="progress")
    first_viewed_at = models.DateTimeField(auto_now_add=True)
    last_viewed_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    # The id of the last heading the learner had in view (one of lesson.body_toc), for "Continue".
    last_section = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-last_viewed_at"]
        verbose_name_plural = "lesson progress"
        constraints = [models.UniqueConstraint(fields=["user", "lesson"], name="unique_lesson_progress")]

    def __str__(self) -> str:
        state = "completed" if self.completed_at else "viewed"
        return f"{self.user} {state} {self.lesson}"
