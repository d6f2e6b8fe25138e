"""Celery application: digests and e-mail run here, off the request path."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collab_platform.settings")

app = Celery("collab_platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
