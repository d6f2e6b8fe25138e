"""``manage.py seed_demo``: a believable platform to click through.

Imports the register (or, without the CSV, a dozen well-known councils),
switches eight councils on with their e-mail domains, creates demo people of
every kind with one shared password, fills in a few council profiles, and then
seeds the demo initiatives (``initiatives.demo.seed(stdout)``), workshops
and, last, a digest due for the demo officer (``notifications.demo.seed``).

Idempotent: everything is looked up before it is created, so a second run
changes nothing (and says so). Never run it against production.
"""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

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
    normalise_name,
)
from councils.normalise import canonical_spelling
from councils.register import ATTRIBUTION, import_register_file
from councils.services import onboarding
from initiatives import demo as initiatives_demo

DEFAULT_REGISTER_PATH = (
    Path(settings.BASE_DIR).parent / "shared" / "data" / "uk_local_authorities_current.csv"
)

# Printed at the end; demo only. The TOTP secret is fixed so a presenter can
# add it to an authenticator app once and keep using it across re-seeds.
DEMO_PASSWORD = "council-demo-2026"
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

# Register code -> e-mail domain of the councils the demo switches on.
ACTIVE_COUNCILS = {
    "LDS": "leeds.gov.uk",
    "MAN": "manchester.gov.uk",
    "BST": "bristol.gov.uk",
    "CON": "cornwall.gov.uk",
    "GLG": "glasgow.gov.uk",
    "CRF": "cardiff.gov.uk",
    "KEN": "kent.gov.uk",
    "CMD": "camden.gov.uk",
}

# Used only when the register CSV is not available: the same codes and facts
# as the register, so a later import updates these rows instead of clashing.
FALLBACK_COUNCILS = [
    # code, official name, short name, slug, GSS, nation, region, type, population
    ("LDS", "Leeds City Council", "Leeds", "leeds", "E08000035", "England",
     "Yorkshire and The Humber", "Metropolitan district", 798786),
    ("MAN", "Manchester City Council", "Manchester", "manchester", "E08000003", "England",
     "North West", "Metropolitan district", 555741),
    ("BST", "Bristol City Council", "City of Bristol", "bristol", "E06000023", "England",
     "South West", "Unitary authority", 465866),
    ("CON", "Cornwall Council", "Cornwall", "cornwall", "E06000052", "England", "South West",
     "Unitary authority", 573299),
    ("GLG", "Glasgow City Council", "Glasgow City", "glasgow", "S12000049", "Scotland",
     "Scotland", "Scottish unitary authority", 635640),
    ("CRF", "City of Cardiff Council", "Cardiff", "cardiff", "W06000015", "Wales", "Wales",
     "Welsh unitary authority", 369202),
    ("KEN", "Kent County Council", "Kent", "kent", "E10000016", "England", "South East",
     "County", 1589057),
    ("CMD", "London Borough of Camden", "Camden", "camden", "E09000007", "England", "London",
     "London borough", 279516),
    ("BIR", "Birmingham City Council", "Birmingham", "birmingham", "E08000025", "England",
     "West Midlands", "Metropolitan district", 1140525),
    ("LIV", "Liverpool City Council", "Liverpool", "liverpool", "E08000012", "England",
     "North West", "Metropolitan district", 500474),
    ("EDH", "City of Edinburgh Council", "City of Edinburgh", "edinburgh", "S12000036",
     "Scotland", "Scotland", "Scottish unitary authority", 527620),
    ("SHF", "Sheffield City Council", "Sheffield", "sheffield", "E08000019", "England",
     "Yorkshire and The Humber", "Metropolitan district", 589214),
]  # fmt: skip

SUPPLIER = {
    "official_name": "Acme Digital Ltd",
    "name": "Acme Digital",
    "website": "https://acme-digital.example",
    "domain": "acme-digital.example",
}


@dataclass(frozen=True)
class DemoPerson:
    email: str
    full_name: str
    job_title: str
    organisation: str  # register code, "supplier", or "" for platform staff
    role: str = ""
    is_staff: bool = False

    @property
    def needs_mfa(self) -> bool:
        return self.is_staff or self.role == Membership.Role.ADMIN


