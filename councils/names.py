"""What a viewer is shown of a person: their name, or the organisation and
role the person acts in ("An officer at Leedsham").

The rule is ``policies.may_see_personal_names`` (staff and members of active
organisations see names); this module is the one place that applies it, so
every door says the same thing in the same words:

- pages and e-mails through the ``{% person %}`` template tag
  (``councils.templatetags.names``), which asks ``show_person`` here;
- the API through ``personal_name`` (``None`` when the caller may not see it);
- e-mails are rendered for each recipient, who is the viewer
  (``notifications.emails``).

Everyone sees their own name. Free-text names (an initiative's sponsors) are
treated as people's names too: they name people.
"""

from __future__ import annotations

from .models import Membership, Organisation
from .policies import may_see_personal_names
from .selectors.people import active_membership_for

FORMER_MEMBER = "A former member"
PLATFORM_TEAM = "The platform team"

# The capacities a person is shown in, beyond their membership role.
POLITICAL_SPONSOR = "political_sponsor"
OFFICER_SPONSOR = "officer_sponsor"
PLATFORM_ADMIN = "platform_admin"

_COUNCIL_LIKE = frozenset({Organisation.Kind.COUNCIL, Organisation.Kind.COMBINED_AUTHORITY})


class ShownPerson(str):
    """What to print for one person: their name when ``is_name``, else a label
    without a name (or empty when there is nothing to say, such as a hidden
    person whose organisation was not recorded). A ``str``, so templates
    print it as it is, escaped or not."""

    is_name: bool

    def __new__(cls, text: str, is_name: bool) -> ShownPerson:
        shown = super().__new__(cls, text)
        shown.is_name = is_name
        return shown

    @property
    def text(self) -> str:
        return str.__str__(self)

    @property
    def in_sentence(self) -> str:
        """For the middle of a sentence ("signed off by a council admin at
        Leedsham"): a label starts lower case; a name is left as written."""
        if self.is_name or not self:
            return self.text
        return self.text[0].lower() + self.text[1:]


def role_label(organisation: Organisation, role: str = Membership.Role.MEMBER) -> str:
    """The non-personal way to refer to someone: their role and organisation."""
    council_like = organisation.kind in _COUNCIL_LIKE
    staff_noun = "A member of staff" if organisation.is_supplier else "An officer"
    noun = {
        Membership.Role.MEMBER: staff_noun,
        Membership.Role.FACILITATOR: "A workshop facilitator",
        Membership.Role.ADMIN: "A council admin" if council_like else "An admin",
        POLITICAL_SPONSOR: "A councillor" if council_like else "A political sponsor",
        OFFICER_SPONSOR: staff_noun,
    }.get(role, staff_noun)
    return f"{noun} at {organisation.name}"


def _is_self(viewer, person) -> bool:
    return (
        viewer is not None
        and getattr(viewer, "is_authenticated", False)
        and getattr(person, "pk", None) is not None
        and person.pk == viewer.pk
    )


def shows_name(viewer, person) -> bool:
    """Whether ``viewer`` is shown ``person``'s name (a user, or a name typed
    as text): the policy, or the viewer's own name."""
    return _is_self(viewer, person) or may_see_personal_names(viewer)


def _name_of(person) -> str:
    return person.strip() if isinstance(person, str) else person.display_name


def show_person(
    viewer,
    person,
    *,
    organisation: Organisation | None = None,
    role: str = Membership.Role.MEMBER,
) -> ShownPerson:
    """What ``viewer`` sees of ``person`` (a user, a typed name, or None for
    someone whose account is gone), who acts for ``organisation`` in ``role``
    (a ``Membership.Role`` or one of this module's capacities)."""
    if person is None or (isinstance(person, str) and not person.strip()):
        return ShownPerson(FORMER_MEMBER, is_name=False)
    if shows_name(viewer, person):
        return ShownPerson(_name_of(person), is_name=True)
    if role == PLATFORM_ADMIN:
        return ShownPerson(PLATFORM_TEAM, is_name=False)
    if organisation is None:
        return ShownPerson("", is_name=False)
    return ShownPerson(role_label(organisation, role), is_name=False)


def personal_name(viewer, person) -> str | None:
    """The API's answer: the name, or ``None`` when there is none or the
    viewer may not see it (the response carries the organisation separately)."""
    if person is None or not shows_name(viewer, person):
        return None
    return _name_of(person)


def acting_capacity(person) -> tuple[Organisation | None, str]:
    """The organisation and role ``person`` acts in right now (their active
    membership; staff act as the platform team): for messages about what
    someone has just done. One query at most, cached on the user."""
    if person is None:
        return None, Membership.Role.MEMBER
    membership = active_membership_for(person)
    if membership is not None:
        return membership.organisation, membership.role
    if getattr(person, "is_staff", False):
        return None, PLATFORM_ADMIN
    return None, Membership.Role.MEMBER


def show_inviter(viewer, invitation) -> ShownPerson:
    """Who sent an invitation: an admin of the organisation (or the platform
    team, who invite first admins), named only if the viewer may see names."""
    inviter = invitation.invited_by
    if inviter is None:
        return ShownPerson(PLATFORM_TEAM, is_name=False)
    role = PLATFORM_ADMIN if inviter.is_staff else Membership.Role.ADMIN
    return show_person(viewer, inviter, organisation=invitation.organisation, role=role)
