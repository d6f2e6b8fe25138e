from django.apps import AppConfig


class SwotConfig(AppConfig):
    name = "swot"

    def ready(self) -> None:
        # The live board hears about committed operations through the outbox.
        from notifications.outbox import register_event_sender

        from .live import send_to_board

        register_event_sender(send_to_board)
