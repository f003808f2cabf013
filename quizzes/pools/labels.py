"""Keep each question's pool labels (its latest version's category and tags) in step with its versions.

quizzes.services.questions calls `question_labels_sync` wherever it saves a version (create, edit,
duplicate): the only places versions are written. The migration that adds the labels fills them in
once for the questions that existed before.
"""
from .models import LabelKind, PoolLabel


def category_key(category: str | None) -> str:
    """One spelling per category: trimmed segments, case-folded, Moodle's "$course$/top/" prefix left out.

    "$course$/top/Attention / Heads" and "attention/heads" are the same category.
    """
    segments = [part.strip().casefold() for part in (category or "").split("/")]
    segments = [part for part in segments if part]
    if segments and segments[0].startswith("$") and segments[0].endswith("$"):
        segments = segments[1:]
    if segments and segments[0] == "top":
        segments = segments[1:]
    return "/".join(segments)[:255]


def tag_key(tag: str | None) -> str:
    return (tag or "").strip().casefold()[:50]


def labels_for_spec(spec: dict) -> list[tuple[str, str]]:
    labels = []
    category = category_key(spec.get("category")) if isinstance(spec.get("category"), str) else ""
    if category:
        labels.append((LabelKind.CATEGORY.value, category))
    tags = spec.get("tags") if isinstance(spec.get("tags"), list) else []
    for tag in {tag_key(tag) for tag in tags if isinstance(tag, str)}:
        if tag:
            labels.append((LabelKind.TAG.value, tag))
    return labels


def question_labels_sync(*, question_id: int, spec: dict) -> None:
    """Replace the question's labels by those of `spec`, its latest version's content."""
    questions_labels_sync(specs={question_id: spec})


def questions_labels_sync(*, specs: dict[int, dict]) -> None:
    """The same for many questions at once."""
    PoolLabel.objects.filter(question_id__in=list(specs)).delete()
    PoolLabel.objects.bulk_create(PoolLabel(question_id=question_id, kind=kind, value=value)
                                  for question_id, spec in specs.items() for kind, value in labels_for_spec(spec))

