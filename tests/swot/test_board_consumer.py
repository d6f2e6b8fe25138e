"""The live board's websocket door, driven with Channels' communicator through
the real ASGI application (session cookies, origin check, routing) and the
configured channel layer: Redis under CI, so broadcasts cross a real broker.

Transactional tests: operations are broadcast on commit, so the test's data
must really commit for anyone to hear about it.
"""

from __future__ import annotations

import json

import pytest
from asgiref.sync import async_to_sync
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client

from collab_platform.asgi import application
from councils.models import Membership
from swot.board_door import MAX_FRAME_BYTES
from swot.consumers import BoardConsumer
from swot.models import Item, Operation, Participant, Presence, Vote, Workshop
from swot.selectors.workshops import GUEST_SESSION_KEY
from swot.services import board, workshops
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

TIMEOUT = 5


def _cookie_for(user) -> str:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def _guest_cookie(workshop_pk: int, token: str) -> str:
    session = SessionStore()
    session[GUEST_SESSION_KEY] = {str(workshop_pk): token}
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _participant(workshop, user) -> Participant:
    return Participant.objects.get(workshop=workshop, user=user)


@pytest.fixture
def workshop(facilitator, officer, outsider):
    ws = workshops.create_workshop(by=facilitator, title="Waste collaboration")
    workshops.invite_users(workshop=ws, by=_participant(ws, facilitator), users=[officer, outsider])
    board.perform(
        workshop_id=ws.pk,
        participant=_participant(ws, facilitator),
        kind="phase.set",
        args={"phase": "brainstorm"},
    )
    ws.refresh_from_db()
    return ws


@pytest.fixture(autouse=True)
def _fresh_channel_layer():
    """Each test runs its own event loop; a layer (and its locks) belongs to one."""
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@pytest.fixture
def cookies(facilitator, officer, outsider):
    """Session cookies of the personas, made before any event loop runs."""
    return {
        "facilitator": _cookie_for(facilitator),
        "officer": _cookie_for(officer),
        "outsider": _cookie_for(outsider),
    }


class Socket:
    """One browser's connection: JSON frames in and out."""

    def __init__(self, workshop_pk: int, cookie: str | None, query: str = ""):
        headers = [(b"origin", b"http://localhost"), (b"host", b"localhost")]
        if cookie:
            headers.append((b"cookie", cookie.encode()))
        path = f"/ws/workshops/{workshop_pk}/board/{query}"
        self.comm = WebsocketCommunicator(application, path, headers=headers)

    async def open(self) -> dict:
        connected, _ = await self.comm.connect(timeout=TIMEOUT)
        assert connected
        return await self.next()

    async def next(self) -> dict:
        return json.loads(await self.comm.receive_from(timeout=TIMEOUT))

    async def next_of(self, *types: str) -> dict:
        """The next frame of one of ``types`` (presence and other chatter skipped)."""
        for _ in range(50):
            frame = await self.next()
            if frame["type"] in types:
                return frame
        raise AssertionError(f"no {types} frame")

    async def send(self, frame) -> None:
        await self.comm.send_to(text_data=frame if isinstance(frame, str) else json.dumps(frame))

    async def op(self, kind: str, op_id: str = "", **args) -> dict:
        await self.send({"type": "op", "id": op_id, "kind": kind, "args": args})
        return await self.next_of("ack", "error")

    async def closed_with(self) -> int:
        for _ in range(500):
            output = await self.comm.receive_output(timeout=TIMEOUT)
            if output["type"] == "websocket.close":
                return output.get("code")
        raise AssertionError("the socket stayed open")

    async def quiet(self) -> bool:
        return await self.comm.receive_nothing(timeout=0.3)

    async def drain(self) -> list[dict]:
        frames = []
        while not await self.comm.receive_nothing(timeout=0.3):
            frames.append(await self.next())
        return frames

    async def close(self) -> None:
        await self.comm.disconnect()


def run(coroutine_function):
    async_to_sync(coroutine_function)()


# Connecting -------------------------------------------------------------------------------


def test_a_participant_connects_and_gets_the_board_as_they_may_see_it(cookies, workshop):
    async def scenario():
        sock = Socket(workshop.pk, cookies["officer"])
        first = await sock.open()
        assert first["type"] == "snapshot"
        snap = first["snapshot"]
        assert snap["seq"] == workshop.last_seq
        assert snap["workshop"]["phase"] == "brainstorm"
        assert [q["key"] for q in snap["quadrants"]] == [
            "strengths",
            "weaknesses",
            "opportunities",
            "threats",
        ]
        await sock.close()

    run(scenario)


