"""Concurrency on PostgreSQL: two requests racing to join, or to accept, must
leave exactly one partnership and one event. Each thread has its own database
connection (Django opens one per thread); ``transactional_db`` lets the
threads see the committed arrangement and each other's commits."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from councils.models import Membership
from initiatives.models import Initiative, Partnership, PartnershipEvent
from initiatives.services import partnerships as services
from tests import factories

from .support.partnerships import Status, add_partnership

pytestmark = [pytest.mark.postgres]


def _race(*calls):
    """Run each call in its own thread, released together by a barrier.
    Returns (results, errors) in call order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    errors: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 - collected and asserted on below
            errors[index] = exc
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a racer deadlocked"
    return results, errors


@pytest.fixture
def world(transactional_db):
    lead = factories.OrganisationFactory(name="Racelead")
    joiner = factories.OrganisationFactory(name="Racejoin")
    initiative = factories.make_initiative(lead, slug="race")
    return {
        "initiative": initiative,
        "joiner": joiner,
        "officers": [factories.member_of(joiner, Membership.Role.MEMBER) for _ in range(2)],
        "lead_admins": [factories.member_of(lead, Membership.Role.ADMIN) for _ in range(2)],
    }


def test_two_simultaneous_interests_leave_one_partnership_and_one_event(world):
    initiative, joiner = world["initiative"], world["joiner"]

    def join(user):
        # Fresh objects per thread, as two separate requests would have.
        return lambda: services.express_interest(
            initiative=Initiative.objects.get(pk=initiative.pk),
            organisation=type(joiner).objects.get(pk=joiner.pk),
            by=type(user).objects.get(pk=user.pk),
        )

    results, errors = _race(*(join(user) for user in world["officers"]))

    assert Partnership.objects.filter(initiative=initiative, organisation=joiner).count() == 1
    assert (
        PartnershipEvent.objects.filter(
            partnership__initiative=initiative, to_status=Status.INTERESTED
        ).count()
        == 1
    )
    winners = [r for r in results if r is not None]
    losers = [e for e in errors if e is not None]
    assert len(winners) == 1 and len(losers) == 1
    assert isinstance(losers[0], ValidationError | PermissionDenied)


def test_two_simultaneous_accepts_write_one_event(world):
    initiative, joiner = world["initiative"], world["joiner"]
    partnership = add_partnership(initiative, joiner, status=Status.COMMITTED)

    def accept(user):
        return lambda: services.accept_partner(
            partnership=Partnership.objects.select_related("initiative").get(pk=partnership.pk),
            by=type(user).objects.get(pk=user.pk),
        )

    results, errors = _race(*(accept(user) for user in world["lead_admins"]))

    partnership.refresh_from_db()
    assert partnership.status == Status.ACTIVE
    assert PartnershipEvent.objects.filter(partnership=partnership).count() == 1
    assert sum(r is not None for r in results) == 1
    assert [type(e) for e in errors if e is not None] == [ValidationError]
    initiative.refresh_from_db()
    assert initiative.partner_count == 2
