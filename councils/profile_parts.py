"""The one registry of a council profile's parts: systems in use, needs and
skills offered.

Each part says what it is (model, related name, ordering, the words pages
use), where it is changed (its three services) and where the API serves it.
The page door (``views.profiles``, with a form per part from
``forms.profiles.PART_FORMS``) and the API door (``api.profiles``, with
serializers from ``api.profiles.PART_SERIALIZERS``) both iterate this
registry, so a part added here appears on the council page, the profile
editor and ``/api/v1/organisations/<slug>/...`` together, and each door
refuses to start if it lacks the part's form or serializer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Model, Value, When

from .models import Need, Organisation, SkillOffer, SystemInUse
from .services import profiles


@dataclass(frozen=True)
class ProfilePart:
    """One editable part of a profile: its rows, services, API route and words."""

    key: str  # in page URLs: /councils/<slug>/profile/<key>/add/
    model: type[Model]
    related_name: str  # Organisation.<related_name>, and the name in templates and API bodies
    select_related: str
    add_service: Callable[..., Model]
    update_service: Callable[..., Model]
    remove_service: Callable[..., None]
    object_kwarg: str  # what the update/remove services call the row
    api_path: str  # /api/v1/organisations/<slug>/<api_path>/
    api_basename: str
    noun: str  # "system", used in headings, messages and API summaries
    add_heading: str
    order_by: tuple = ()  # empty: the model's own ordering

    def add(self, *, organisation: Organisation, by, data: dict[str, Any]) -> Model:
        return self.add_service(organisation=organisation, by=by, **data)

    def update(self, *, obj: Model, by, data: dict[str, Any]) -> Model:
        return self.update_service(**{self.object_kwarg: obj}, by=by, **data)

    def remove(self, *, obj: Model, by) -> None:
        self.remove_service(**{self.object_kwarg: obj}, by=by)


PROFILE_PARTS: dict[str, ProfilePart] = {
    part.key: part
    for part in (
        ProfilePart(
            key="systems",
            model=SystemInUse,
            related_name="systems",
            select_related="service_area",
            add_service=profiles.add_system,
            update_service=profiles.update_system,
            remove_service=profiles.remove_system,
            object_kwarg="system",
            api_path="systems",
            api_basename="organisation-system",
            noun="system",
            add_heading="Add a system your council uses",
        ),
        ProfilePart(
            key="needs",
            model=Need,
            related_name="needs",
            select_related="service_area",
            add_service=profiles.add_need,
            update_service=profiles.update_need,
            remove_service=profiles.remove_need,
            object_kwarg="need",
            api_path="needs",
            api_basename="organisation-need",
            noun="need",
            add_heading="Add something your council needs",
            # Within a service area, most urgent first (the stored values sort alphabetically).
            order_by=(
                "service_area__name",
                Case(
                    When(priority=Need.Priority.HIGH, then=Value(0)),
                    When(priority=Need.Priority.MEDIUM, then=Value(1)),
                    default=Value(2),
                ),
                "pk",
            ),
        ),
        ProfilePart(
            key="skills",
            model=SkillOffer,
            related_name="skills_offered",
            select_related="skill",
            add_service=profiles.add_skill_offer,
            update_service=profiles.update_skill_offer,
            remove_service=profiles.remove_skill_offer,
            object_kwarg="skill_offer",
            api_path="skills-offered",
            api_basename="organisation-skill-offer",
            noun="skill offered",
            add_heading="Offer a skill",
        ),
    )
}


def profile_part(key: str) -> ProfilePart | None:
    """The part called ``key`` in a URL, or None."""
    return PROFILE_PARTS.get(key)
