"""Tenancy: organisations (the tenants), memberships, invitations, e-mail
domains, and the profile facts a council keeps about itself (systems in use,
needs, skills offered) which partner matching reads as data."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.email_domains import is_personal_address, validate_organisation_domain


class Organisation(models.Model):
    """The tenant. Councils come from the official register; suppliers and
    other public bodies are added by platform admins."""

    class Kind(models.TextChoices):
        COUNCIL = "council", "Council"
        COMBINED_AUTHORITY = "combined_authority", "Combined authority"
        PUBLIC_BODY = "public_body", "Other public body"
        SUPPLIER = "supplier", "Supplier"

    class Status(models.TextChoices):
        # Imported from the register but not yet onboarded onto the platform.
        REGISTERED = "registered", "Registered (not yet onboarded)"
        ACTIVE = "active", "Active"
        ENDED = "ended", "Ended"

    kind = models.CharField(max_length=32, choices=Kind.choices, default=Kind.COUNCIL)
    official_name = models.CharField(max_length=255)
    name = models.CharField("short name", max_length=150)
    slug = models.SlugField(max_length=160, unique=True)
    register_code = models.CharField(
        "register code",
        max_length=8,
        blank=True,
        validators=[
            RegexValidator(
                r"^(?=.{3,8}$)[A-Z0-9]+(?:-[A-Z0-9]+)*$",
                "Use the register's upper-case code, such as LDS or NIR-A.",
            )
        ],
    )
    gss_code = models.CharField("GSS code", max_length=9, blank=True)
    nation = models.CharField(max_length=32, blank=True)
    region = models.CharField(max_length=64, blank=True)
    authority_type = models.CharField(max_length=64, blank=True)
    population = models.PositiveIntegerField(null=True, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    website = models.URLField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    end_date = models.DateField(null=True, blank=True)
    successor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="predecessors"
    )
    # Funding rounds may require partners to have signed the Local Digital
    # Declaration; the organisation records when it did (blank: not signed).
    declaration_signed_on = models.DateField(
        "signed the Local Digital Declaration on", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["register_code"],
                condition=~Q(register_code=""),
                name="organisation_unique_register_code",
            ),
            models.UniqueConstraint(
                fields=["gss_code"], condition=~Q(gss_code=""), name="organisation_unique_gss_code"
            ),
        ]
        indexes = [models.Index(fields=["status", "kind"]), models.Index(fields=["nation"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("councils:detail", kwargs={"slug": self.slug})

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def is_supplier(self) -> bool:
        return self.kind == self.Kind.SUPPLIER


class EmailDomain(models.Model):
    """An e-mail domain that identifies an organisation's staff at sign-up."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="email_domains"
    )
    domain = models.CharField(
        max_length=253,
        unique=True,
        validators=[
            RegexValidator(
                r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$",
                "Enter a domain such as leeds.gov.uk, in lower case, without @.",
            ),
            # Not gov.uk, not gmail.com: whichever door sets it (services,
            # the admin, imports), a domain must identify one organisation.
            validate_organisation_domain,
        ],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain

    def save(self, *args, **kwargs):
        self.domain = self.domain.strip().lower()
        super().save(*args, **kwargs)


class DecisionRecord:
    """For rows someone decides on (a membership request, an access request):
    the status, who decided and when are always written together."""

    def record_decision(self, status: str, *, by, also: tuple[str, ...] = ()) -> None:
        self.status = status
        self.decided_at = timezone.now()
        self.decided_by = by
        self.save(update_fields=["status", *also, "decided_at", "decided_by"])


class Membership(DecisionRecord, models.Model):
    """A person's place in an organisation. At most one active membership per
    person (a database constraint), so "my council" is never ambiguous."""

    class Role(models.TextChoices):
        MEMBER = "member", "Officer"
        # No workshops exist yet, so the label promises none.
        FACILITATOR = "facilitator", "Facilitator"
        ADMIN = "admin", "Council admin"

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting approval"
        ACTIVE = "active", "Active"
        REJECTED = "rejected", "Rejected"
        REMOVED = "removed", "Removed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status="active"),
                name="membership_one_active_per_user",
            ),
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=Q(status="pending"),
                name="membership_one_pending_per_user_and_organisation",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} ({self.role}, {self.status})"

    @property
    def is_admin(self) -> bool:
        return self.status == self.Status.ACTIVE and self.role == self.Role.ADMIN


class Invitation(models.Model):
    """A single-use, expiring invitation to join an organisation with a role.
    The raw token travels only in the e-mail; the database keeps its hash."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(max_length=16, choices=Membership.Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accepted_invitations",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.email} to {self.organisation}"

    @property
    def is_personal_address(self) -> bool:
        """Sent to a webmail address (gmail.com...) rather than a work one."""
        return is_personal_address(self.email)

    @property
    def is_usable(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class AccessRequest(DecisionRecord, models.Model):
    """A supplier (or other body not on the register) asking platform admins
    for an organisation on the platform."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_requests"
    )
    organisation_name = models.CharField(max_length=255)
    kind = models.CharField(
        max_length=32, choices=Organisation.Kind.choices, default=Organisation.Kind.SUPPLIER
    )
    website = models.URLField(blank=True)
    reason = models.TextField(max_length=2000)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.organisation_name} ({self.status})"