@pytest.mark.parametrize(
    "who, code",
    [("anonymous", 4401), ("outsider_not_invited", 4404), ("nonexistent", 4404)],
)
def test_people_who_are_not_in_the_workshop_are_refused_on_connect(
    who, code, facilitator, officer, other_council
):
    ws = workshops.create_workshop(by=facilitator, title="Private")
    stranger = factories.member_of(
        other_council, Membership.Role.MEMBER, email="stella.stranger@otherton.gov.uk"
    )
    cookie = {
        "anonymous": None,
        "outsider_not_invited": _cookie_for(stranger),
        "nonexistent": _cookie_for(officer),
    }[who]
    pk = ws.pk + 1000 if who == "nonexistent" else ws.pk

    async def scenario():
        sock = Socket(pk, cookie)
        connected, _ = await sock.comm.connect(timeout=TIMEOUT)
        assert connected
        assert await sock.closed_with() == code

    run(scenario)
    assert Operation.objects.filter(workshop=ws).count() == 0
    assert not Presence.objects.exists()


def test_a_socket_from_another_site_is_refused(cookies, workshop, officer):
    async def scenario():
        comm = WebsocketCommunicator(
            application,
            f"/ws/workshops/{workshop.pk}/board/",
            headers=[
                (b"origin", b"https://evil.example"),
                (b"cookie", cookies["officer"].encode()),
            ],
        )
        connected, _ = await comm.connect(timeout=TIMEOUT)
        assert not connected

    run(scenario)


# Operations -------------------------------------------------------------------------------


def test_an_item_added_by_one_reaches_everyone_with_an_ack_for_the_sender(
    cookies, workshop, officer, outsider, facilitator
):
    async def scenario():
        alice = Socket(workshop.pk, cookies["officer"])
        bob = Socket(workshop.pk, cookies["outsider"])
        await alice.open()
        await bob.open()
        ack = await alice.op("item.add", "a-1", quadrant="strengths", text="Shared CRM")
        assert ack == {"type": "ack", "id": "a-1", "seq": workshop.last_seq + 1, "duplicate": False}
        mine = await alice.next_of("op")
        theirs = await bob.next_of("op")
        assert mine["kind"] == theirs["kind"] == "item.add"
        assert mine["data"]["item"]["text"] == theirs["data"]["item"]["text"] == "Shared CRM"
        assert mine["yours"] is True and mine["id"] == "a-1"
        assert "yours" not in theirs and "id" not in theirs
        await alice.close()
        await bob.close()

    run(scenario)
    assert Item.objects.get().text == "Shared CRM"


def test_a_repeated_operation_id_is_applied_once(cookies, workshop, officer):
    async def scenario():
        sock = Socket(workshop.pk, cookies["officer"])
        await sock.open()
        first = await sock.op("item.add", "same", quadrant="threats", text="Budget cuts")
        again = await sock.op("item.add", "same", quadrant="threats", text="Budget cuts")
        assert again == {**first, "duplicate": True}
        await sock.close()

    run(scenario)
    assert Item.objects.count() == 1


def test_phase_rules_and_facilitator_only_operations_are_refused_with_an_error_frame(
    cookies, workshop, officer
):
    async def scenario():
        sock = Socket(workshop.pk, cookies["officer"])
        await sock.open()
        refused = await sock.op("phase.set", "p", phase="vote")
        assert refused["type"] == "error" and refused["code"] == "refused"
        assert refused["id"] == "p"
        wrong_phase = await sock.op("vote.add", "v", item=1)
        assert wrong_phase["code"] == "invalid"
        await sock.close()

    run(scenario)
    assert Workshop.objects.get(pk=workshop.pk).phase == "brainstorm"
    assert not Vote.objects.exists()


def test_votes_are_limited_per_participant(cookies, facilitator, officer):
    ws = workshops.create_workshop(by=facilitator, title="Votes", votes_per_participant=2)
    workshops.invite_users(workshop=ws, by=_participant(ws, facilitator), users=[officer])
    host = _participant(ws, facilitator)
    board.perform(
        workshop_id=ws.pk, participant=host, kind="phase.set", args={"phase": "brainstorm"}
    )
    items = [
        board.perform(
            workshop_id=ws.pk,
            participant=host,
            kind="item.add",
            args={"quadrant": "strengths", "text": f"Idea {n}"},
        ).operation.data["item"]["id"]
        for n in range(3)
    ]
    board.perform(workshop_id=ws.pk, participant=host, kind="phase.set", args={"phase": "group"})
    board.perform(workshop_id=ws.pk, participant=host, kind="phase.set", args={"phase": "vote"})

    async def scenario():
        sock = Socket(ws.pk, cookies["officer"])
        await sock.open()
        assert (await sock.op("vote.add", "1", item=items[0]))["type"] == "ack"
        assert (await sock.op("vote.add", "2", item=items[1]))["type"] == "ack"
        third = await sock.op("vote.add", "3", item=items[2])
        assert third["code"] == "invalid"
        await sock.close()

    run(scenario)
    assert Vote.objects.filter(participant__user=officer).count() == 2


