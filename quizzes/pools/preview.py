"""The instructor's preview of random slots: one sample draw, reproducible from the seed in the page's
URL (so "Check answers" grades the questions shown) and never recorded: DrawnQuestion, attempts and the
learners' "seen" history are for real attempts only."""
import random
import secrets
from dataclasses import dataclass, field

from ..models import Question, Quiz
from .draw import draw
from .models import RandomSlot
from .selectors import random_slots_of, slot_pool

SEED_LIMIT = 2 ** 62  # as an attempt's seed


@dataclass
class SampleSlot:
    slot: RandomSlot
    question_ids: list[int]
    pool_size: int  # candidates left for this slot; below draw_count, learners cannot start the quiz
    items: list[dict] = field(default_factory=list)  # filled by the view with preview items

    @property
    def too_small(self) -> bool:
        return self.pool_size < self.slot.draw_count


def preview_seed(raw: str | None) -> int:
    """The seed in the URL, or a fresh one: anything else (text, huge numbers, unicode digits) draws afresh."""
    if raw and len(raw) <= 19 and raw.isascii() and raw.isdigit() and int(raw) < SEED_LIMIT:
        return int(raw)
    return secrets.randbelow(SEED_LIMIT)


def sample_draw(*, quiz: Quiz, seed: int) -> list[SampleSlot]:
    """Each random slot with the questions one attempt could draw: as an attempt draws, with no history
    (every question unseen), and as many as the pool has when it has too few."""
    taken = set(Question.objects.filter(quiz=quiz, is_deleted=False).values_list("id", flat=True))
    rng = random.Random(f"preview:{seed}")
    sample = []
    for slot in random_slots_of(quiz=quiz):
        candidates = [q for q in slot_pool(slot=slot).order_by().values_list("id", flat=True) if q not in taken]
        picked = draw(candidates=candidates, seen={}, count=slot.draw_count, rng=rng)
        taken.update(picked)
        sample.append(SampleSlot(slot=slot, question_ids=picked, pool_size=len(candidates)))
    return sample


def sample_items_assign(*, sample: list[SampleSlot], items: list[dict]) -> list[dict]:
    """Give each slot its preview items (in draw order); returns the rest, the quiz's own questions."""
    by_question = {item["question_id"]: item for item in items}
    drawn = set()
    for part in sample:
        part.items = [by_question[pk] for pk in part.question_ids if pk in by_question]
        drawn.update(part.question_ids)
    return [item for item in items if item["question_id"] not in drawn]
