"""People in templates: ``{% person someone organisation=org role="admin" %}``
prints the name, or "A council admin at Leedsham" for a viewer who may not
see names (``councils.names``). Templates never decide that themselves.

The viewer is ``names_viewer`` when the context sets it (an e-mail, rendered
for its recipient; ``None`` for an address without an account), else the
request's user, else nobody: without a viewer, names stay hidden.

    {% load names %}
    {% person comment.author organisation=comment.organisation as author %}
    {{ author }}{% if author.is_name %}, {{ comment.organisation.name }}{% endif %}
    Signed off by {% person p.signed_off_by organisation=p.organisation role="admin" lower=True %}
"""

from __future__ import annotations

from django import template

from .. import names
from ..models import Membership
from ..policies import may_see_personal_names

register = template.Library()


def viewer_of(context):
    """Who the page or message is for (see the module docstring)."""
    if "names_viewer" in context:
        return context["names_viewer"]
    request = context.get("request")
    return getattr(request, "user", None)


def _styled(shown: names.ShownPerson, lower: bool) -> names.ShownPerson:
    return names.ShownPerson(shown.in_sentence, shown.is_name) if lower else shown


@register.simple_tag(takes_context=True)
def person(
    context, someone, organisation=None, role=Membership.Role.MEMBER, lower=False
) -> names.ShownPerson:
    """The name of ``someone`` or their role at ``organisation``; ``lower``
    for the middle of a sentence."""
    shown = names.show_person(viewer_of(context), someone, organisation=organisation, role=role)
    return _styled(shown, lower)


@register.simple_tag(takes_context=True)
def inviter(context, invitation, lower=False) -> names.ShownPerson:
    """Who sent ``invitation``: a name, an admin of the organisation, or the platform team."""
    return _styled(names.show_inviter(viewer_of(context), invitation), lower)


@register.simple_tag(takes_context=True)
def may_see_names(context) -> bool:
    """For a section that is only a list of names (a council's people): whether to show it."""
    return may_see_personal_names(viewer_of(context))