def test_a_stale_edit_is_refused_with_the_current_text(cookies, workshop, officer, outsider):
    async def scenario():
        sock = Socket(workshop.pk, cookies["officer"])
        await sock.open()
        await sock.op("item.add", "a", quadrant="strengths", text="First words")
        added = await sock.next_of("op")
        item = added["data"]["item"]
        ok = await sock.op(
            "item.edit", "e1", item=item["id"], version=item["version"], text="Second"
        )
        assert ok["type"] == "ack"
        stale = await sock.op(
            "item.edit", "e2", item=item["id"], version=item["version"], text="Lost?"
        )
        assert stale["code"] == "stale"
        assert stale["item"]["text"] == "Second"
        assert stale["item"]["version"] == item["version"] + 1
        await sock.close()

    run(scenario)
    assert Item.objects.get().text == "Second"


# Bad frames and flooding ------------------------------------------------------------------


@pytest.mark.parametrize(
    "frame, field",
    [
        ("not json", None),
        ("[1, 2]", None),
        (json.dumps({"type": "dance"}), "type"),
        (json.dumps({"type": "op", "kind": "item.explode", "args": {}}), "kind"),
        (json.dumps({"type": "op", "kind": "item.add", "args": [1]}), "args"),
        (json.dumps({"type": "op", "id": "x" * 65, "kind": "item.add"}), "id"),
        (json.dumps({"type": "op", "id": 7, "kind": "item.add"}), "id"),
        (json.dumps({"type": "resume", "since": "yesterday"}), "since"),
        (json.dumps({"type": "resume", "since": 2**64}), "since"),
        ("x" * (MAX_FRAME_BYTES + 1), None),
    ],
)
def test_malformed_frames_get_an_error_frame_and_change_nothing(
    cookies, workshop, officer, frame, field
):
    before = Operation.objects.count()

    async def scenario():
        sock = Socket(workshop.pk, cookies["officer"])
        await sock.open()
        await sock.send(frame)
        error = await sock.next_of("error")
        assert error["code"] == "bad_frame"
        if field:
            assert field in error["errors"]
        # The connection survives a bad frame.
        await sock.send({"type": "ping"})
        assert (await sock.next_of("pong"))["type"] == "pong"
        await sock.close()

    run(scenario)
    assert Operation.objects.count() == before


def test_bad_arguments_and_nul_bytes_are_refused_as_invalid(cookies, workshop, officer):
    async def scenario():
        sock = Socket(workshop.pk, cookies["officer"])
        await sock.open()
        nul = await sock.op("item.add", "n", quadrant="strengths", text="a\x00b")
        assert nul["code"] == "invalid" and "text" in nul["errors"]
        huge = await sock.op("item.add", "h", quadrant="strengths", text="x" * 1000)
        assert huge["code"] == "invalid"
        nowhere = await sock.op("item.add", "q", quadrant="middle", text="Hm")
        assert nowhere["code"] == "invalid" and "quadrant" in nowhere["errors"]
        overflow = await sock.op("item.delete", "o", item=2**64)
        assert overflow["code"] == "invalid"
        await sock.close()

    run(scenario)
    assert not Item.objects.exists()


def test_one_connection_cannot_flood_the_board(cookies, workshop, officer, monkeypatch):
    # No refill during the test: on a loaded machine sending 40 frames can
    # take long enough at 5 tokens a second to refill the bucket, and the
    # test would measure the machine instead of the limit.
    monkeypatch.setattr(BoardConsumer, "RATE", 0.0)

    async def scenario():
        sock = Socket(workshop.pk, cookies["officer"])
        await sock.open()
        for n in range(BoardConsumer.BURST + 10):
            await sock.send({"type": "op", "id": f"f{n}", "kind": "item.explode"})
        frames = await sock.drain()
        limited = [f for f in frames if f.get("code") == "rate_limited"]
        assert len(limited) >= 9
        # Keep flooding: the connection is closed.
        for _ in range(BoardConsumer.FLOOD_LIMIT + 5):
            await sock.send({"type": "ping"})
        assert await sock.closed_with() == 4408

    run(scenario)


