"""SWOT workshops: a facilitator runs one live with participants from any
council (and guests joined by code), through the phases setup → brainstorm →
group → vote → actions → closed.

Every change to the board is an ``Operation`` with a per-workshop sequence
number, so a client that reconnects can ask for what it missed, and a
repeated client operation id is applied once. What each participant is sent
is decided when it is read (``selectors.frame_for``), never when it is
written: anonymity and private brainstorm are rules about *who receives*, so
the operation log keeps the full facts and every door redacts the same way.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from councils.models import Organisation


def hash_secret(secret: str) -> str:
    """Join codes and guest tokens are stored hashed, like passwords' cheaper
    cousins: a database leak must not let anyone into a live workshop."""
    return hashlib.sha256(secret.encode()).hexdigest()


class Quadrant(models.TextChoices):
    STRENGTHS = "strengths", "Strengths"
    WEAKNESSES = "weaknesses", "Weaknesses"
    OPPORTUNITIES = "opportunities", "Opportunities"
    THREATS = "threats", "Threats"


# What each quadrant is about, shown under its heading (the board does not
# tell quadrants apart by colour alone: each has a heading, a letter and this).
QUADRANT_HINTS = {
    Quadrant.STRENGTHS: "Internal: what we do well and can build on.",
    Quadrant.WEAKNESSES: "Internal: what holds us back.",
    Quadrant.OPPORTUNITIES: "External: what we could take advantage of.",
    Quadrant.THREATS: "External: what could get in our way.",
}


class Workshop(models.Model):
    class Template(models.TextChoices):
        BLANK = "blank", "Blank SWOT"
        READINESS = "readiness", "Collaboration readiness"

    class Phase(models.TextChoices):
        SETUP = "setup", "Setting up"
        BRAINSTORM = "brainstorm", "Brainstorm"
        GROUP = "group", "Group"
        VOTE = "vote", "Vote"
        ACTIONS = "actions", "Actions"
        CLOSED = "closed", "Closed"

    TITLE_MAX = 200
    DEFAULT_VOTES = 5

    title = models.CharField(max_length=TITLE_MAX)
    purpose = models.TextField(max_length=2000, blank=True)
    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="workshops")
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="workshops",
    )
    scheduled_for = models.DateField(null=True, blank=True)
    template = models.CharField(max_length=16, choices=Template.choices, default=Template.BLANK)
    # Quadrant prompts copied from the template when the workshop is created,
    # so editing a template later does not change a past workshop.
    prompts = models.JSONField(default=dict, blank=True)
    phase = models.CharField(max_length=16, choices=Phase.choices, default=Phase.SETUP)
    anonymous_items = models.BooleanField(default=False)
    private_brainstorm = models.BooleanField(default=False)
    revealed = models.BooleanField(default=False)
    votes_per_participant = models.PositiveSmallIntegerField(
        default=DEFAULT_VOTES, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    guest_link_enabled = models.BooleanField(default=False)
    join_code_hash = models.CharField(max_length=64, blank=True, db_index=True)
    results_shared = models.BooleanField(default=False)
    timer_ends_at = models.DateTimeField(null=True, blank=True)
    # The last operation's sequence number; the next operation takes +1
    # under a row lock, so numbers are gap-free and totally ordered.
    last_seq = models.PositiveBigIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["results_shared", "phase"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        # The board's page lands with the workshop pages (issue 9, still open).
        return f"/workshops/{self.pk}/"

    @property
    def is_closed(self) -> bool:
        return self.phase == self.Phase.CLOSED

    @property
    def group_name(self) -> str:
        """The channel-layer group every connected board of this workshop joins."""
        return f"workshop.{self.pk}"

    def hides_items(self) -> bool:
        """Whether other people's items are withheld from participants now."""
        return self.private_brainstorm and not self.revealed

    @staticmethod
    def new_join_code() -> str:
        """A join code: 10 characters from a 32-letter alphabet without look-alikes
        (50 bits), shown as two groups of five. With attempts rate limited, it
        cannot be guessed, and it can still be read out in a meeting."""
        alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
        return "".join(secrets.choice(alphabet) for _ in range(10))

    @staticmethod
    def normalise_code(code: str) -> str:
        return "".join(ch for ch in (code or "").upper() if ch.isalnum())


