"""Shared initiatives: proposed by a lead organisation, joined by partners,
run together in the open. Money is whole pence; dates are dates."""

import hashlib
import re
import unicodedata

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from councils.models import Organisation, ServiceArea, Skill

_TAG_SEPARATORS = re.compile(r"[\s_-]+")
# Any letter or digit in any script ("données", "数据", "2026"); the API's
# schema states the same pattern for each tag.
TAG_HAS_LETTER_OR_NUMBER = re.compile(r"[^\W_]")


class Tag(models.Model):
    """A free-text label. Its identity and display name are its normalised
    form (as Discourse's ``force_lowercase_tags``): "Garden waste",
    "garden-waste" and "GARDEN  WASTE" are the one tag "garden waste".

    Both the name and the slug are pure functions of what was typed, so
    reusing a tag that only private initiatives carry reveals nothing: the
    person gets back exactly what they would have got had it not existed
    (the first spelling, or a "-2" slug, would have told them it did)."""

    MAX_LENGTH = 60
    name = models.CharField(max_length=MAX_LENGTH, unique=True)
    slug = models.SlugField(max_length=MAX_LENGTH, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # Whatever door made it (service, admin, fixtures), a tag is stored
        # normalised, with the slug its name gives.
        self.name = Tag.normalise(self.name)
        if not self.slug:
            self.slug = Tag.slug_for(self.name)
        super().save(*args, **kwargs)

    @staticmethod
    def normalise(raw: str) -> str:
        """NFKC, case-folded, runs of whitespace, hyphens and underscores made
        one space, trimmed."""
        text = unicodedata.normalize("NFKC", str(raw))
        text = unicodedata.normalize("NFKC", text.casefold())
        return _TAG_SEPARATORS.sub(" ", text).strip()

    @staticmethod
    def slug_for(name: str, *, digest_length: int = 6) -> str:
        """``slugify(name)`` when that keeps everything (``garden-waste``),
        else ``slugify(name)`` plus the first hex digits of the name's SHA-256
        (``c++`` -> ``c-1a2b3c``), so "c++" and "c#" stay apart; a name in a
        script slugify drops is ``tag-`` plus the digits. Empty when the name
        has no letter or number at all. ``digest_length`` is
        longer only when a short one is already another name's slug."""
        if not TAG_HAS_LETTER_OR_NUMBER.search(name):
            return ""
        slug = slugify(name) or "tag"  # "数据" has letters, none of them A-Z
        if slug == name.replace(" ", "-") and len(slug) <= Tag.MAX_LENGTH:
            return slug
        digest = hashlib.sha256(name.encode()).hexdigest()[:digest_length]
        return f"{slug[: Tag.MAX_LENGTH - digest_length - 1].strip('-')}-{digest}"

    def clean(self) -> None:
        self.name = Tag.normalise(self.name)
        if not Tag.slug_for(self.name):
            raise ValidationError({"name": "A tag needs at least one letter or number."})


class FundingRound(models.Model):
    """A funding round staff define (such as a Local Digital Fund round):
    when it opens and closes and the rules a bid must meet. An initiative
    targets a round; ``initiatives.eligibility`` checks it against these
    rules, and its page shows which pass and which fail."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    description = models.TextField(blank=True, help_text="Markdown.")
    opens_on = models.DateField()
    closes_on = models.DateField(help_text="The deadline for bids.")
    min_partner_councils = models.PositiveSmallIntegerField(
        default=0,
        help_text="Committed partner councils a bid needs, besides the lead.",
    )
    max_bids_led = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Most bids one organisation may lead in this round (blank: no limit).",
    )
    partners_must_sign_declaration = models.BooleanField(
        default=False,
        help_text="The lead and every committed partner must have signed the "
        "Local Digital Declaration.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-closes_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="fundinground_closes_after_opening",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Initiative(models.Model):
    # The text-search configuration of the stored vector and of every query
    # against it: one language, or a search would miss what was indexed.
    SEARCH_CONFIG = "english"

    class Stage(models.TextChoices):
        IDEA = "idea", "Idea"
        DISCOVERY = "discovery", "Discovery"
        ALPHA = "alpha", "Alpha"
        BETA = "beta", "Beta"
        LIVE = "live", "Live"
        RETIRED = "retired", "Retired"

    class CollaborationLevel(models.TextChoices):
        SHARING_KNOWLEDGE = "sharing_knowledge", "Sharing knowledge"
        CO_DESIGNING = "co_designing", "Co-designing"
        CO_FUNDING = "co_funding", "Co-funding"
        JOINT_PROCUREMENT = "joint_procurement", "Joint procurement"
        SHARED_SERVICE = "shared_service", "Shared service"

    class Visibility(models.TextChoices):
        PUBLIC = "public", "Public: anyone, signed in or not"
        PLATFORM = "platform", "Platform: any signed-in member"
        PARTNERS = "partners", "Partners: the lead and partner organisations"
        DRAFT = "draft", "Draft: the lead organisation only"

    class FundingBand(models.TextChoices):
        UNKNOWN = "unknown", "Not known yet"
        UNDER_50K = "under_50k", "Under £50,000"
        FROM_50K_TO_250K = "50k_250k", "£50,000 to £250,000"
        FROM_250K_TO_1M = "250k_1m", "£250,000 to £1 million"
        OVER_1M = "over_1m", "Over £1 million"

    class FundingSource(models.TextChoices):
        OWN_BUDGETS = "own_budgets", "Own budgets"
        LOCAL_DIGITAL_FUND = "local_digital_fund", "Local Digital Fund"
        OTHER_GRANT = "other_grant", "Other grant"

    class CostSplit(models.TextChoices):
        EQUAL = "equal", "Equal shares"
        POPULATION = "population", "By population"
        CUSTOM = "custom", "Custom shares"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    summary = models.CharField(max_length=280)
    description = models.TextField(blank=True, help_text="Markdown.")
    lead_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="led_initiatives"
    )
    service_areas = models.ManyToManyField(ServiceArea, blank=True, related_name="initiatives")
    tags = models.ManyToManyField(Tag, blank=True, related_name="initiatives")
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.IDEA)
    collaboration_level = models.CharField(
        max_length=32,
        choices=CollaborationLevel.choices,
        default=CollaborationLevel.SHARING_KNOWLEDGE,
    )
    looking_for_partners = models.BooleanField(default=True)
    visibility = models.CharField(
        max_length=16, choices=Visibility.choices, default=Visibility.DRAFT
    )
    estimated_cost_pence = models.PositiveBigIntegerField(null=True, blank=True)
    funding_band = models.CharField(
        max_length=16, choices=FundingBand.choices, default=FundingBand.UNKNOWN
    )
    # A list of FundingSource values (validated by the service layer).
    funding_sources = models.JSONField(default=list, blank=True)
    cost_split_method = models.CharField(
        max_length=16, choices=CostSplit.choices, default=CostSplit.EQUAL
    )
    start_date = models.DateField(null=True, blank=True)
    start_date_estimated = models.BooleanField(default=False)
    end_date = models.DateField(null=True, blank=True)
    end_date_estimated = models.BooleanField(default=False)
    key_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="initiatives_as_contact",
    )
    skills_needed = models.ManyToManyField(Skill, blank=True, related_name="initiatives")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Weighted full-text vector (PostgreSQL only; kept up to date by services).
    search_vector = SearchVectorField(null=True, editable=False)
    # Denormalised for "most partners" sorting without a join per row.
    partner_count = models.PositiveIntegerField(default=0)
    funding_round = models.ForeignKey(
        FundingRound, null=True, blank=True, on_delete=models.SET_NULL, related_name="bids"
    )

    class Meta:
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["visibility", "stage"]),
            models.Index(fields=["-created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="initiative_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("initiatives:detail", kwargs={"slug": self.slug})


class FundingRoundStageCap(models.Model):
    """The most a bid at one stage may ask for in a round."""

    funding_round = models.ForeignKey(
        FundingRound, on_delete=models.CASCADE, related_name="stage_caps"
    )
    stage = models.CharField(max_length=16, choices=Initiative.Stage.choices)
    max_pence = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["funding_round", "stage"]
        constraints = [
            models.UniqueConstraint(
                fields=["funding_round", "stage"], name="fundingroundstagecap_one_per_stage"
            )
        ]

    def __str__(self) -> str:
        return f"{self.funding_round}: {self.stage} up to {self.max_pence}p"


class StageChange(models.Model):
    """A stage change by the lead, kept as the initiative's timeline."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.CharField(max_length=16, choices=Initiative.Stage.choices, blank=True)
    to_stage = models.CharField(max_length=16, choices=Initiative.Stage.choices)
    changed_on = models.DateField(default=timezone.localdate)
    note = models.CharField(max_length=500, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_on", "created_at"]

    def __str__(self) -> str:
        return f"{self.initiative} → {self.to_stage}"


class Partnership(models.Model):
    """One organisation's place in one initiative (one row per pair, enforced
    by the database). Status moves only along the allowed transitions in
    ``initiatives.services.partnerships``; every move is a PartnershipEvent."""

    class Role(models.TextChoices):
        LEAD = "lead", "Lead"
        PARTNER = "partner", "Partner"
        SUPPLIER = "supplier", "Supplier (delivery partner)"

    class Status(models.TextChoices):
        INVITED = "invited", "Invited by the lead"
        INTERESTED = "interested", "Interested"
        COMMITTED = "committed", "Committed (signed off)"
        ACTIVE = "active", "Partner"
        DECLINED = "declined", "Declined by the lead"
        WITHDRAWN = "withdrawn", "Withdrawn"

    # Still part of (or on its way into) the initiative: sees a ``partners``
    # initiative, cannot be invited again, can withdraw.
    OPEN_STATUSES = frozenset({Status.INVITED, Status.INTERESTED, Status.COMMITTED, Status.ACTIVE})
    # Counts as "a partner": posts updates, shares the cost, is in partner_count,
    # may take over the lead.
    COMMITTED_STATUSES = frozenset({Status.COMMITTED, Status.ACTIVE})
    # From which an organisation may (re-)express interest.
    CAN_EXPRESS_INTEREST_FROM = frozenset({Status.INVITED, Status.WITHDRAWN, Status.DECLINED})

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="partnerships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="partnerships"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.PARTNER)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.INTERESTED)
    # Sign-off (committing needs the organisation's admin and named sponsors).
    political_sponsor = models.CharField(max_length=200, blank=True)
    officer_sponsor = models.CharField(max_length=200, blank=True)
    pledged_pence = models.PositiveBigIntegerField(default=0)
    pledged_staff_days = models.PositiveIntegerField(default=0)
    pledged_skills = models.ManyToManyField(Skill, blank=True, related_name="+")
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    # Custom cost split: this organisation's share in basis points (100 = 1%).
    custom_share_basis_points = models.PositiveIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(10_000), MinValueValidator(0)]
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "organisation"], name="partnership_unique_per_initiative"
            ),
            models.UniqueConstraint(
                fields=["initiative"],
                condition=Q(role="lead"),
                name="partnership_one_lead_per_initiative",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.initiative} ({self.status})"


