"""Migration 0002 (team subscriptions) keeps a person's subscriptions and their deliveries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("webhooks", "0001_initial")]
AFTER = [("webhooks", "0002_team_subscriptions")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_a_persons_subscriptions_and_their_log_stay_theirs():
    old = migrate(BEFORE)
    person = old.get_model("auth", "User").objects.create(username="ada")
    subscription = old.get_model("webhooks", "Subscription").objects.create(
        user=person, target_url="https://example.com/hook", events=["booking.created"]
    )
    old.get_model("webhooks", "Delivery").objects.create(
        subscription=subscription,
        event="ping",
        message_id="msg_1",
        payload={},
        created_at="2026-12-01T10:00:00Z",
    )
    try:
        new = migrate(AFTER)
        kept = new.get_model("webhooks", "Subscription").objects.get()
        assert (kept.pk, kept.user_id, kept.team_id) == (subscription.pk, person.pk, None)
        assert kept.deliveries.get().message_id == "msg_1"
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
