"""load_course turns content files into the course, is idempotent, and rejects bad files whole."""
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from courses.models import Course, GlossaryTerm, Lesson

pytestmark = pytest.mark.django_db


def load(content_dir: Path | None = None) -> str:
    out = StringIO()
    args = ["--content-dir", str(content_dir)] if content_dir else []
    call_command("load_course", *args, stdout=out)
    return out.getvalue()


def snapshot() -> list[tuple]:
    return list(Lesson.objects.order_by("id").values_list("slug", "title", "position", "revision", "body_html", "updated_at"))


def test_the_real_course_loads_with_its_lessons_and_glossary():
    load()
    course = Course.objects.get(slug="transformers-attention")
    lessons = list(course.lessons.order_by("position"))
    assert course.title == "Transformers & Attention"
    assert len(lessons) == 16  # 13 lessons, inference time, positions and the capstone
    assert all(lesson.is_published and "<h2" in lesson.body_html for lesson in lessons)
    assert [lesson.position for lesson in lessons] == list(range(1, len(lessons) + 1))
    assert GlossaryTerm.objects.filter(course=course).count() >= 20
    # the must-have worked example of softmax(QK^T/sqrt(d_k))V is there, with math for KaTeX
    assert any("arithmatex" in lesson.body_html and "sqrt{d_k}" in lesson.body_html for lesson in lessons)


def test_loading_twice_changes_nothing():
    load()
    before = snapshot()
    output = load()
    assert snapshot() == before
    assert output.startswith("0 created, 0 updated")


def test_browser_edits_survive_a_reload_of_unchanged_files():
    load()
    lesson = Lesson.objects.order_by("position").first()
    Lesson.objects.filter(pk=lesson.pk).update(body_markdown="Edited in the browser")
    load()
    assert Lesson.objects.get(pk=lesson.pk).body_markdown == "Edited in the browser"


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(settings.COURSE_CONTENT_DIR, target)
    return target


def first_lesson_file(content_dir: Path) -> Path:
    return sorted((content_dir / "transformers-attention" / "lessons").glob("*.md"))[0]


@pytest.mark.parametrize(
    "broken_text, line, reason",
    [
        ("no front matter here\n", 1, "must start with front matter"),
        ("---\ntitle: x\nslug: ok\n", 1, "never closed"),
        ("---\ntitle: x\nslug: Bad Slug\n---\nbody\n", 3, "lower-case"),
        ("---\ntitle: [unclosed\nslug: ok\n---\nbody\n", 3, "not valid YAML"),
        ("---\ntitle: x\nslug: ok\nminutes: soon\n---\nbody\n", 4, "minutes must be a whole number"),
        ("---\ntitle: x\nslug: ok\n---\n\n", 5, "no body"),
    ],
)
def test_a_malformed_file_stops_the_load_with_file_line_and_reason(content_copy, broken_text, line, reason):
    load(content_copy)
    before = snapshot()
    # a second, valid change in another file must not be applied either: all or nothing
    files = sorted((content_copy / "transformers-attention" / "lessons").glob("*.md"))
    files[1].write_text(files[1].read_text(encoding="utf-8").replace("## ", "## Changed ", 1), encoding="utf-8")
    broken = first_lesson_file(content_copy)
    broken.write_text(broken_text, encoding="utf-8")
    with pytest.raises(CommandError) as error:
        load(content_copy)
    assert f"{broken}, line {line}: " in str(error.value)
    assert reason in str(error.value)
    assert snapshot() == before


def test_duplicate_slugs_are_rejected(content_copy):
    files = sorted((content_copy / "transformers-attention" / "lessons").glob("*.md"))
    slug_line = next(line for line in files[0].read_text(encoding="utf-8").splitlines() if line.startswith("slug:"))
    text = files[1].read_text(encoding="utf-8").splitlines()
    text = [slug_line if line.startswith("slug:") else line for line in text]
    files[1].write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match="is already used by"):
        load(content_copy)
    assert not Lesson.objects.exists()


def test_the_shipped_course_opens_its_lessons_and_the_flag_follows_course_yaml(content_copy):
    load()
    assert Course.objects.get(slug="transformers-attention").open_lessons is True
    meta = content_copy / "transformers-attention" / "course.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("open_lessons: true", "open_lessons: false"), encoding="utf-8")
    load(content_copy)
    assert Course.objects.get(slug="transformers-attention").open_lessons is False