class PartnerSuggestion(models.Model):
    """An organisation put forward as a partner by something other than the
    live ranking: the renewal radar, when an initiative is started from a
    cluster of contracts ending together, records each council of the
    cluster with the reason. Partner matching lists these first, with their
    reason; the lead invites or leaves them like any other suggestion."""

    class Source(models.TextChoices):
        RENEWAL_RADAR = "renewal_radar", "Renewal radar"

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="partner_suggestions"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=32, choices=Source.choices)
    reason = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "organisation"], name="partnersuggestion_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} suggested for {self.initiative}"


class PartnershipEvent(models.Model):
    """The audit trail of a partnership: every transition, who and when."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=16, choices=Partnership.Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=Partnership.Status.choices)
    from_role = models.CharField(max_length=16, choices=Partnership.Role.choices, blank=True)
    to_role = models.CharField(max_length=16, choices=Partnership.Role.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.partnership}: {self.from_status} → {self.to_status}"


class Follow(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "initiative"], name="follow_unique")]

    def __str__(self) -> str:
        return f"{self.user} follows {self.initiative}"


class Update(models.Model):
    """A short status report by the lead or a partner: report once, everyone sees it."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="updates")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=200)
    body = models.TextField(max_length=5000, help_text="Markdown.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Comment(models.Model):
    """A discussion comment (Markdown). Deleting keeps a tombstone so replies
    and flags keep their context."""

    EDIT_WINDOW_MINUTES = 15

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.initiative_id}"


class CommentFlag(models.Model):
    """Anyone who can see a comment can flag it for platform admins."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="flags")
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "flagged_by"], name="commentflag_once")
        ]

    def __str__(self) -> str:
        return f"Flag on comment {self.comment_id}"
