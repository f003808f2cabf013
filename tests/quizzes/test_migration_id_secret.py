"""Migration 0002 gives every attempt that existed before it a secret of its own."""
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE, AFTER = [("quizzes", "0001_initial")], [("quizzes", "0002_attempt_id_secret")]


def test_existing_attempts_each_get_their_own_secret(cast):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    quiz = old.get_model("quizzes", "Quiz").objects.create(lesson_id=cast.lesson.pk, slug="old", title="Old quiz")
    Attempt = old.get_model("quizzes", "Attempt")
    for number, user in enumerate((cast.student, cast.classmate), start=1):
        Attempt.objects.create(quiz=quiz, user_id=user.pk, number=1, shuffle_seed=number, layout=[])

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    secrets = list(new.get_model("quizzes", "Attempt").objects.values_list("id_secret", flat=True))
    assert len(secrets) == 2 and len(set(secrets)) == 2 and all(len(secret) == 32 for secret in secrets)


@pytest.fixture(autouse=True)
def latest_schema_afterwards():
    """Leave the database at the newest migrations, as the tests after this one expect it."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