class Participant(models.Model):
    """Someone taking part: a platform user, an invited address without an
    account yet (``email``, bound to a user when they sign up), or a guest
    who gave a display name only and holds a secret token in their session."""

    class Role(models.TextChoices):
        FACILITATOR = "facilitator", "Facilitator"
        PARTICIPANT = "participant", "Participant"

    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        JOINED = "joined", "Joined"
        REMOVED = "removed", "Removed"

    NAME_MAX = 80

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="workshop_participations",
    )
    email = models.EmailField(blank=True)
    guest_name = models.CharField(max_length=NAME_MAX, blank=True)
    guest_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    invite_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    # The organisation the person took part for, kept when they move on, so a
    # closed workshop still lists the councils that took part.
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.PARTICIPANT)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.INVITED)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "user"],
                condition=Q(user__isnull=False),
                name="swot_one_participant_per_user",
            ),
            models.UniqueConstraint(
                fields=["workshop", "email"],
                condition=Q(user__isnull=True) & ~Q(email=""),
                name="swot_one_invitation_per_address",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_guest(self) -> bool:
        return self.user_id is None and not self.email

    @property
    def is_facilitator(self) -> bool:
        return self.role == self.Role.FACILITATOR

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.JOINED

    @property
    def display_name(self) -> str:
        if self.user_id is not None:
            return self.user.display_name
        if self.guest_name:
            return self.guest_name
        return self.email.split("@")[0]


class Group(models.Model):
    """Items of one quadrant the facilitator (or a participant) put together."""

    NAME_MAX = 120

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="groups")
    quadrant = models.CharField(max_length=16, choices=Quadrant.choices)
    name = models.CharField(max_length=NAME_MAX)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    TEXT_MAX = 280

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="items")
    quadrant = models.CharField(max_length=16, choices=Quadrant.choices)
    text = models.CharField(max_length=TEXT_MAX)
    author = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="items")
    # Scribe mode: the facilitator who typed it for the author, if not the author.
    entered_by = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )
    # Bumped by every edit: an edit carries the version it saw, and a stale
    # one is refused with the current text instead of overwriting it.
    version = models.PositiveIntegerField(default=1)
    vote_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["workshop", "quadrant"])]

    def __str__(self) -> str:
        return self.text


class Vote(models.Model):
    """One of a participant's votes on an item (one per item per participant)."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="votes")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "participant"], name="swot_one_vote_per_item")
        ]

    def __str__(self) -> str:
        return f"Vote on item {self.item_id}"


class Strategy(models.Model):
    """A TOWS strategy: an internal factor paired with an external one."""

    class Kind(models.TextChoices):
        SO = "SO", "Use strengths to take opportunities (SO)"
        ST = "ST", "Use strengths to counter threats (ST)"
        WO = "WO", "Overcome weaknesses by taking opportunities (WO)"
        WT = "WT", "Minimise weaknesses and avoid threats (WT)"

    TEXT_MAX = 500

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="strategies")
    kind = models.CharField(max_length=2, choices=Kind.choices)
    text = models.CharField(max_length=TEXT_MAX)
    items = models.ManyToManyField(Item, blank=True, related_name="strategies")
    created_by = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "created_at", "id"]
        verbose_name_plural = "strategies"

    def __str__(self) -> str:
        return self.text


class Action(models.Model):
    """Something someone will do as a result of the workshop."""

    TEXT_MAX = 500

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="actions")
    text = models.CharField(max_length=TEXT_MAX)
    owner_participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    owner_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_date = models.DateField(null=True, blank=True)
    items = models.ManyToManyField(Item, blank=True, related_name="actions")
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    strategy = models.ForeignKey(
        Strategy, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    created_by = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text


class InitiativeSource(models.Model):
    """A draft initiative started from a workshop's group or strategy, with
    the items it came from, so the initiative page can show its roots."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="+")
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="workshop_sources"
    )
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.SET_NULL)
    strategy = models.ForeignKey(Strategy, null=True, blank=True, on_delete=models.SET_NULL)
    items = models.ManyToManyField(Item, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Initiative {self.initiative_id} from workshop {self.workshop_id}"


class Operation(models.Model):
    """One change to a board, in order. ``data`` holds the full facts
    (including the author); ``hidden_from_others`` marks operations on an
    item withheld by private brainstorm, which only its author and the
    facilitators receive until the facilitator reveals."""

    CLIENT_ID_MAX = 64

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="operations")
    seq = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=32)
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    client_id = models.CharField(max_length=CLIENT_ID_MAX, blank=True)
    data = models.JSONField(default=dict)
    hidden_from_others = models.BooleanField(default=False)
    # Whose item it is, for hidden and anonymous redaction.
    item_author = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["seq"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "seq"], name="swot_one_seq_per_workshop"),
            models.UniqueConstraint(
                fields=["workshop", "participant", "client_id"],
                condition=~Q(client_id=""),
                name="swot_client_id_applied_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seq}: {self.kind}"


class Presence(models.Model):
    """A live connection (websocket or polling client) to a board. Rows not
    seen for ``selectors.PRESENCE_TIMEOUT`` are ignored, so a crashed server
    does not leave people shown as present."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    connection = models.CharField(max_length=200)
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["connection"], name="swot_one_presence_per_connection")
        ]
        indexes = [models.Index(fields=["workshop", "seen_at"])]

    def __str__(self) -> str:
        return self.connection
