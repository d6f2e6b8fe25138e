"""factory-boy factories for every model tests need. Personas live in conftest."""

import itertools

import factory
from allauth.account.models import EmailAddress
from django.utils.text import slugify
from faker import Faker

from accounts.models import User
from councils.models import (
    EmailDomain,
    Membership,
    Need,
    Organisation,
    ServiceArea,
    Skill,
    SkillOffer,
    SystemInUse,
)

DEFAULT_PASSWORD = "correct-horse-battery-staple"
_member_numbers = itertools.count(1)
_fake = Faker("en_GB")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.COUNCIL
    name = factory.Sequence(lambda n: f"Testshire {n}")
    official_name = factory.LazyAttribute(lambda o: f"{o.name} Council")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    register_code = factory.Sequence(lambda n: f"T{n:02d}"[:8] if n >= 10 else f"T0{n}")
    gss_code = factory.Sequence(lambda n: f"E{n:08d}")
    nation = "England"
    region = "Yorkshire and The Humber"
    authority_type = "Metropolitan district"
    population = 250_000
    status = Organisation.Status.ACTIVE


class SupplierFactory(OrganisationFactory):
    kind = Organisation.Kind.SUPPLIER
    name = factory.Sequence(lambda n: f"Supplier {n} Ltd")
    official_name = factory.LazyAttribute(lambda o: o.name)
    register_code = ""
    gss_code = ""
    nation = ""
    region = ""
    authority_type = ""
    population = None


class EmailDomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmailDomain

    organisation = factory.SubFactory(OrganisationFactory)
    domain = factory.LazyAttribute(lambda o: f"{o.organisation.slug}.gov.uk")


class UserFactory(factory.django.DjangoModelFactory):
    """A user with a verified primary e-mail address (as allauth requires)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.gov.uk")
    # Realistic names, with a typographic apostrophe: a plain ' is escaped in
    # HTML, which would make "name in page" assertions fail at random.
    full_name = factory.LazyFunction(lambda: _fake.name().replace("'", "’"))
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if not create:
            return
        self.save()
        EmailAddress.objects.create(
            user=self, email=self.email, primary=True, verified=extracted is not False
        )


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.MEMBER
    status = Membership.Status.ACTIVE


def member_of(
    organisation, role=Membership.Role.MEMBER, *, totp: bool | None = None, **user_kwargs
) -> User:
    """An active member of ``organisation`` whose address is on its domain.
    Admins are enrolled in two-factor authentication, as the platform requires,
    unless ``totp=False`` (to test what happens before they enrol)."""
    domain = organisation.email_domains.values_list("domain", flat=True).first() or (
        f"{organisation.slug}.gov.uk"
    )
    user_kwargs.setdefault("email", f"{role}.{next(_member_numbers)}@{domain}")
    user = UserFactory(**user_kwargs)
    MembershipFactory(user=user, organisation=organisation, role=role)
    if totp is None:
        totp = role == Membership.Role.ADMIN
    if totp:
        enrol_totp(user)
    return user


def enrol_totp(user) -> str:
    """Enrol ``user`` in TOTP two-factor authentication; returns the secret."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    # Enrolling again replaces the authenticator (one TOTP per user).
    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def service_area(slug: str = "waste") -> ServiceArea:
    area, _ = ServiceArea.objects.get_or_create(
        slug=slug, defaults={"name": slug.replace("-", " ").capitalize()}
    )
    return area


def skill(slug: str = "user-research") -> Skill:
    obj, _ = Skill.objects.get_or_create(
        slug=slug, defaults={"name": slug.replace("-", " ").capitalize()}
    )
    return obj


class SystemInUseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SystemInUse

    organisation = factory.SubFactory(OrganisationFactory)
    service_area = factory.LazyFunction(lambda: service_area("waste"))
    supplier = "Bartec"
    product = "Collective"
    satisfaction = 3


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    organisation = factory.SubFactory(OrganisationFactory)
    service_area = factory.LazyFunction(lambda: service_area("waste"))
    description = "Replace our waste round planning system"
    priority = Need.Priority.HIGH


class SkillOfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SkillOffer

    organisation = factory.SubFactory(OrganisationFactory)
    skill = factory.LazyFunction(lambda: skill("user-research"))
    detail = "Two user researchers with GDS experience"


class PartnershipFactory(factory.django.DjangoModelFactory):
    """An organisation's partnership in an initiative; pass ``initiative``.
    Defaults to an interested partner council (use the services in tests of
    transitions; this factory is for arranging state)."""

    class Meta:
        model = "initiatives.Partnership"

    organisation = factory.SubFactory(OrganisationFactory)
    role = "partner"
    status = "interested"


