"""The live board's websocket door (protocol: docs/board-protocol.md).

The consumer owns no rules. On connect it finds the viewer's place in the
workshop through ``selectors.workshops`` and ``policies``; each operation
goes to ``services.board.perform``, which re-checks the participant under
the workshop's lock; each broadcast is redacted for this viewer by
``selectors.board.frame_for`` in memory, so the text of an unrevealed item
and an anonymous item's author are never written to a socket that must not
have them.

Delivery is by sequence number: the consumer remembers the last one it sent
and, when a broadcast arrives with a gap before it (a message dropped by the
channel layer, or two commits broadcast out of order), replays the gap from
the operation log before sending anything newer. A client therefore sees
every operation, once and in order.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any
from urllib.parse import parse_qs

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from . import policies
from .board_door import MAX_FRAME_BYTES, BadFrame, bad_frame, error_for, read_op
from .models import Participant, Workshop
from .selectors import board as board_selectors
from .selectors.board import Viewer, frame_for, frames_since, snapshot
from .selectors.workshops import guest_token_from_session, participant_for
from .services import presence
from .services.board import perform

logger = logging.getLogger(__name__)

CLOSE_UNAUTHENTICATED = 4401
CLOSE_REFUSED = 4403
CLOSE_NOT_FOUND = 4404
CLOSE_FLOODING = 4408


class TokenBucket:
    """At most ``burst`` frames at once and ``rate`` a second after that, per
    connection, so one socket cannot flood the board (or the database)."""

    def __init__(self, *, rate: float, burst: int):
        self.rate, self.burst = rate, burst
        self.tokens = float(burst)
        self.stamp = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


class BoardConsumer(AsyncWebsocketConsumer):
    # Frames per connection: a burst for a facilitator's quick clicks, then a
    # steady rate well above any person's typing. Past ``FLOOD_LIMIT``
    # refused frames in a row the connection is closed.
    RATE = 5.0
    BURST = 30
    FLOOD_LIMIT = 50

    workshop_id: int
    participant: Participant | None = None
    viewer: Viewer
    group: str = ""
    last_seq: int = 0

    # Connecting ----------------------------------------------------------------------------

    async def connect(self) -> None:
        self.workshop_id = int(self.scope["url_route"]["kwargs"]["pk"])
        self.bucket = TokenBucket(rate=self.RATE, burst=self.BURST)
        self.refused_in_a_row = 0
        # Accept first so the close code reaches the client: a socket closed
        # during the handshake only tells the browser "403".
        await self.accept()
        code, first_frames = await self._open()
        if code:
            await self.close(code=code)
            return
        for frame in first_frames:
            await self._send(frame)

    @database_sync_to_async
    def _open(self) -> tuple[int, list[dict[str, Any]]]:
        user = self.scope.get("user")
        session = self.scope.get("session")
        signed_in = user is not None and user.is_authenticated
        if not signed_in and not guest_token_from_session(session, self.workshop_id):
            return CLOSE_UNAUTHENTICATED, []
        participant = participant_for(self.workshop_id, user=user, session=session)
        if participant is None:
            return CLOSE_NOT_FOUND, []
        if not policies.can_view_workshop(participant):
            return CLOSE_REFUSED, []
        self.participant = participant
        self.viewer = Viewer.of(participant)
        self.group = participant.workshop.group_name
        # Join the group before reading the board, so nothing committed in
        # between is missed (anything older than the snapshot is dropped).
        async_to_sync(self.channel_layer.group_add)(self.group, self.channel_name)
        workshop = Workshop.objects.get(pk=self.workshop_id)
        frames = self._catch_up(workshop, self._since_from_query())
        presence.touch(participant, self.channel_name)
        return 0, frames

    def _since_from_query(self) -> int | None:
        raw = parse_qs(self.scope.get("query_string", b"").decode("latin-1")).get("since")
        if not raw:
            return None
        try:
            since = int(raw[0])
        except ValueError:
            return None
        return since if 0 <= since < 2**63 else None

    def _catch_up(self, workshop: Workshop, since: int | None) -> list[dict[str, Any]]:
        """What a client that last saw ``since`` needs: the frames it missed,
        or the whole board."""
        missed = None if since is None else frames_since(workshop, since=since, viewer=self.viewer)
        self.last_seq = workshop.last_seq
        if missed is None:
            return [{"type": "snapshot", "snapshot": snapshot(workshop, self.participant)}]
        present = board_selectors.present_participants(workshop, self.viewer)
        return [
            *missed,
            {"type": "resumed", "seq": workshop.last_seq},
            {"type": "presence", "participants": present},
        ]

    async def disconnect(self, code: int) -> None:
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)
        if self.participant is not None:
            await database_sync_to_async(presence.leave)(self.participant, self.channel_name)

    # Frames from the client ----------------------------------------------------------------

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.participant is None:
            return
        if not self.bucket.take():
            self.refused_in_a_row += 1
            if self.refused_in_a_row >= self.FLOOD_LIMIT:
                await self.close(code=CLOSE_FLOODING)
                return
            await self._send(
                {
                    "type": "error",
                    "code": "rate_limited",
                    "message": "Too many changes at once: wait a moment and try again.",
                }
            )
            return
        self.refused_in_a_row = 0
        if text_data is None:
            await self._send(bad_frame("Send text frames of JSON."))
            return
        if len(text_data.encode("utf-8", "surrogatepass")) > MAX_FRAME_BYTES:
            await self._send(bad_frame(f"Frames are at most {MAX_FRAME_BYTES} bytes."))
            return
        try:
            frame = json.loads(text_data)
        except ValueError:
            await self._send(bad_frame("That frame is not JSON."))
            return
        if not isinstance(frame, dict):
            await self._send(bad_frame("Send a JSON object with a type."))
            return
        kind = frame.get("type")
        if kind == "ping":
            for out in await database_sync_to_async(self._still_here)():
                await self._send(out)
            await self._send({"type": "pong"})
        elif kind == "resume":
            await self._resume(frame)
        elif kind == "op":
            await self._operation(frame)
        else:
            await self._send(
                bad_frame("Unknown frame type.", errors={"type": ["Use op, resume or ping."]})
            )

    def _still_here(self) -> list[dict[str, Any]]:
        """Refresh presence and, if the last broadcast before a quiet spell
        was lost, send what is missing (no later broadcast would reveal the gap)."""
        presence.touch(self.participant, self.channel_name)
        workshop = Workshop.objects.get(pk=self.workshop_id)
        if workshop.last_seq > self.last_seq:
            return self._catch_up(workshop, self.last_seq)
        return []

    async def _resume(self, frame: dict[str, Any]) -> None:
        since = frame.get("since")
        if isinstance(since, bool) or not isinstance(since, int) or not 0 <= since < 2**63:
            await self._send(
                bad_frame("Resume from a sequence number.", errors={"since": ["Send a number."]})
            )
            return
        for out in await database_sync_to_async(self._resume_frames)(since):
            await self._send(out)

    def _resume_frames(self, since: int) -> list[dict[str, Any]]:
        workshop = Workshop.objects.get(pk=self.workshop_id)
        return self._catch_up(workshop, since)

    async def _operation(self, frame: dict[str, Any]) -> None:
        try:
            client_id, kind, args = read_op(frame)
        except BadFrame as exc:
            await self._send(bad_frame(str(exc), client_id=frame.get("id"), errors=exc.errors))
            return
        reply, close_code = await database_sync_to_async(self._apply)(client_id, kind, args)
        await self._send(reply)
        if close_code:
            await self.close(code=close_code)

    def _apply(self, client_id: str, kind: str, args: dict[str, Any]) -> tuple[dict, int]:
        try:
            applied = perform(
                workshop_id=self.workshop_id,
                participant=self.participant,
                kind=kind,
                args=args,
                client_id=client_id,
            )
        except (PermissionDenied, Http404, ValidationError) as exc:
            workshop = Workshop.objects.filter(pk=self.workshop_id).first()
            reply = error_for(exc, client_id=client_id, workshop=workshop, viewer=self.viewer)
            # Refused because they are no longer in the room: stop listening.
            still_here = Participant.objects.select_related("user", "workshop").filter(
                pk=self.participant.pk
            )
            if isinstance(exc, PermissionDenied) and not policies.is_present(still_here.first()):
                return reply, CLOSE_REFUSED
            return reply, 0
        return (
            {
                "type": "ack",
                "id": client_id,
                "seq": applied.operation.seq,
                "duplicate": applied.duplicate,
            },
            0,
        )

    # Broadcasts from the channel layer -----------------------------------------------------

    async def board_op(self, message: dict[str, Any]) -> None:
        """One committed operation for everyone on the board."""
        if self.participant is None:
            return
        op = message["op"]
        seq = op["seq"]
        if seq <= self.last_seq:
            return  # already sent (a replay overtook the broadcast)
        if seq > self.last_seq + 1:
            for frame in await database_sync_to_async(self._replay_gap)():
                await self._send(frame)
            if seq <= self.last_seq:
                return
        await self._deliver(op)

    def _replay_gap(self) -> list[dict[str, Any]]:
        workshop = Workshop.objects.get(pk=self.workshop_id)
        return self._catch_up(workshop, self.last_seq)

    async def _deliver(self, op: dict[str, Any]) -> None:
        self.last_seq = op["seq"]
        frame = frame_for(op, self.viewer)
        if frame is not None:
            await self._send(frame)
        await self._after(op)

    async def _after(self, op: dict[str, Any]) -> None:
        """Operations that change who this viewer is or whether they may stay."""
        kind = op["kind"]
        person = op["data"].get("participant") or {}
        about_me = person.get("id") == self.viewer.participant_id
        if kind == "participant.removed" and about_me:
            await self.close(code=CLOSE_REFUSED)
        elif kind == "participant.role" and about_me:
            # A new role can mean seeing more (a new facilitator sees
            # unrevealed items): send the board again as they may now see it.
            for frame in await database_sync_to_async(self._refresh_viewer)():
                await self._send(frame)
        elif (
            kind == "phase.set"
            and op["data"].get("phase") == Workshop.Phase.CLOSED
            and self.participant.is_guest
        ):
            await self.close(code=CLOSE_REFUSED)

    def _refresh_viewer(self) -> list[dict[str, Any]]:
        fresh = participant_for(
            self.workshop_id, user=self.scope.get("user"), session=self.scope.get("session")
        )
        if fresh is None:
            return []
        self.participant = fresh
        self.viewer = Viewer.of(fresh)
        return self._catch_up(fresh.workshop, None)

    async def board_presence(self, message: dict[str, Any]) -> None:
        """Someone arrived or left (deltas; the snapshot carries the list)."""
        if self.participant is None:
            return
        if "joined" in message:
            shown = board_selectors.shown_participant(message["joined"], self.viewer)
            await self._send({"type": "presence", "joined": shown})
        elif "left" in message:
            await self._send({"type": "presence", "left": message["left"]})

    async def _send(self, frame: dict[str, Any]) -> None:
        await self.send(text_data=json.dumps(frame, separators=(",", ":")))