# Reconnecting -----------------------------------------------------------------------------


def test_a_client_resuming_gets_exactly_what_it_missed(cookies, workshop, officer, outsider):
    host = _participant(workshop, outsider)
    seen = workshop.last_seq
    for n in range(3):
        board.perform(
            workshop_id=workshop.pk,
            participant=host,
            kind="item.add",
            args={"quadrant": "opportunities", "text": f"Missed {n}"},
        )

    async def scenario():
        sock = Socket(workshop.pk, cookies["officer"], query=f"?since={seen}")
        frames = [await sock.open()]
        frames += await sock.drain()
        ops = [f for f in frames if f["type"] == "op"]
        assert [f["data"]["item"]["text"] for f in ops] == ["Missed 0", "Missed 1", "Missed 2"]
        assert [f["seq"] for f in ops] == [seen + 1, seen + 2, seen + 3]
        assert not any(f["type"] == "snapshot" for f in frames)
        # Resuming again from the end sends nothing new but says where it is.
        await sock.send({"type": "resume", "since": seen + 3})
        assert (await sock.next_of("resumed"))["seq"] == seen + 3
        # Too far back (or ahead) gets a snapshot instead.
        await sock.send({"type": "resume", "since": seen + 50})
        assert (await sock.next_of("snapshot"))["snapshot"]["seq"] == seen + 3
        await sock.close()

    run(scenario)


def test_a_consumer_replays_a_broadcast_the_channel_layer_lost(
    cookies, workshop, officer, outsider
):
    """If a broadcast never arrives (a layer over capacity drops it), the next
    one reveals the gap and the consumer fills it from the operation log."""
    author = _participant(workshop, outsider)

    async def scenario():
        sock = Socket(workshop.pk, cookies["officer"])
        await sock.open()
        # Applied without any broadcast: as if the layer had dropped it.
        from notifications import outbox  # noqa: PLC0415

        senders = list(outbox._event_senders)
        outbox._event_senders.clear()
        try:
            await _add(workshop, author, "Dropped on the way")
        finally:
            outbox._event_senders.extend(senders)
        await _add(workshop, author, "Arrived")
        frames = [f for f in await sock.drain() if f["type"] == "op"]
        assert [f["data"]["item"]["text"] for f in frames] == ["Dropped on the way", "Arrived"]
        await sock.close()

    run(scenario)


async def _add(workshop, participant, text):
    from channels.db import database_sync_to_async  # noqa: PLC0415

    await database_sync_to_async(board.perform)(
        workshop_id=workshop.pk,
        participant=participant,
        kind="item.add",
        args={"quadrant": "strengths", "text": text},
    )


# Privacy through the socket ---------------------------------------------------------------


def test_private_brainstorm_text_never_reaches_another_participants_socket(
    cookies, facilitator, officer, outsider
):
    ws = workshops.create_workshop(by=facilitator, title="Private", private_brainstorm=True)
    workshops.invite_users(workshop=ws, by=_participant(ws, facilitator), users=[officer, outsider])
    board.perform(
        workshop_id=ws.pk,
        participant=_participant(ws, facilitator),
        kind="phase.set",
        args={"phase": "brainstorm"},
    )
    secret = "Our contract with Acme ends in March"

    async def scenario():
        author = Socket(ws.pk, cookies["officer"])
        other = Socket(ws.pk, cookies["outsider"])
        host = Socket(ws.pk, cookies["facilitator"])
        for sock in (author, other, host):
            await sock.open()
        await author.op("item.add", "s", quadrant="weaknesses", text=secret)
        host_frames = json.dumps(await host.drain())
        other_frames = json.dumps(await other.drain())
        assert secret in host_frames
        assert secret not in other_frames
        # Reconnecting and resuming from zero does not leak it either.
        late = Socket(ws.pk, cookies["outsider"], query="?since=0")
        replay = json.dumps([await late.open(), *await late.drain()])
        assert secret not in replay
        await late.close()
        # Revealed: now it is sent.
        await host.op("brainstorm.reveal", "r")
        assert secret in json.dumps(await other.drain())
        for sock in (author, other, host):
            await sock.close()

    run(scenario)


