"""The Celery application; configuration comes from Django settings (CELERY_*).

With no broker (`make run`), tasks run in-process ("eager"). Eagerly, a task would run inside the request that
queued it, so a manager issuing forty certificates would stare at a loading page and never see the progress
bar move. With PATHWAYS_EAGER_TASKS_IN_BACKGROUND (on in the dev settings), an eager task runs in a
background thread of the same process instead, as a worker would, and the request returns at once. Tests keep
plain eager tasks (the setting is off), and production has real workers.
"""

import logging
import os
import threading

from celery import Celery
from celery.contrib.django.task import DjangoTask
from celery.result import AsyncResult
from celery.utils import uuid

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pathways.settings.dev")

logger = logging.getLogger(__name__)


class Task(DjangoTask):
    def apply_async(self, args=None, kwargs=None, task_id=None, **options):
        from django.conf import settings

        if self.app.conf.task_always_eager and getattr(settings, "PATHWAYS_EAGER_TASKS_IN_BACKGROUND", False):
            return self._apply_in_background(args, kwargs, task_id or uuid(), options)
        return super().apply_async(args, kwargs, task_id=task_id, **options)

    def _apply_in_background(self, args, kwargs, task_id, options):
        def run():
            from django.db import connections

            try:
                self.apply(args=args, kwargs=kwargs, task_id=task_id, **options)
            except Exception:
                logger.exception("Task %s (%s) failed in the background.", self.name, task_id)
            finally:
                connections.close_all()  # this thread's own connections

        threading.Thread(target=run, name=f"task {self.name}", daemon=True).start()
        return AsyncResult(task_id, app=self.app)


app = Celery("pathways", task_cls=Task)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
