from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # Connect the e-mail verification receivers (invitations, join requests).
        from . import signals  # noqa: F401
