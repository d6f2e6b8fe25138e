"""The lead can take back an invitation that has not been answered."""

import pytest
from django.core.exceptions import ValidationError

from initiatives.models import Partnership, PartnershipEvent
from initiatives.services import partnerships


def test_lead_admin_takes_back_an_unanswered_invitation(
    initiative,
    partner_council,
    council_admin,
):
    invited = partnerships.invite_partner(
        initiative=initiative, organisation=partner_council, by=council_admin
    )
    assert invited.status == Partnership.Status.INVITED

    partnerships.decline_partner(partnership=invited, by=council_admin, note="Sent in error")

    invited.refresh_from_db()
    assert invited.status == Partnership.Status.DECLINED
    event = PartnershipEvent.objects.filter(partnership=invited).latest("created_at")
    assert (event.from_status, event.to_status, event.actor) == (
        Partnership.Status.INVITED,
        Partnership.Status.DECLINED,
        council_admin,
    )
    # Declining twice is refused and writes nothing more.
    events = PartnershipEvent.objects.count()
    with pytest.raises(ValidationError):
        partnerships.decline_partner(partnership=invited, by=council_admin)
    assert PartnershipEvent.objects.count() == events