PEOPLE = [
    DemoPerson(
        "platform.admin@collab.localhost", "Priya Shah", "Platform administrator", "",
        is_staff=True,
    ),
    DemoPerson(
        "amara.okafor@leeds.gov.uk", "Amara Okafor", "Head of Digital", "LDS",
        Membership.Role.ADMIN,
    ),
    DemoPerson(
        "oliver.bennett@leeds.gov.uk", "Oliver Bennett", "Service Improvement Officer", "LDS",
        Membership.Role.MEMBER,
    ),
    DemoPerson(
        "fatima.hussain@leeds.gov.uk", "Fatima Hussain", "Service Designer", "LDS",
        Membership.Role.FACILITATOR,
    ),
    DemoPerson(
        "michael.grant@manchester.gov.uk", "Michael Grant", "Chief Digital Officer", "MAN",
        Membership.Role.ADMIN,
    ),
    DemoPerson(
        "megan.lloyd@manchester.gov.uk", "Megan Lloyd", "Waste Strategy Lead", "MAN",
        Membership.Role.MEMBER,
    ),
    DemoPerson(
        "bethany.cole@bristol.gov.uk", "Bethany Cole", "Director of ICT", "BST",
        Membership.Role.ADMIN,
    ),
    DemoPerson(
        "ben.taylor@bristol.gov.uk", "Ben Taylor", "Revenues Systems Manager", "BST",
        Membership.Role.MEMBER,
    ),
    DemoPerson(
        "sam.patel@acme-digital.example", "Sam Patel", "Account Director", "supplier",
        Membership.Role.MEMBER,
    ),
]  # fmt: skip

# Profiles: (service area slug, supplier, product, contract end, satisfaction 1-5).
SYSTEMS = {
    "LDS": [
        ("waste-and-recycling", "Bartec", "Collective", date(2027, 3, 31), 3),
        ("revenues-and-benefits", "Capita", "One Revenues and Benefits", date(2027, 9, 30), 2),
        ("planning", "Idox", "Uniform", date(2028, 3, 31), 3),
    ],
    "MAN": [
        ("waste-and-recycling", "Bartec", "Collective", date(2027, 6, 30), 4),
        ("adult-social-care", "System C", "Liquidlogic Adults", date(2029, 3, 31), 3),
        ("customer-contact", "Salesforce", "Service Cloud", date(2027, 12, 31), 4),
    ],
    "BST": [
        ("revenues-and-benefits", "Capita", "One Revenues and Benefits", date(2027, 12, 31), 2),
        ("digital-front-door", "Jadu", "Jadu Central", date(2028, 8, 31), 3),
    ],
    "CON": [("planning", "Idox", "Uniform", date(2027, 3, 31), 2)],
    "GLG": [("housing", "NEC", "NEC Housing", date(2028, 9, 30), 3)],
    "CRF": [("waste-and-recycling", "Whitespace", "Whitespace Work Software", None, 4)],
    "KEN": [("adult-social-care", "Servelec", "Mosaic", date(2027, 3, 31), 3)],
    "CMD": [("digital-front-door", "GOSS", "iCM", date(2028, 11, 30), 4)],
}
NEEDS = {
    "LDS": [
        (
            "revenues-and-benefits",
            "Replace our revenues and benefits system before the contract ends",
            "high",
        ),
        ("waste-and-recycling", "In-cab technology for crews to report missed bins", "medium"),
    ],
    "MAN": [("adult-social-care", "Better data sharing with health partners", "high")],
    "BST": [("revenues-and-benefits", "Automate council tax discount reviews", "high")],
    "CON": [("planning", "Digital planning applications and validation", "medium")],
    "GLG": [("housing", "Tenant self-service for repairs", "medium")],
    "CRF": [("customer-contact", "Bilingual chatbot for common enquiries", "low")],
    "KEN": [("data-and-analytics", "A shared data platform across districts", "high")],
    "CMD": [("homelessness", "Case management for temporary accommodation", "high")],
}
SKILLS = {
    "LDS": [("user-research", "A team of four user researchers"), ("data-engineering", "")],
    "MAN": [("service-design", "Service designers with adult social care experience")],
    "BST": [("procurement", "Experience of a joint revenues and benefits procurement")],
    "CON": [("accessibility", "Accessibility auditing of public websites")],
    "GLG": [("agile-delivery", "Delivery managers and agile coaching")],
    "CRF": [("content-design", "Bilingual (Welsh and English) content designers")],
    "KEN": [("data-analysis", "")],
    "CMD": [("cyber-security", "A security operations centre shared with neighbours")],
}


