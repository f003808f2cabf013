"""Migration 0005 labels the questions that existed before pools, from each one's latest version."""
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# Autouse: leaves the database at the newest migrations for the tests after this one.
from tests.quizzes.test_migration_id_secret import latest_schema_afterwards

pytestmark = pytest.mark.django_db(transaction=True)
__all__ = ["latest_schema_afterwards"]  # a fixture pytest finds here; named so nothing calls it unused
BEFORE, AFTER = [("quizzes", "0003_review_cards")], [("quizzes", "0005_question_pools")]


def test_existing_questions_are_labelled_from_their_latest_version(cast):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    quiz = old.get_model("quizzes", "Quiz").objects.create(lesson_id=cast.lesson.pk, slug="old", title="Old quiz")
    Question, Version = old.get_model("quizzes", "Question"), old.get_model("quizzes", "QuestionVersion")
    edited, plain = Question.objects.create(quiz=quiz, position=1), Question.objects.create(quiz=quiz, position=2)
    Version.objects.create(question=edited, number=1, spec={"title": "a", "category": "Old", "tags": ["gone"]})
    Version.objects.create(question=edited, number=2, spec={"title": "a", "category": "$course$/top/Heads", "tags": ["Week-2", "x"]})
    Version.objects.create(question=plain, number=1, spec={"title": "b"})

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    labels = set(new.get_model("quizzes", "PoolLabel").objects.values_list("question_id", "kind", "value"))
    assert labels == {(edited.pk, "category", "heads"), (edited.pk, "tag", "week-2"), (edited.pk, "tag", "x")}

