"""Sections other apps add to a council's page (``/councils/<slug>/``).

``councils`` imports no app that builds on it, yet a council's page should
show, say, the initiatives it leads. So an app registers a section here from
its ``AppConfig.ready`` (``initiatives`` does), and the page door renders
every registered section in order, each from its own template with the
context its function builds for the viewer. The function decides nothing
about visibility itself: it reads through its app's selectors.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .models import Organisation


@dataclass(frozen=True)
class CouncilPageSection:
    key: str
    template: str
    # (viewer, organisation) -> the template's ``section`` context.
    context: Callable[[Any, Organisation], dict[str, Any]]


_SECTIONS: dict[str, CouncilPageSection] = {}


def register(section: CouncilPageSection) -> None:
    """Add (or, by ``key``, replace) a section; called once per app, from ``ready``."""
    _SECTIONS[section.key] = section


def sections_for(user, organisation: Organisation) -> list[dict[str, Any]]:
    """Each registered section's template and context, for the page to include."""
    return [
        {"template": section.template, **section.context(user, organisation)}
        for section in _SECTIONS.values()
    ]
