"""``make run``'s digests: after ``seed_demo`` the demo officer's digest is
due, ``send_digests --dry-run`` lists it and changes nothing, and
``send_digests`` (no broker: the task runs in-process) sends exactly one."""

import io

import pytest
from django.core import mail
from django.core.management import call_command

from notifications.demo import DEMO_DIGEST_EMAIL
from notifications.models import DigestDelivery, NotificationSettings

pytestmark = pytest.mark.django_db


def run(command, *args) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def test_the_demo_officer_has_a_digest_due_that_send_digests_sends_once(
    tmp_path, django_capture_on_commit_callbacks
):
    seeded = run("seed_demo", "--register", str(tmp_path / "absent.csv"))
    assert f"Digest due now for {DEMO_DIGEST_EMAIL}" in seeded
    schedule = NotificationSettings.objects.filter(user__email=DEMO_DIGEST_EMAIL).values().get()

    dry = run("send_digests", "--dry-run")
    assert f"{DEMO_DIGEST_EMAIL}: " in dry and "1 digest(s) would be sent" in dry
    assert not DigestDelivery.objects.exists() and mail.outbox == []
    assert NotificationSettings.objects.filter(user__email=DEMO_DIGEST_EMAIL).values().get() == (
        schedule
    )

    with django_capture_on_commit_callbacks(execute=True):
        sent = run("send_digests")

    assert "Claimed 1 digest(s)" in sent
    assert [message.to for message in mail.outbox] == [[DEMO_DIGEST_EMAIL]]
    message = mail.outbox[0]
    assert message.subject.startswith("Your ") and "news on" in message.subject
    assert "YOUR INITIATIVES" in message.body and "YOUR PARTNER AUTHORITIES" in message.body
    assert message.alternatives and message.alternatives[0][1] == "text/html"
    delivery = DigestDelivery.objects.get()
    assert delivery.status == DigestDelivery.Status.SENT and delivery.item_count > 0

    # Again: nothing more is due, and a second seed does not make it due again.
    with django_capture_on_commit_callbacks(execute=True):
        assert "Claimed 0 digest(s)" in run("send_digests")
    assert "Digest due now" not in run("seed_demo", "--register", str(tmp_path / "absent.csv"))
    assert "0 digest(s) would be sent" in run("send_digests", "--dry-run")
    assert len(mail.outbox) == 1
