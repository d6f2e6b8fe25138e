from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "initiatives"

    def ready(self) -> None:
        from councils import page_sections

        from . import signals
        from .views.catalogue import council_page_section

        # Search vectors hold the lead organisation's names: keep them in step.
        signals.connect()
        # A council's page lists the initiatives it leads and takes part in.
        page_sections.register(
            page_sections.CouncilPageSection(
                key="initiatives",
                template="initiatives/includes/council_initiatives.html",
                context=council_page_section,
            )
        )
