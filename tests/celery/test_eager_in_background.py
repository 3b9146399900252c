"""`make run` has no broker. Its tasks still run in the same process, but in a background thread, so the request
that queued one returns at once and a progress page can watch it (pathways/celery.py)."""

import threading
import time

import pytest
from django.test import override_settings

from pathways.celery import app
from people.models import Partner

# serialized_rollback, as every transactional test here: the flush at the end then restores the migrated data
# (role groups, the root page) instead of re-creating the groups under new ids on PostgreSQL, where the next
# serialized-rollback test (the worker tests) would collide with them.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

release = threading.Event()


@app.task
def open_partner_when_released(slug):
    assert release.wait(timeout=20), "never released"
    Partner.objects.create(name=f"Partner {slug}", slug=slug)


@app.task
def fail_loudly():
    raise RuntimeError("a bug in a task")


def wait_for(condition, seconds=20):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()


@override_settings(PATHWAYS_EAGER_TASKS_IN_BACKGROUND=True)
def test_a_queued_task_runs_after_the_caller_has_moved_on():
    release.clear()

    open_partner_when_released.delay("riverside")

    # The caller is back while the task is still waiting: it runs elsewhere, not inside the call.
    assert not Partner.objects.filter(slug="riverside").exists()
    release.set()
    assert wait_for(lambda: Partner.objects.filter(slug="riverside").exists())


@override_settings(PATHWAYS_EAGER_TASKS_IN_BACKGROUND=True)
def test_a_failing_background_task_is_logged_and_leaves_the_caller_unharmed(caplog):
    fail_loudly.delay()

    assert wait_for(lambda: "failed in the background" in caplog.text)
    assert "a bug in a task" in caplog.text


def test_without_the_setting_tasks_run_inside_the_call_as_tests_expect():
    release.set()

    open_partner_when_released.delay("eastside")

    assert Partner.objects.filter(slug="eastside").exists()


@override_settings(PATHWAYS_EAGER_TASKS_IN_BACKGROUND=True)
def test_tasks_queued_on_commit_run_in_the_background_once_the_transaction_commits():
    from django.db import transaction

    release.set()
    with transaction.atomic():
        open_partner_when_released.delay_on_commit("northside")
        assert not Partner.objects.filter(slug="northside").exists()

    assert wait_for(lambda: Partner.objects.filter(slug="northside").exists())
