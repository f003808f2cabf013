"""Short names for crowded places (gradebook columns, chart labels)."""
import os
from collections.abc import Iterable


def quiz_short_titles(quizzes: Iterable) -> dict[int, str]:
    """Quiz id -> title without the words every quiz of the list starts with ("Check your understanding: ").

    Only a shared prefix that ends at a colon or dash is dropped, so titles are never cut mid-word.
    """
    quizzes = list(quizzes)
    titles = [quiz.title for quiz in quizzes]
    prefix = os.path.commonprefix(titles) if len(titles) > 1 else ""
    cut = max(prefix.rfind(": "), prefix.rfind(" – "), prefix.rfind(" - "))
    drop = prefix[: cut + 2] if cut >= 0 else ""
    if drop.endswith(" –") or drop.endswith(" -"):
        drop += " "
    return {quiz.id: (quiz.title[len(drop):] or quiz.title).strip() for quiz in quizzes}
