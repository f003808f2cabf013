"""The quiz report counts from (value, how many) pairs: on random data the counted form gives exactly
what one entry per answer gives (the per-answer code is kept here as the reference)."""
import json
import random
from collections import Counter

import pytest

from quizzes.domain import item_analysis, spec_from_json
from quizzes.domain.statistics import (ItemSums, counted_option_frequencies, discriminative_efficiency, option_frequencies,
                                       question_statistics, sorted_pairing_sum)
from quizzes.qtypes import qtype_for
from quizzes.qtypes.base import TOP_TYPED_ANSWERS
from quizzes.qtypes.matching import right_item_id
from quizzes.qtypes.page_parts import FrequencyRow
from tests.conftest import QUESTION_SPECS

RESPONSES = {
    "single_choice": [{"choice": "a"}, {"choice": "b"}, {"choice": "c"}, {"choice": "zz"}, {}],
    "multiple_response": [{"choices": ["a", "b"]}, {"choices": ["a"]}, {"choices": ["c", "a"]}, {"choices": []}, {}],
    "true_false": [{"value": True}, {"value": False}, {}],
    "short_answer": [{"text": "secretsoftmax"}, {"text": " SecretSoftmax "}, {"text": "secretsoftish"}, {"text": "relu"},
                     {"text": "ReLU"}, {"text": ""}, {}] + [{"text": f"word{i}"} for i in range(TOP_TYPED_ANSWERS + 3)],
    "numeric": [{"text": "8"}, {"text": "8.0"}, {"text": "7.5"}, {"text": "abc"}, {}],
    "matching": [{"pairs": {"a": "x"}}, {}, {"pairs": {}}],
    "essay": [{"text": "because"}, {}],
}


def per_answer_rows(qtype, spec, responses: list[dict]) -> list[FrequencyRow]:
    """The statistics page's rows counted one answer at a time, as before the counted form."""
    if qtype.name == "essay":
        return []
    if qtype.name == "matching":
        answered = [r.get("pairs") or {} for r in responses if r.get("pairs")]
        rows = []
        for pair in spec.pairs:
            count = sum(1 for picks in answered if picks.get(pair.id) == right_item_id(pair.right))
            rows.append(FrequencyRow(label=f"{pair.left} → {pair.right}", count=count,
                                     percent=100 * count / len(answered) if answered else 0.0, right=True))
        return rows
    options = qtype.choice_options(spec)
    if options is not None:
        picks = [p for p in (qtype.picked(r) for r in responses if r) if p]
        return [FrequencyRow(label=text, count=sum(1 for p in picks if option in p),
                             percent=100 * (sum(1 for p in picks if option in p) / len(picks) if picks else 0.0), right=fraction > 0)
                for option, text, fraction in options]
    typed, answered = {}, 0
    for response in responses:
        raw = " ".join((qtype.typed_text(response) or "").split())
        if raw:
            answered += 1
            shown, count = typed.get(raw.casefold(), (raw, 0))
            typed[raw.casefold()] = (shown, count + 1)
    return [FrequencyRow(label=shown, count=count, percent=100 * count / answered,
                         right=(qtype.grade(spec, qtype.typed_response(shown)).fraction or 0) >= 1 - 1e-9)
            for shown, count in sorted(typed.values(), key=lambda item: (-item[1], item[0]))[:TOP_TYPED_ANSWERS]]


def counted(responses: list[dict]) -> list[tuple[dict, int]]:
    """Equal responses as one (response, count) pair, in the order they first appear (as the summary rows keep them)."""
    counts = Counter(json.dumps(r, sort_keys=True) for r in responses)
    return [(json.loads(key), count) for key, count in counts.items()]


