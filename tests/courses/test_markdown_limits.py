"""Markdown is rendered once, on save; texts that would tie up the renderer are refused with the limit named."""
import pytest
from django.core.management import call_command
from django.urls import reverse

from courses.markdown_limits import MAX_CHARACTERS, MAX_NESTING, MAX_UNCLOSED
from courses.models import Lesson
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

NESTED_LIST = "".join("    " * depth + "- item\n" for depth in range(100))
BOMBS = {
    "nested list": (NESTED_LIST, f"the limit is {MAX_NESTING}"),
    "nested quotes": (">" * 1000 + " deep", f"the limit is {MAX_NESTING}"),
    "bracket bomb": ("[a](" * 10_000, f"the limit is {MAX_UNCLOSED}"),
    "open tags": ("<a " * 13_000, f"the limit is {MAX_UNCLOSED}"),
    "inline math openers": ("\\(" * 15_000, f"the limit is {MAX_UNCLOSED}"),
    "huge": ("word " * (MAX_CHARACTERS // 4), f"the limit is {MAX_CHARACTERS:,}"),
}


def edit_url(lesson) -> str:
    return reverse("courses:lesson_edit", args=[lesson.course.slug, lesson.slug])


@pytest.mark.parametrize("name", BOMBS)
def test_a_pathological_lesson_is_refused_at_save_naming_the_limit(cast, name):
    body, limit_words = BOMBS[name]
    response = client_for(cast.instructor).post(
        edit_url(cast.lesson), {"title": "T", "summary": "", "body_markdown": body, "expected_revision": 1}
    )
    assert response.status_code == 200
    assert limit_words in response.content.decode()
    assert Lesson.objects.get(pk=cast.lesson.pk).revision == 1


@pytest.mark.parametrize("name", BOMBS)
def test_the_preview_answers_with_the_limit_instead_of_rendering(cast, name):
    body, limit_words = BOMBS[name]
    url = reverse("courses:lesson_preview", args=[cast.course.slug, cast.lesson.slug])
    response = client_for(cast.instructor).post(url, {"body_markdown": body})
    assert response.status_code == 200
    assert limit_words in response.content.decode()


def test_code_in_a_closed_fence_is_not_counted_but_an_unclosed_fence_is():
    from django.core.exceptions import ValidationError

    from courses.markdown_limits import markdown_limits_check

    markdown_limits_check("```python\n" + "f(" * 200 + "\n```\n")
    with pytest.raises(ValidationError):
        markdown_limits_check("```python\n" + "f(" * 200 + "\n")


def test_lesson_pages_read_the_stored_rendering(cast, monkeypatch):
    client = client_for(cast.instructor)
    client.post(edit_url(cast.lesson), {"title": "T", "summary": "", "body_markdown": "## One\n\n## Two\n\n## Three\n", "expected_revision": 1})
    lesson = Lesson.objects.get(pk=cast.lesson.pk)
    assert [heading["id"] for heading in lesson.body_toc] == ["one", "two", "three"]

    def no_rendering(*args, **kwargs):
        raise AssertionError("a lesson page rendered Markdown")

    monkeypatch.setattr("markdown.Markdown.convert", no_rendering)
    page = client_for(cast.student).get(lesson.get_absolute_url()).content.decode()
    assert '<h2 id="two">Two</h2>' in page and 'href="#three"' in page


def test_render_lessons_fills_the_stored_html(cast):
    Lesson.objects.filter(pk=cast.lesson.pk).update(body_markdown="## Again\n", body_html="", body_toc=[])
    call_command("render_lessons", stdout=open("/dev/null", "w"))
    lesson = Lesson.objects.get(pk=cast.lesson.pk)
    assert '<h2 id="again">Again</h2>' in lesson.body_html and lesson.body_toc[0]["id"] == "again"


def test_a_quiz_question_text_over_the_limits_is_shown_as_the_reason():
    from quizzes.rendering import render_text

    html = render_text("[a](" * 10_000, "markdown")
    assert f"the limit is {MAX_UNCLOSED}" in html and "<a" not in html


def test_an_admin_edit_renders_the_stored_html_and_refuses_a_bomb(cast):
    admin = client_for(cast.admin)
    url = reverse("admin:courses_lesson_change", args=[cast.lesson.pk])
    form = {"course": cast.course.pk, "slug": "intro", "title": "Intro", "summary": "", "position": 1, "minutes": 10,
            "is_published": "on", "seeds": "[]"}
    assert admin.post(url, {**form, "body_markdown": "## From admin\n"}).status_code == 302
    assert '<h2 id="from-admin">' in Lesson.objects.get(pk=cast.lesson.pk).body_html
    refused = admin.post(url, {**form, "body_markdown": "[a](" * 10_000})
    assert refused.status_code == 200 and f"the limit is {MAX_UNCLOSED}" in refused.content.decode()
