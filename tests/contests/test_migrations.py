"""Attempts made before the answer key was stored keep their answers and scores."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from moduong.contests.selectors import attempt_view
from moduong.contests.services import attempt_start, round_paper_load

from .factories import correct_answers, open_round, participant

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("contests", "0002_staff_permissions")]
AFTER = [("contests", "0003_attempt_key")]


@pytest.fixture(autouse=True)
def _latest_schema_after():  # type: ignore[no-untyped-def]
    """The test leaves the database at every app's latest migration, as it found it: the tests
    after it (transactional ones run last) need every column."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_old_answers_in_the_banks_order_are_turned_into_the_attempts_order() -> None:
    rnd = open_round()
    user = participant(rnd.contest)
    attempt = attempt_start(user=user, round_id=rnd.pk)
    right = correct_answers(attempt)
    paper = round_paper_load(round_id=rnd.pk)
    bank_order = {qid: [o[0] for o in paper.questions[qid].options] for qid in paper.questions}
    wrong = next(o for o in attempt.questions[1][1] if o != right[1][1])
    # As the first version stored them: the chosen option's index in the bank, no key.
    old = (
        str(bank_order[right[0][0]].index(right[0][1]))
        + str(bank_order[right[1][0]].index(wrong))
        + "---"
    )
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE contests_attempt SET answers = %s WHERE id = %s", [old, attempt.pk])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    attempt.refresh_from_db()
    shown = [order for _qid, order in attempt.questions]
    assert attempt.answers == (
        str(shown[0].index(right[0][1])) + str(shown[1].index(wrong)) + "---"
    )
    assert attempt.key == "".join(
        str(order.index(r)) for order, (_q, r) in zip(shown, right, strict=True)
    )
    view = attempt_view(attempt=attempt, now=timezone.now() - dt.timedelta(seconds=1))
    chosen = [next((o.id for o in q.options if o.chosen), None) for q in view.questions]
    assert chosen == [right[0][1], wrong, None, None, None]
