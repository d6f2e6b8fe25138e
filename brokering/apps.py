from django.apps import AppConfig


class BrokeringConfig(AppConfig):
    """The platform as broker: the renewal radar, the broker queue of what
    has stalled (with nudges) and insights across shared workshop results.
    It reads councils, initiatives and workshops; nothing imports it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "brokering"
