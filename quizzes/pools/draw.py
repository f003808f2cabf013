"""The draw: which pool questions an attempt gets, seeded by the attempt so it can be reproduced.

Unseen questions come first; when the pool has too few of them for the slot, the rest are the ones the
learner saw longest ago. A pool smaller than the slot refuses to start the attempt (code
"pool_too_small") rather than quietly giving a shorter quiz.
"""
import random

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from ..models import Quiz
from .models import DrawnQuestion
from ..services import grading
from .selectors import random_slots_of, seen_by_learner, slot_pool


def draw(*, candidates: list[int], seen: dict[int, int], count: int, rng: random.Random) -> list[int]:
    """`count` of `candidates` (question ids): unseen ones at random, then the least recently seen."""
    pool = sorted(set(candidates))  # the same pool and seed give the same draw, whatever the query order
    unseen = [q for q in pool if q not in seen]
    rng.shuffle(unseen)
    chosen = unseen[:count]
    if len(chosen) < count:
        again = [q for q in pool if q in seen]
        rng.shuffle(again)
        again.sort(key=lambda q: seen[q])  # stable: equally old ones stay in their random order
        chosen += again[: count - len(chosen)]
    return chosen


def random_slots_layout(*, quiz: Quiz, user: User, seed: int, taken: set[int]) -> list[list[int]]:
    """[[question_id, version_id], …] for the quiz's random slots, none of them in `taken` or drawn twice."""
    slots = random_slots_of(quiz=quiz)
    if not slots:
        return []
    seen = seen_by_learner(quiz=quiz, user=user)
    rng = random.Random(f"pools:{seed}")
    chosen: list[int] = []
    for slot in slots:
        # Unordered: draw() sorts the ids itself, so the database need not (no temporary B-tree).
        candidates = [q for q in slot_pool(slot=slot).order_by().values_list("id", flat=True) if q not in taken]
        if len(candidates) < slot.draw_count:
            # The learner is not told which questions exist, only that the quiz cannot start.
            raise ValidationError("This quiz cannot start: one of its question sets has fewer questions than it "
                                  "should draw. Please tell your instructor.", code="pool_too_small")
        picked = draw(candidates=candidates, seen=seen, count=slot.draw_count, rng=rng)
        taken.update(picked)
        chosen += picked
    latest = grading.latest_version_ids(chosen)
    return [[question_id, latest[question_id]] for question_id in chosen if question_id in latest]


def drawn_questions_record(*, quiz: Quiz, question_ids: list[int]) -> None:
    """Remember what the quiz drew, for its reports (item statistics, regrade notes, summaries). Called
    inside the attempt's own transaction (no commit of its own); ignore_conflicts makes a question
    drawn again, or two starts at once, a no-op rather than an error."""
    if question_ids:
        DrawnQuestion.objects.bulk_create([DrawnQuestion(quiz=quiz, question_id=q) for q in question_ids], ignore_conflicts=True)
