"""Keeping what initiatives copy from organisations in step with them.

An initiative's search vector holds its lead organisation's short and
official names (``services.catalogue.refresh_search_vectors``), so renaming
an organisation refreshes the vectors of the initiatives it leads: through
``post_save`` for a single save (the admin, any service), and through
``councils.signals.organisation_names_changed`` for bulk renames, where no
``post_save`` fires (the register import). Connected in
``InitiativesConfig.ready``: councils knows nothing of initiatives.
"""

from __future__ import annotations

from django.db.models.signals import post_save

from councils.models import Organisation
from councils.signals import organisation_names_changed

from .services.catalogue import LEAD_SEARCH_FIELDS, refresh_search_vectors_led_by


def organisation_saved(sender, instance: Organisation, created: bool, raw: bool = False, **kwargs):
    """A saved organisation may have a new name; a new one leads nothing yet,
    and a save of named other fields (``update_fields``) cannot rename it."""
    update_fields = kwargs.get("update_fields")
    if created or raw:
        return
    if update_fields is not None and not set(update_fields) & set(LEAD_SEARCH_FIELDS):
        return
    refresh_search_vectors_led_by(organisation_ids=[instance.pk])


def organisations_renamed(sender, organisation_ids, **kwargs) -> None:
    refresh_search_vectors_led_by(organisation_ids=organisation_ids)


def connect() -> None:
    """Listen for organisations being renamed (called once, from ``ready``)."""
    post_save.connect(
        organisation_saved, sender=Organisation, dispatch_uid="initiatives.organisation_saved"
    )
    organisation_names_changed.connect(
        organisations_renamed, dispatch_uid="initiatives.organisations_renamed"
    )
