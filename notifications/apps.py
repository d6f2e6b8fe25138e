from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .middleware import record_visit_on_login

        user_logged_in.connect(record_visit_on_login, dispatch_uid="notifications.visit_on_login")

        from councils import page_sections

        from .views.feeds import council_page_section

        # A council's page shows its recent activity, after its initiatives.
        page_sections.register(
            page_sections.CouncilPageSection(
                key="activity",
                template="notifications/feed/council_section.html",
                context=council_page_section,
            )
        )