@pytest.mark.parametrize("name", sorted(RESPONSES))
@pytest.mark.parametrize("seed", range(5))
def test_counted_frequency_rows_equal_the_per_answer_ones(name, seed):
    rng = random.Random(seed)
    spec_json = dict(QUESTION_SPECS[name])
    if name == "matching":  # a right pick for each item, whatever id the type gives it
        spec = spec_from_json(spec_json)
        RESPONSES[name].append({"pairs": {p.id: right_item_id(p.right) for p in spec.pairs}})
    qtype = qtype_for(spec_json)
    spec = qtype.spec(spec_json)
    expanded = [rng.choice(RESPONSES[name]) for _ in range(rng.randint(0, 400))]
    assert qtype.frequency_rows(spec, counted(expanded)) == per_answer_rows(qtype, spec, expanded)
    if name in ("single_choice", "short_answer", "multiple_response"):
        assert any(row.count > 1 for row in qtype.frequency_rows(spec, counted(expanded))) or len(expanded) < 10


@pytest.mark.parametrize("seed", range(10))
def test_counted_option_frequencies_equal_the_expanded_ones(seed):
    rng = random.Random(seed)
    options = [("a", "A", 1.0), ("b", "B", 0.0), ("c", "C", -0.5)]
    picks = [rng.sample("abcd", rng.randint(1, 3)) for _ in range(rng.randint(0, 300))]
    grouped = Counter(tuple(p) for p in picks)
    assert counted_option_frequencies(options, [(list(p), n) for p, n in grouped.items()]) == option_frequencies(options, picks)
    assert counted_option_frequencies(options, []) == option_frequencies(options, [])
    assert all(c.count == 0 and c.share == 0.0 for c in counted_option_frequencies(options, []))


@pytest.mark.parametrize("seed", range(10))
def test_statistics_from_counts_equal_those_from_every_attempt(seed):
    """Sums and runs taken over distinct (score, rest score) pairs with their counts give the figures
    item_analysis gives from the expanded attempts (the counts the summary rows store)."""
    rng = random.Random(seed)
    keys, marks = ["q1", "q2", "q3"], {"q1": 1.0, "q2": 2.0, "q3": 1.0}
    attempts = [{k: rng.choice([0.0, 0.5, 1.0, 1.0, None if k == "q3" else 0.0]) for k in keys} for _ in range(rng.randint(2, 300))]
    expected = item_analysis(attempts, marks)
    pairs: dict[str, Counter] = {k: Counter() for k in keys}
    for attempt, times in Counter(tuple(sorted(a.items())) for a in attempts).items():
        row = dict(attempt)
        graded = {k: v for k, v in row.items() if v is not None}
        total, weight = sum(marks[k] * v for k, v in graded.items()), sum(marks[k] for k in graded)
        for k, x in graded.items():
            rest_weight = weight - marks[k]
            pairs[k][(x, (total - x * marks[k]) / rest_weight if rest_weight > 0 else 0.0)] += times
    for k in keys:
        runs = pairs[k].items()
        sums = ItemSums(sum(n for _, n in runs), sum(x * n for (x, _), n in runs), sum(x * x * n for (x, _), n in runs),
                        sum(r * n for (_, r), n in runs), sum(r * r * n for (_, r), n in runs), sum(x * r * n for (x, r), n in runs))
        got, want = question_statistics(k, sums), expected.questions[k]
        assert got.responses == want.responses
        for field in ("facility", "standard_deviation", "discrimination"):
            a, b = getattr(got, field), getattr(want, field)
            assert (a is None) == (b is None) and (a is None or a == pytest.approx(b, rel=1e-9, abs=1e-12)), field
        own, rest = Counter(), Counter()
        for (x, r), n in runs:
            own[x] += n
            rest[r] += n
        expanded_own = [(x, 1) for (x, _), n in runs for _ in range(n)]
        expanded_rest = [(r, 1) for (_, r), n in runs for _ in range(n)]
        assert sorted_pairing_sum(list(own.items()), list(rest.items())) == pytest.approx(sorted_pairing_sum(expanded_own, expanded_rest))
        de = discriminative_efficiency(sums, list(own.items()), list(rest.items()))
        de_expanded = discriminative_efficiency(sums, expanded_own, expanded_rest)
        assert (de is None) == (de_expanded is None) and (de is None or de == pytest.approx(de_expanded))