class TagFactory(factory.django.DjangoModelFactory):
    """A tag by its normalised name (what ``create_initiative`` would make of
    the name given), reused when it exists."""

    class Meta:
        model = "initiatives.Tag"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"tag {n}")

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        from initiatives.models import Tag

        kwargs["name"] = Tag.normalise(kwargs["name"])
        kwargs.setdefault("slug", Tag.slug_for(kwargs["name"]))
        return kwargs


class InitiativeFactory(factory.django.DjangoModelFactory):
    """An initiative led by ``lead_organisation`` with its ACTIVE LEAD
    partnership (as ``create_initiative`` makes). Public by default so tests
    see it; pass ``visibility`` for the others. ``service_areas``, ``tags``
    (names) and ``skills_needed`` accept lists; the search vector is refreshed
    last (PostgreSQL), exactly as the services keep it."""

    class Meta:
        model = "initiatives.Initiative"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Shared initiative {n}")
    slug = factory.Sequence(lambda n: f"shared-initiative-{n}")
    summary = "Councils working together on a shared problem."
    description = ""
    lead_organisation = factory.SubFactory(OrganisationFactory)
    visibility = "public"
    stage = "idea"
    partner_count = 1

    @factory.post_generation
    def lead_partnership(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        from initiatives.models import Partnership

        Partnership.objects.create(
            initiative=self,
            organisation=self.lead_organisation,
            role=Partnership.Role.LEAD,
            status=Partnership.Status.ACTIVE,
        )

    @factory.post_generation
    def service_areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.service_areas.set(extracted)

    @factory.post_generation
    def skills_needed(self, create, extracted, **kwargs):
        if create and extracted:
            self.skills_needed.set(extracted)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set([TagFactory(name=name) for name in extracted])

    @factory.post_generation
    def search_vector(self, create, extracted, **kwargs):
        if create:
            from initiatives.services.catalogue import refresh_search_vector

            refresh_search_vector(initiative=self)


def make_initiative(lead, **fields):
    """An initiative led by ``lead`` with its ACTIVE LEAD partnership and
    ``partner_count`` 1, exactly as ``create_initiative`` leaves it, but with
    the fields given and nothing else (no tags, no timeline, no search vector):
    for tests that arrange state precisely. Public unless told otherwise."""
    from initiatives.models import Initiative, Partnership

    fields.setdefault("visibility", Initiative.Visibility.PUBLIC)
    fields.setdefault("title", "Shared waste round planning")
    fields.setdefault("summary", "Plan waste rounds together across councils.")
    fields.setdefault("slug", f"initiative-{Initiative.objects.count() + 1}")
    fields.setdefault("partner_count", 1)
    initiative = Initiative.objects.create(lead_organisation=lead, **fields)
    Partnership.objects.create(
        initiative=initiative,
        organisation=lead,
        role=Partnership.Role.LEAD,
        status=Partnership.Status.ACTIVE,
    )
    return initiative


# --- end of TagFactory / InitiativeFactory ---


class UpdateFactory(factory.django.DjangoModelFactory):
    """An update on an initiative; pass ``initiative`` (and ``author`` to match)."""

    class Meta:
        model = "initiatives.Update"

    organisation = factory.LazyAttribute(lambda o: o.initiative.lead_organisation)
    title = factory.Sequence(lambda n: f"Progress report {n}")
    body = "We finished **discovery** and start alpha next month."


class CommentFactory(factory.django.DjangoModelFactory):
    """A discussion comment; pass ``initiative`` and ``author``."""

    class Meta:
        model = "initiatives.Comment"

    organisation = factory.LazyAttribute(
        lambda o: (
            o.author.memberships.filter(status="active").first().organisation
            if o.author is not None and o.author.memberships.filter(status="active").exists()
            else None
        )
    )
    body = factory.Sequence(lambda n: f"Comment number {n}: we are interested in this.")


def totp_code_for_secret(secret: str) -> str:
    """The code an authenticator app shows now for ``secret``. allauth accepts
    only the current 30-second step, so a code is never handed out in the last
    seconds of its step, where it could expire before the form is submitted."""
    import time

    from allauth.mfa import app_settings as mfa_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    period = mfa_settings.TOTP_PERIOD
    if time.time() % period > period - 5:
        time.sleep(period - time.time() % period + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def current_totp_code(user) -> str:
    """The current TOTP code of an enrolled ``user`` (see totp_code_for_secret)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import decrypt

    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return totp_code_for_secret(decrypt(authenticator.data["secret"]))