class ServiceArea(models.Model):
    """Taxonomy of council service areas (seeded by a data migration)."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Skill(models.Model):
    """Taxonomy of skills councils offer and initiatives need (data migration)."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def normalise_name(value: str | None) -> str:
    """The key that makes "Bartec", "bartec " and "BARTEC" one supplier (or
    product): spacing collapsed, case folded. The directory matches on it, so
    one supplier is never split across spellings."""
    return " ".join((value or "").split()).casefold()


class Supplier(models.Model):
    """A company that holds council contracts, as published notices name it.
    One record per company: matched by Companies House number when a notice
    gives one, else by normalised name, so "Civica UK Ltd" and "CIVICA UK
    LTD" are one supplier. ``organisation`` links it to the supplier's own
    organisation once that joins the platform."""

    name = models.CharField(max_length=255)
    name_key = models.CharField(max_length=255, db_index=True, editable=False)
    companies_house_number = models.CharField(max_length=8, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supplier_records",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["companies_house_number"],
                condition=~Q(companies_house_number=""),
                name="supplier_unique_companies_house_number",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = normalise_name(self.name)
        super().save(*args, **kwargs)


class Contract(models.Model):
    """One contract award read from an Open Contracting (OCDS 1.1) release:
    who bought what from whom, for how much and until when. Identified by
    (OCID, award id), so importing the same notice again updates it. A buyer
    the platform could not match keeps ``buyer`` empty and its published name,
    so it can be matched later and is listed as unmatched."""

    ocid = models.CharField("OCID", max_length=255)
    award_id = models.CharField(max_length=255)
    buyer = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="contracts"
    )
    buyer_name = models.CharField(max_length=255)
    buyer_identifier = models.CharField(max_length=255, blank=True)
    suppliers = models.ManyToManyField(Supplier, blank=True, related_name="contracts")
    title = models.CharField(max_length=500, blank=True)
    value_pence = models.PositiveBigIntegerField(null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    cpv_codes = models.JSONField(default=list, blank=True)
    service_area = models.ForeignKey(
        ServiceArea, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The file it was read from, for the import report and the profile.
    source = models.CharField(max_length=255, blank=True)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["end_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["ocid", "award_id"], name="contract_unique_award"),
        ]
        indexes = [models.Index(fields=["buyer", "end_date"])]

    def __str__(self) -> str:
        return self.title or f"{self.ocid} / {self.award_id}"


class SystemInUse(models.Model):
    """A system a council runs: the facts behind "who else uses this supplier
    and when does their contract end?".

    ``supplier_key``/``product_key`` are the normalised names (``normalise_name``),
    kept in step on every save; the directory filters and searches on them.

    Hand-entered systems are confirmed. One imported from a published
    contract (``contract``) starts as *suggested*: shown on the profile with
    its notice for the council to confirm, correct or dismiss. Suggested ones
    count in matching with a lower weight; dismissed ones are kept (so a
    re-import does not suggest them again) and count nowhere."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        SUGGESTED = "suggested", "Suggested from a published contract"
        DISMISSED = "dismissed", "Dismissed"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="systems")
    service_area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="+")
    supplier = models.CharField(max_length=150)
    product = models.CharField(max_length=150)
    supplier_key = models.CharField(max_length=150, editable=False, db_index=True, default="")
    product_key = models.CharField(max_length=150, editable=False, db_index=True, default="")
    contract_end_date = models.DateField(null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.CONFIRMED, db_index=True
    )
    contract = models.ForeignKey(
        Contract, null=True, blank=True, on_delete=models.SET_NULL, related_name="systems"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["service_area__name", "supplier", "product"]
        verbose_name_plural = "systems in use"
        indexes = [models.Index(fields=["supplier"]), models.Index(fields=["contract_end_date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "contract"],
                condition=Q(contract__isnull=False),
                name="systeminuse_one_per_contract",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supplier} {self.product}"

    def save(self, *args, **kwargs):
        self.supplier_key = normalise_name(self.supplier)
        self.product_key = normalise_name(self.product)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "supplier_key", "product_key"}
        super().save(*args, **kwargs)


class Need(models.Model):
    """Something a council needs help with, by service area and priority."""

    class Priority(models.TextChoices):
        HIGH = "high", "High"
        MEDIUM = "medium", "Medium"
        LOW = "low", "Low"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="needs")
    service_area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="+")
    description = models.CharField(max_length=500)
    priority = models.CharField(max_length=8, choices=Priority.choices, default=Priority.MEDIUM)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["service_area__name", "-priority"]

    def __str__(self) -> str:
        return self.description[:60]


class SkillOffer(models.Model):
    """A skill a council can lend to others."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="skills_offered"
    )
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="+")
    detail = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["skill__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "skill"], name="skilloffer_unique_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return str(self.skill)
