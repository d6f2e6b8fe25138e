from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Registered so Django finds the GOV.UK template tags in ``core/templatetags``."""

    name = "core"
    verbose_name = "Core"
