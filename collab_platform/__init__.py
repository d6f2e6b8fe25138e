"""Council Collaboration Platform project package.

Importing the Celery app here makes ``shared_task`` bind to it whenever Django
starts, whichever process (web, worker, beat) imports the project first.
"""

from .celery import app as celery_app

__all__ = ("celery_app",)