def test_anonymous_items_reach_others_without_their_author(cookies, facilitator, officer, outsider):
    ws = workshops.create_workshop(by=facilitator, title="Anon", anonymous_items=True)
    workshops.invite_users(workshop=ws, by=_participant(ws, facilitator), users=[officer, outsider])
    board.perform(
        workshop_id=ws.pk,
        participant=_participant(ws, facilitator),
        kind="phase.set",
        args={"phase": "brainstorm"},
    )

    async def scenario():
        author = Socket(ws.pk, cookies["officer"])
        other = Socket(ws.pk, cookies["outsider"])
        host = Socket(ws.pk, cookies["facilitator"])
        for sock in (author, other, host):
            await sock.open()
        await author.op("item.add", "a", quadrant="threats", text="Budget cuts")
        mine = await author.next_of("op")
        assert mine["data"]["item"]["mine"] is True
        for sock in (other, host):
            frame = await sock.next_of("op")
            assert frame["data"]["item"]["author"] is None
            text = json.dumps(frame)
            assert officer.display_name not in text and officer.email not in text
            assert frame.get("by") is None
        for sock in (author, other, host):
            await sock.close()

    run(scenario)


# Removed mid-session, guests, presence ----------------------------------------------------


def test_a_participant_removed_mid_session_stops_receiving_at_once(
    cookies, workshop, facilitator, officer, outsider
):
    host = _participant(workshop, facilitator)
    leaving = _participant(workshop, outsider)
    stays = _participant(workshop, officer)

    async def scenario():
        removed = Socket(workshop.pk, cookies["outsider"])
        staying = Socket(workshop.pk, cookies["officer"])
        await removed.open()
        await staying.open()
        from channels.db import database_sync_to_async  # noqa: PLC0415

        await database_sync_to_async(workshops.remove_participant)(
            workshop=workshop, by=host, participant=leaving
        )
        assert await removed.closed_with() == 4403
        await _add(workshop, stays, "After they left")
        assert (await staying.next_of("op"))["kind"] in ("participant.removed", "item.add")
        await staying.close()

        again = Socket(workshop.pk, cookies["outsider"])
        await again.comm.connect(timeout=TIMEOUT)
        assert await again.closed_with() == 4403

    run(scenario)


def test_a_guest_joins_by_token_and_is_shut_out_when_the_workshop_closes(workshop, facilitator):
    host = _participant(workshop, facilitator)
    code = workshops.set_guest_link(workshop=workshop, by=host, enabled=True)
    guest, token = workshops.join_as_guest(workshop_id=workshop.pk, code=code, name="Sam (guest)")

    mine, wrong = _guest_cookie(workshop.pk, token), _guest_cookie(workshop.pk, "not-the-token")

    async def scenario():
        sock = Socket(workshop.pk, mine)
        snap = await sock.open()
        assert snap["snapshot"]["you"]["id"] == guest.pk
        ack = await sock.op("item.add", "g", quadrant="opportunities", text="Shared training")
        assert ack["type"] == "ack"
        # A wrong token is no way in.
        stranger = Socket(workshop.pk, wrong)
        await stranger.comm.connect(timeout=TIMEOUT)
        assert await stranger.closed_with() == 4404
        # Another workshop's board is closed to this guest.
        other = Socket(workshop.pk + 1, mine)
        await other.comm.connect(timeout=TIMEOUT)
        assert await other.closed_with() == 4401
        from channels.db import database_sync_to_async  # noqa: PLC0415

        for phase in ("group", "vote", "actions", "closed"):
            await database_sync_to_async(board.perform)(
                workshop_id=workshop.pk, participant=host, kind="phase.set", args={"phase": phase}
            )
        assert await sock.closed_with() == 4403

    run(scenario)
    assert Item.objects.get().author_id == guest.pk


def test_presence_shows_who_is_connected_once_per_person(cookies, workshop, officer, outsider):
    officer_pk = _participant(workshop, officer).pk

    async def scenario():
        watcher = Socket(workshop.pk, cookies["outsider"])
        await watcher.open()
        tab1 = Socket(workshop.pk, cookies["officer"])
        tab2 = Socket(workshop.pk, cookies["officer"])
        await tab1.open()
        joined = await watcher.next_of("presence")
        while joined.get("joined", {}).get("id") != officer_pk:  # its own arrival first
            joined = await watcher.next_of("presence")
        await tab2.open()
        await tab1.close()
        assert await watcher.quiet()  # still there in the other tab
        await tab2.close()
        left = await watcher.next_of("presence")
        assert left == {"type": "presence", "left": officer_pk}
        await watcher.close()

    run(scenario)
    assert Presence.objects.count() == 0
