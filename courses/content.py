"""Reads the course material (YAML + Markdown files with front matter) into plain records.

Layout of one course folder:
    <slug>/course.yaml            title, slug, summary, description (Markdown), open_lessons (true: no account needed to read)
    <slug>/lessons/NN-<slug>.md   front matter (title, slug, summary, minutes, seeds) + Markdown body
    <slug>/glossary.yaml          optional list of {term, definition, lesson}
Every problem is reported as a ContentError naming the file, the line and the reason.
"""
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError

from .markdown_limits import markdown_limits_check

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class ContentError(Exception):
    def __init__(self, path: Path, line: int, reason: str) -> None:
        self.path, self.line, self.reason = path, line, reason
        super().__init__(f"{path}:{line}: {reason}")


@dataclass(frozen=True)
class LessonSource:
    path: Path
    slug: str
    title: str
    summary: str
    minutes: int
    seeds: list[str]
    body_markdown: str
    position: int
    source_hash: str


@dataclass(frozen=True)
class GlossarySource:
    term: str
    definition: str
    lesson_slug: str | None


@dataclass(frozen=True)
class CourseSource:
    path: Path
    slug: str
    title: str
    summary: str
    description_markdown: str
    open_lessons: bool = False
    lessons: list[LessonSource] = field(default_factory=list)
    glossary: list[GlossarySource] = field(default_factory=list)


def read_course_folders(content_dir: Path) -> list[CourseSource]:
    """Every course under content_dir, fully validated before anything is written."""
    folders = sorted(p.parent for p in content_dir.glob("*/course.yaml"))
    if not folders:
        raise ContentError(content_dir, 0, "no course found (expected <slug>/course.yaml)")
    return [read_course_folder(folder) for folder in folders]


def read_course_folder(folder: Path) -> CourseSource:
    meta_path = folder / "course.yaml"
    meta = _load_yaml_mapping(meta_path, meta_path.read_text(encoding="utf-8"), line_offset=0)
    slug = _required_slug(meta, meta_path, line=1)
    lessons = [
        read_lesson_file(path, position=index)
        for index, path in enumerate(sorted((folder / "lessons").glob("*.md")), start=1)
    ]
    _reject_duplicate_slugs(lessons)
    lesson_slugs = {lesson.slug for lesson in lessons}
    glossary = _read_glossary(folder / "glossary.yaml", lesson_slugs)
    return CourseSource(
        path=folder,
        slug=slug,
        title=_required_text(meta, "title", meta_path, line=1),
        summary=str(meta.get("summary", "")).strip(),
        description_markdown=str(meta.get("description", "")).strip(),
        open_lessons=meta.get("open_lessons") is True,
        lessons=lessons,
        glossary=glossary,
    )


def read_lesson_file(path: Path, *, position: int) -> LessonSource:
    raw = path.read_text(encoding="utf-8")
    lines = raw.splitlines()
    if not lines or lines[0].strip() != "---":
        raise ContentError(path, 1, "a lesson file must start with front matter between '---' lines")
    try:
        end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() == "---")
    except StopIteration:
        raise ContentError(path, 1, "the front matter is never closed with a '---' line") from None
    meta = _load_yaml_mapping(path, "\n".join(lines[1:end]), line_offset=1)
    minutes = meta.get("minutes", 10)
    if not isinstance(minutes, int) or not 1 <= minutes <= 240:
        raise ContentError(path, _key_line(lines, "minutes"), f"minutes must be a whole number from 1 to 240; got {minutes!r}")
    seeds = meta.get("seeds", [])
    if not isinstance(seeds, list):
        raise ContentError(path, _key_line(lines, "seeds"), "seeds must be a list such as [\"000\", \"002\"]")
    body = "\n".join(lines[end + 1 :]).strip() + "\n"
    if body.strip() == "":
        raise ContentError(path, end + 2, "the lesson has no body after its front matter")
    try:
        markdown_limits_check(body, field_label="The lesson body")
    except ValidationError as error:
        raise ContentError(path, end + 2, error.messages[0]) from None
    return LessonSource(
        path=path,
        slug=_required_slug(meta, path, line=_key_line(lines, "slug")),
        title=_required_text(meta, "title", path, line=_key_line(lines, "title")),
        summary=str(meta.get("summary", "")).strip(),
        minutes=minutes,
        seeds=[str(seed) for seed in seeds],
        body_markdown=body,
        position=position,
        source_hash=hashlib.sha256(raw.encode("utf-8")).hexdigest(),
    )


def _read_glossary(path: Path, lesson_slugs: set[str]) -> list[GlossarySource]:
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    try:
        entries = yaml.safe_load(text) or []
    except yaml.YAMLError as error:
        raise ContentError(path, _yaml_error_line(error, 0), f"not valid YAML: {_yaml_problem(error)}") from None
    if not isinstance(entries, list):
        raise ContentError(path, 1, "the glossary must be a YAML list of {term, definition, lesson}")
    terms: list[GlossarySource] = []
    for index, entry in enumerate(entries, start=1):
        line = _nth_item_line(text, index)
        if not isinstance(entry, dict) or not entry.get("term") or not entry.get("definition"):
            raise ContentError(path, line, f"entry {index} needs a term and a definition")
        lesson_slug = entry.get("lesson")
        if lesson_slug is not None and lesson_slug not in lesson_slugs:
            raise ContentError(path, line, f"entry {entry['term']!r} points at unknown lesson {lesson_slug!r}")
        terms.append(GlossarySource(str(entry["term"]).strip(), str(entry["definition"]).strip(), lesson_slug))
    return terms


def _load_yaml_mapping(path: Path, text: str, *, line_offset: int) -> dict:
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        raise ContentError(path, _yaml_error_line(error, line_offset), f"not valid YAML: {_yaml_problem(error)}") from None
    if not isinstance(data, dict):
        raise ContentError(path, line_offset + 1, "expected 'key: value' lines")
    return data


def _required_text(meta: dict, key: str, path: Path, *, line: int) -> str:
    value = str(meta.get(key) or "").strip()
    if not value:
        raise ContentError(path, line, f"'{key}' is missing or empty")
    return value


def _required_slug(meta: dict, path: Path, *, line: int) -> str:
    slug = _required_text(meta, "slug", path, line=line)
    if not _SLUG.match(slug):
        raise ContentError(path, line, f"slug {slug!r} must be lower-case letters, digits and single hyphens")
    return slug


def _reject_duplicate_slugs(lessons: list[LessonSource]) -> None:
    seen: dict[str, Path] = {}
    for lesson in lessons:
        if lesson.slug in seen:
            raise ContentError(lesson.path, 1, f"slug {lesson.slug!r} is already used by {seen[lesson.slug].name}")
        seen[lesson.slug] = lesson.path


def _key_line(lines: list[str], key: str) -> int:
    for number, line in enumerate(lines, start=1):
        if line.startswith(f"{key}:"):
            return number
    return 1


def _nth_item_line(text: str, index: int) -> int:
    count = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("- "):
            count += 1
            if count == index:
                return number
    return 1


def _yaml_error_line(error: yaml.YAMLError, line_offset: int) -> int:
    mark = getattr(error, "problem_mark", None)
    return (mark.line + 1 + line_offset) if mark else line_offset + 1


def _yaml_problem(error: yaml.YAMLError) -> str:
    return getattr(error, "problem", None) or str(error)
