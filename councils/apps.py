from django.apps import AppConfig


class CouncilsConfig(AppConfig):
    name = "councils"

    def ready(self) -> None:
        # Joining an organisation when an e-mail address is verified.
        from . import signals

        signals.connect()
