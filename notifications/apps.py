from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .middleware import record_visit_on_login

        user_logged_in.connect(record_visit_on_login, dispatch_uid="notifications.visit_on_login")
