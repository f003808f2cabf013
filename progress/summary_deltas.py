"""Append-only summary counters: writers insert signed delta rows, readers fold them into the totals.

A counter row shared by many learners (one per quiz and day pair, one per day) that every learner's
request updated in its own transaction made those requests wait for each other: the first to update
it holds its row lock until it commits. Inserting a delta row takes no lock another insert waits
for, so the writers only ever insert; the reader that needs the totals first folds the pending
deltas into them, in one short transaction of its own:

- `DELETE … RETURNING` takes the committed deltas; those of transactions still open are invisible
  to it and wait, untouched, for the next fold.
- Two folds at once cannot count a delta twice: the second's DELETE waits for the first's row locks
  and then finds those rows gone. Folds and rebuilds of one table also take one transaction-level
  advisory lock (PostgreSQL), so a rebuild never interleaves with a fold.
- The sums are added with one upsert (non-negative sums) and one UPDATE … FROM (VALUES …) for those
  with a negative part, whose row a fold or rebuild has always written already.

We fold on read rather than reading totals UNION ALL deltas so that the read stays a scan of the
small totals table however many changes the learners made since the last read. So that the deltas
stay few where nobody reads for months, the writer whose insert reaches a multiple of
settings.PROGRESS_FOLD_EVERY_DELTAS (by id) also folds, after its commit (fold_now_and_then).
"""
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import connection, transaction

CHUNK = 500


def summary_lock(table: str) -> None:
    """Serialise this transaction's fold or rebuild of `table` with any other (PostgreSQL)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [table])


def _chunks(rows: list) -> list[list]:
    return [rows[i:i + CHUNK] for i in range(0, len(rows), CHUNK)]


def totals_add(*, table: str, keys: tuple[str, ...], sums: tuple[str, ...], totals: dict[tuple, tuple]) -> None:
    """Add each key's sums to its row of `table` (created when missing); all-zero sums are skipped."""
    plus = [(*key, *values) for key, values in totals.items() if any(values) and min(values) >= 0]
    minus = [(*key, *values) for key, values in totals.items() if min(values) < 0]
    columns = ", ".join((*keys, *sums))
    with connection.cursor() as cursor:
        for chunk in _chunks(plus):
            rows = ", ".join(["(" + ", ".join(["%s"] * len(chunk[0])) + ")"] * len(chunk))
            adds = ", ".join(f"{name} = {table}.{name} + EXCLUDED.{name}" for name in sums)
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {rows} ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {adds}",
                           [value for row in chunk for value in row])
        for chunk in _chunks(minus):  # VALUES' columns are column1, column2, … on PostgreSQL and SQLite alike
            rows = ", ".join(["(" + ", ".join(["%s"] * len(chunk[0])) + ")"] * len(chunk))
            adds = ", ".join(f"{name} = {table}.{name} + v.column{len(keys) + i + 1}" for i, name in enumerate(sums))
            match = " AND ".join(f"{table}.{name} = v.column{i + 1}" for i, name in enumerate(keys))
            cursor.execute(f"UPDATE {table} SET {adds} FROM (VALUES {rows}) AS v WHERE {match}", [value for row in chunk for value in row])


def deltas_fold(*, deltas: str, table: str, keys: tuple[str, ...], sums: tuple[str, ...], where: str = "", params: list | None = None) -> int:
    """Move the committed rows of `deltas` (those matching `where`) into `table`'s totals; returns how many."""
    with transaction.atomic(savepoint=False):  # its own transaction when called outside one (a dashboard read)
        summary_lock(table)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {deltas} {where} RETURNING {', '.join((*keys, *sums))}", params or [])
            taken = cursor.fetchall()
        totals: dict[tuple, list] = defaultdict(lambda: [0] * len(sums))
        for row in taken:
            total = totals[tuple(row[:len(keys)])]
            for i, value in enumerate(row[len(keys):]):
                total[i] += value
        totals_add(table=table, keys=keys, sums=sums, totals={key: tuple(values) for key, values in totals.items()})
    return len(taken)


def fold_now_and_then(created: Iterable, fold: Callable[[], object]) -> None:
    """After inserting the delta rows `created`: when one of their ids is a multiple of
    settings.PROGRESS_FOLD_EVERY_DELTAS (about that many deltas wait between two folds, and one write
    in that many pays for a fold), run `fold` once this transaction commits (outside it: the writer's
    locks are gone by then). A fold that fails is logged, never raised: the write has already
    committed, and the next reader folds."""
    every = settings.PROGRESS_FOLD_EVERY_DELTAS
    if every and any(row.pk is not None and row.pk % every == 0 for row in created):
        transaction.on_commit(fold, robust=True)