def _titled(slug: str) -> str:
    return slug.replace("-", " ").capitalize()


def _service_area(slug: str) -> ServiceArea:
    """By slug, else by name (the taxonomy migration owns names), else new."""
    area = (
        ServiceArea.objects.filter(slug=slug).first()
        or ServiceArea.objects.filter(name__iexact=_titled(slug)).first()
    )
    return area or ServiceArea.objects.create(slug=slug, name=_titled(slug))


def _skill(slug: str) -> Skill:
    skill = (
        Skill.objects.filter(slug=slug).first()
        or Skill.objects.filter(name__iexact=_titled(slug)).first()
    )
    return skill or Skill.objects.create(slug=slug, name=_titled(slug))


class Command(BaseCommand):
    help = (
        "Load demo data: the register of UK authorities, eight active councils, demo users "
        "(one shared password) and council profiles. Safe to run twice. Not for production."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--register",
            default=str(DEFAULT_REGISTER_PATH),
            help="Path of the register CSV (default: %(default)s). Without the file, a "
            "dozen well-known councils are created by hand.",
        )

    def handle(self, *args, register: str, **options):
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("seed_demo creates users with a published password: not here.")
        self.created: dict[str, int] = {}
        self.password_hash: str | None = None
        try:
            with transaction.atomic():
                self._register(Path(register))
                staff = self._person(PEOPLE[0], organisation=None)
                councils = self._activate_councils(by=staff)
                supplier = self._supplier(by=staff)
                organisations = {**councils, "supplier": supplier}
                for person in PEOPLE[1:]:
                    self._person(person, organisation=organisations.get(person.organisation))
                self._profiles(councils)
        except ValidationError as error:
            raise CommandError("Demo data not loaded: " + " ".join(error.messages)) from error
        self._seed_initiatives()
        self._seed_workshops()
        self._seed_digests()
        made = ", ".join(f"{count} {what}" for what, count in self.created.items() if count)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({made or 'nothing new'})."))
        self._print_logins()

    def _count(self, what: str, created: bool = True) -> None:
        self.created[what] = self.created.get(what, 0) + int(created)

    # Steps ------------------------------------------------------------------------------

    def _register(self, path: Path) -> None:
        if path.exists():
            result = import_register_file(path=path)
            self.stdout.write(f"Register of UK authorities: {result.summary()}.")
            self.stdout.write(ATTRIBUTION + ".")
            return
        self.stdout.write(f"No register at {path}; creating {len(FALLBACK_COUNCILS)} councils.")
        for code, official, name, slug, gss, nation, region, kind, population in FALLBACK_COUNCILS:
            _organisation, created = Organisation.objects.get_or_create(
                register_code=code,
                defaults={
                    "official_name": official,
                    "name": name,
                    "slug": slug,
                    "gss_code": gss,
                    "nation": nation,
                    "region": region,
                    "authority_type": kind,
                    "population": population,
                    "status": Organisation.Status.REGISTERED,
                },
            )
            self._count("councils", created)

    def _activate_councils(self, *, by: User) -> dict[str, Organisation]:
        councils = {}
        for code, domain in ACTIVE_COUNCILS.items():
            organisation = Organisation.objects.get(register_code=code)
            if organisation.status == Organisation.Status.REGISTERED:
                onboarding.activate_organisation(organisation=organisation, by=by)
                organisation.refresh_from_db()
                self._count("councils activated")
            owner = EmailDomain.objects.filter(domain=domain).first()
            if owner is None:
                onboarding.add_email_domain(organisation=organisation, domain=domain, by=by)
                self._count("e-mail domains")
            elif owner.organisation_id != organisation.pk:
                self.stderr.write(f"{domain} belongs to another organisation; left alone.")
            councils[code] = organisation
        return councils

    def _supplier(self, *, by: User) -> Organisation:
        owner = EmailDomain.objects.select_related("organisation").filter(domain=SUPPLIER["domain"])
        if owner.exists():
            return owner.get().organisation
        self._count("suppliers")
        return onboarding.create_organisation(
            kind=Organisation.Kind.SUPPLIER,
            official_name=SUPPLIER["official_name"],
            name=SUPPLIER["name"],
            website=SUPPLIER["website"],
            domains=[SUPPLIER["domain"]],
            by=by,
        )

    def _person(self, person: DemoPerson, *, organisation: Organisation | None) -> User:
        user = User.objects.filter(email=person.email).first()
        if user is None:
            user = User.objects.create_user(
                email=person.email,
                password=None,
                full_name=person.full_name,
                job_title=person.job_title,
                is_staff=person.is_staff,
                is_superuser=person.is_staff,
            )
            # Hash once, share the hash: a demo password needs no per-user salt,
            # and nine slow hashes would double the seeding time.
            if self.password_hash is None:
                self.password_hash = make_password(DEMO_PASSWORD)
            user.password = self.password_hash
            user.save(update_fields=["password"])
            self._count("users")
        address, created = EmailAddress.objects.get_or_create(
            user=user, email=person.email, defaults={"verified": True, "primary": True}
        )
        if not created and not (address.verified and address.primary):
            address.verified = address.primary = True
            address.save(update_fields=["verified", "primary"])
        if (
            organisation is not None
            and not Membership.objects.filter(user=user, status=Membership.Status.ACTIVE).exists()
        ):
            Membership.objects.create(
                user=user,
                organisation=organisation,
                role=person.role,
                status=Membership.Status.ACTIVE,
                decided_at=timezone.now(),
            )
            self._count("memberships")
        if (
            person.needs_mfa
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            TOTP.activate(user, DEMO_TOTP_SECRET)
            self._count("TOTP enrolments")
        return user

    def _profiles(self, councils: dict[str, Organisation]) -> None:
        for code, organisation in councils.items():
            for area, supplier, product, ends, satisfaction in SYSTEMS.get(code, []):
                # Matched by normalised name and stored in the spelling on record,
                # so a rerun never adds "bartec" beside "Bartec".
                supplier, product = canonical_spelling(supplier, product)
                _system, created = SystemInUse.objects.get_or_create(
                    organisation=organisation,
                    service_area=_service_area(area),
                    supplier_key=normalise_name(supplier),
                    product_key=normalise_name(product),
                    defaults={
                        "supplier": supplier,
                        "product": product,
                        "contract_end_date": ends,
                        "satisfaction": satisfaction,
                    },
                )
                self._count("systems in use", created)
            for area, description, priority in NEEDS.get(code, []):
                _need, created = Need.objects.get_or_create(
                    organisation=organisation,
                    service_area=_service_area(area),
                    description=description,
                    defaults={"priority": priority},
                )
                self._count("needs", created)
            for slug, detail in SKILLS.get(code, []):
                _offer, created = SkillOffer.objects.get_or_create(
                    organisation=organisation, skill=_skill(slug), defaults={"detail": detail}
                )
                self._count("skills offered", created)

    def _seed_initiatives(self) -> None:
        """Initiatives seed their own demo data, through their services."""
        self.stdout.write("Seeding initiatives demo data...")
        initiatives_demo.seed(self.stdout)

    def _seed_workshops(self) -> None:
        """Workshops seed their own demo data, through the board's services."""
        from swot import demo as swot_demo

        self.stdout.write("Seeding workshops demo data...")
        swot_demo.seed(self.stdout)

    def _seed_digests(self) -> None:
        """Last, after every demo activity: the demo officer's digest is due."""
        from notifications import demo as notifications_demo

        notifications_demo.seed(self.stdout)

    def _print_logins(self) -> None:
        organisations = {
            membership.user.email: membership
            for membership in Membership.objects.select_related("user", "organisation").filter(
                user__email__in=[person.email for person in PEOPLE],
                status=Membership.Status.ACTIVE,
            )
        }
        rows = [("E-mail", "Role", "Organisation", "2FA")]
        for person in PEOPLE:
            membership = organisations.get(person.email)
            rows.append(
                (
                    person.email,
                    "Platform admin (staff)"
                    if person.is_staff
                    else membership.get_role_display()
                    if membership
                    else "-",
                    membership.organisation.name if membership else "-",
                    "TOTP" if person.needs_mfa else "",
                )
            )
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        self.stdout.write("")
        self.stdout.write("Demo logins (password for all: " + DEMO_PASSWORD + ")")
        for number, row in enumerate(rows):
            self.stdout.write(
                "  ".join(
                    cell.ljust(width) for cell, width in zip(row, widths, strict=True)
                ).rstrip()
            )
            if number == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
        self.stdout.write("")
        self.stdout.write(
            f"Two-factor secret for staff and council admins: {DEMO_TOTP_SECRET} "
            "(add it to an authenticator app as a key entered by hand, time-based)."
        )
