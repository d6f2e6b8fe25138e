"""Demo initiatives for ``manage.py seed_demo``: a living catalogue of about
twenty initiatives at every stage and visibility, led by the demo councils,
with partners in every status, stage timelines, updates and comments.

Everything goes through the real services (create_initiative, change_stage,
the partnership services, post_update, post_comment), so the demo data obeys
the same rules as real data. Idempotent: an initiative that already exists
(same title and lead) is left alone, so running twice changes nothing.
Councils that are not on the platform are skipped with a note.
"""

import datetime
from dataclasses import dataclass, field
from typing import TextIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import User
from councils.models import Membership, Organisation, ServiceArea, Skill
from councils.selectors.people import forget_membership_cache

from .models import Comment, Initiative, Partnership, PartnershipEvent, StageChange, Update
from .services import discussion, partnerships
from .services import initiative as initiative_services

# Register codes of the demo councils (seed_demo activates these).
COUNCILS = ("LDS", "MAN", "BST", "CON", "GLG", "CRF", "KEN", "CMD")
SUPPLIER_SLUG = "acme-digital"

# People who act for councils that seed_demo gives no users of their own.
# (register code, role, e-mail, full name); passwords are unusable.
EXTRA_PEOPLE = [
    ("LDS", Membership.Role.ADMIN, "amara.okafor@leeds.gov.uk", "Amara Okafor"),
    ("CON", Membership.Role.ADMIN, "kerenza.pascoe@cornwall.gov.uk", "Kerenza Pascoe"),
    ("CON", Membership.Role.MEMBER, "tom.trewin@cornwall.gov.uk", "Tom Trewin"),
    ("GLG", Membership.Role.ADMIN, "morag.campbell@glasgow.gov.uk", "Morag Campbell"),
    ("GLG", Membership.Role.MEMBER, "iain.fraser@glasgow.gov.uk", "Iain Fraser"),
    ("CRF", Membership.Role.ADMIN, "rhian.evans@cardiff.gov.uk", "Rhian Evans"),
    ("CRF", Membership.Role.MEMBER, "dafydd.jones@cardiff.gov.uk", "Dafydd Jones"),
    ("KEN", Membership.Role.ADMIN, "sarah.hollis@kent.gov.uk", "Sarah Hollis"),
    ("KEN", Membership.Role.MEMBER, "james.wickham@kent.gov.uk", "James Wickham"),
    ("CMD", Membership.Role.ADMIN, "ayesha.rahman@camden.gov.uk", "Ayesha Rahman"),
    ("CMD", Membership.Role.MEMBER, "leo.marsh@camden.gov.uk", "Leo Marsh"),
    ("LDS", Membership.Role.MEMBER, "oliver.bennett@leeds.gov.uk", "Oliver Bennett"),
    ("MAN", Membership.Role.ADMIN, "michael.grant@manchester.gov.uk", "Michael Grant"),
    ("MAN", Membership.Role.MEMBER, "megan.lloyd@manchester.gov.uk", "Megan Lloyd"),
    ("BST", Membership.Role.ADMIN, "bethany.cole@bristol.gov.uk", "Bethany Cole"),
    ("BST", Membership.Role.MEMBER, "ben.taylor@bristol.gov.uk", "Ben Taylor"),
]

STAGE_ORDER = [s.value for s in Initiative.Stage]


@dataclass
class Partner:
    """Another organisation's place: ``status`` is where its partnership ends up."""

    code: str  # register code, or "supplier"
    status: str
    political_sponsor: str = ""
    officer_sponsor: str = ""
    pledged_pence: int = 0
    pledged_staff_days: int = 0


@dataclass
class DemoInitiative:
    lead: str
    title: str
    summary: str
    description: str
    stage: str
    visibility: str = Initiative.Visibility.PUBLIC
    collaboration_level: str = Initiative.CollaborationLevel.CO_DESIGNING
    looking_for_partners: bool = True
    service_areas: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    cost_pence: int | None = None
    funding_band: str = Initiative.FundingBand.UNKNOWN
    funding_sources: tuple[str, ...] = ()
    cost_split: str = Initiative.CostSplit.EQUAL
    months_ago: int = 6
    partners: list[Partner] = field(default_factory=list)
    updates: list[tuple[str, str]] = field(default_factory=list)
    comments: list[tuple[str, str]] = field(default_factory=list)  # (register code, body)


ACTIVE, COMMITTED, INTERESTED = "active", "committed", "interested"
INVITED, DECLINED, WITHDRAWN = "invited", "declined", "withdrawn"

INITIATIVES = [
    DemoInitiative(
        "LDS",
        "Garden waste subscriptions online",
        "One online service for residents to subscribe to, renew and pay for garden waste "
        "collections, with automatic round allocation.",
        "Every council that charges for garden waste runs the same yearly renewal rush.\n\n"
        "We are building **one subscription service** that any council can configure:\n\n"
        "- sign up and pay online, with direct debit renewals\n"
        "- bin stickers and permits posted automatically\n"
        "- rounds allocated from the property's UPRN\n\n"
        "Partners bring their round data and user research with their residents.",
        "beta",
        collaboration_level=Initiative.CollaborationLevel.CO_FUNDING,
        service_areas=("waste-and-recycling", "customer-contact"),
        tags=("Garden waste", "Payments", "Open source"),
        skills=("user-research", "software-development"),
        cost_pence=18_000_000,
        funding_band=Initiative.FundingBand.FROM_50K_TO_250K,
        funding_sources=("own_budgets", "local_digital_fund"),
        cost_split=Initiative.CostSplit.POPULATION,
        months_ago=14,
        partners=[
            Partner("MAN", ACTIVE, "Cllr Tracey Rawlins", "Megan Lloyd", 6_000_000, 40),
            Partner("BST", COMMITTED, "Cllr Kye Dudd", "Ben Taylor", 4_500_000, 20),
            Partner("KEN", INTERESTED),
            Partner("supplier", ACTIVE),
        ],
        updates=[
            (
                "Private beta with 2,000 households",
                "Leeds and Manchester residents can now renew online. **94%** completed "
                "without help; direct debit take-up is 61%.",
            ),
            ("Round allocation works from UPRNs", "No more manual round lookups for new sign-ups."),
        ],
        comments=[
            ("BST", "Bristol would like to reuse the permit print integration. Is it documented?"),
            ("LDS", "Yes: see the repository's `docs/printing.md`. Happy to walk you through it."),
            ("KEN", "Kent collects garden waste on behalf of 12 districts. Would that fit?"),
        ],
    ),
    DemoInitiative(
        "MAN",
        "Council tax chatbot for common questions",
        "A shared, accessible chatbot that answers the 30 most common council tax questions "
        "and hands over to an officer with context.",
        "Council tax contact centres answer the same questions about discounts, moving home "
        "and payment dates. A shared knowledge base and bot could take a third of calls.",
        "alpha",
        service_areas=("council-tax", "customer-contact"),
        tags=("Chatbot", "Contact centre"),
        skills=("content-design", "user-research"),
        cost_pence=9_500_000,
        funding_band=Initiative.FundingBand.FROM_50K_TO_250K,
        funding_sources=("local_digital_fund",),
        months_ago=9,
        partners=[
            Partner("LDS", ACTIVE, "Cllr Jonathan Pryor", "Oliver Bennett", 2_500_000, 15),
            Partner("CRF", INTERESTED),
            Partner("CMD", WITHDRAWN),
        ],
        updates=[
            ("Alpha prototype tested with 12 residents", "Moving-home journeys tested well."),
        ],
        comments=[
            ("CRF", "Cardiff would need the bot to work in Welsh as well as English."),
            ("MAN", "Good point: we will design content so it can be translated from the start."),
        ],
    ),
    DemoInitiative(
        "BST",
        "Housing repairs reporting",
        "Let tenants report a repair with photos, book an appointment and track it, "
        "connected to the housing management system.",
        "Repairs are the top reason tenants contact us. We want a reusable front end that "
        "talks to the common housing systems.",
        "discovery",
        visibility=Initiative.Visibility.PLATFORM,
        service_areas=("housing",),
        tags=("Repairs", "Tenants"),
        skills=("service-design", "technical-architecture"),
        cost_pence=12_000_000,
        funding_band=Initiative.FundingBand.FROM_50K_TO_250K,
        funding_sources=("own_budgets",),
        months_ago=4,
        partners=[
            Partner("CON", COMMITTED, "Cllr Olly Monk", "Tom Trewin", 3_000_000, 10),
            Partner("GLG", DECLINED),
        ],
        comments=[("CON", "Cornwall Housing would test with rural tenants.")],
    ),
    DemoInitiative(
        "CON",
        "Demand-responsive rural bus booking",
        "Book a seat on demand-responsive buses in rural areas online or by phone, "
        "with live vehicle tracking.",
        "Rural communities rely on buses that run on demand. Booking is by phone only today.",
        "idea",
        service_areas=("highways-and-transport",),
        tags=("Transport", "Rural"),
        skills=("product-management",),
        months_ago=1,
    ),
    DemoInitiative(
        "GLG",
        "Planning application validation checker",
        "Check planning applications for missing documents before they are submitted, so "
        "fewer are invalid on arrival.",
        "About half of planning applications arrive invalid. The checker runs the local "
        "validation list against uploaded documents and tells agents what is missing.",
        "live",
        collaboration_level=Initiative.CollaborationLevel.SHARED_SERVICE,
        service_areas=("planning",),
        tags=("Planning", "Validation"),
        skills=("data-science", "software-development"),
        cost_pence=32_000_000,
        funding_band=Initiative.FundingBand.FROM_250K_TO_1M,
        funding_sources=("own_budgets", "other_grant"),
        months_ago=26,
        partners=[
            Partner("LDS", ACTIVE, "Cllr Helen Hayden", "Oliver Bennett", 8_000_000, 30),
            Partner("CRF", ACTIVE, "Cllr Dan De'Ath", "Dafydd Jones", 8_000_000, 30),
        ],
        updates=[
            ("Invalid applications down 38%", "Six months of data from all three councils."),
            ("Now live in Cardiff", "Welsh-language validation list added."),
        ],
    ),
    DemoInitiative(
        "CRF",
        "Bilingual content design patterns",
        "Patterns and guidance for publishing services in Welsh and English, tested with "
        "users of both languages.",
        "",
        "beta",
        collaboration_level=Initiative.CollaborationLevel.SHARING_KNOWLEDGE,
        service_areas=("digital-front-door",),
        tags=("Welsh language", "Content design"),
        skills=("content-design", "accessibility"),
        months_ago=11,
        partners=[Partner("GLG", INTERESTED)],
    ),
    DemoInitiative(
        "KEN",
        "Adult social care case management procurement",
        "A joint procurement for adult social care case management, with shared requirements "
        "and a framework other councils can call off.",
        "Several contracts end between 2027 and 2029. Buying together gives us leverage.",
        "discovery",
        visibility=Initiative.Visibility.PARTNERS,
        collaboration_level=Initiative.CollaborationLevel.JOINT_PROCUREMENT,
        service_areas=("adult-social-care",),
        tags=("Procurement", "Case management"),
        skills=("procurement", "commercial-and-contract-management"),
        cost_pence=45_000_000,
        funding_band=Initiative.FundingBand.FROM_250K_TO_1M,
        funding_sources=("own_budgets",),
        months_ago=5,
        partners=[
            Partner("CMD", INVITED),
            Partner("BST", COMMITTED, "Cllr Helen Holland", "Ben Taylor", 10_000_000, 25),
        ],
    ),
    DemoInitiative(
        "CMD",
        "Resident single sign-on",
        "One account for residents across council services, using GOV.UK One Login where it fits.",
        "",
        "alpha",
        service_areas=("digital-front-door", "cyber-security"),
        tags=("Identity", "One Login"),
        skills=("technical-architecture", "cyber-security"),
        cost_pence=22_000_000,
        funding_band=Initiative.FundingBand.FROM_50K_TO_250K,
        months_ago=7,
        partners=[Partner("LDS", INTERESTED), Partner("KEN", INVITED)],
    ),
    DemoInitiative(
        "LDS",
        "Homelessness prevention triage",
        "Early triage of homelessness approaches to target prevention duty work.",
        "A draft: we are still shaping this with our housing options team.",
        "idea",
        visibility=Initiative.Visibility.DRAFT,
        service_areas=("homelessness",),
        months_ago=0,
    ),
    DemoInitiative(
        "MAN",
        "Missed bin reporting standard",
        "An open data standard and API for reporting missed bins, so any waste system and "
        "any council website can talk to each other.",
        "",
        "live",
        collaboration_level=Initiative.CollaborationLevel.SHARED_SERVICE,
        looking_for_partners=False,
        service_areas=("waste-and-recycling",),
        tags=("Open standards", "API"),
        skills=("software-development", "data-engineering"),
        cost_pence=4_000_000,
        funding_band=Initiative.FundingBand.UNDER_50K,
        months_ago=30,
        partners=[
            Partner("LDS", ACTIVE, "Cllr Mohammed Rafique", "Oliver Bennett", 1_000_000, 5),
            Partner("BST", ACTIVE, "Cllr Kye Dudd", "Ben Taylor", 1_000_000, 5),
            Partner("KEN", ACTIVE, "Cllr Rory Love", "James Wickham", 1_000_000, 5),
        ],
        updates=[("Version 1.1 published", "Adds assisted collections.")],
    ),
    DemoInitiative(
        "BST",
        "Cyber incident response playbooks",
        "Shared playbooks and exercises for ransomware and data breach incidents.",
        "",
        "retired",
        visibility=Initiative.Visibility.PLATFORM,
        collaboration_level=Initiative.CollaborationLevel.SHARING_KNOWLEDGE,
        looking_for_partners=False,
        service_areas=("cyber-security",),
        tags=("Ransomware",),
        months_ago=40,
    ),
    DemoInitiative(
        "LDS",
        "SEND transport data dashboard",
        "A dashboard of home-to-school transport costs and routes for children with special "
        "educational needs.",
        "",
        "alpha",
        service_areas=("education-and-send", "data-and-analytics"),
        tags=("Dashboards", "SEND"),
        skills=("data-analysis",),
        cost_pence=6_500_000,
        funding_band=Initiative.FundingBand.FROM_50K_TO_250K,
        months_ago=8,
        partners=[Partner("KEN", COMMITTED, "Cllr Rory Love", "James Wickham", 2_000_000, 8)],
    ),
    DemoInitiative(
        "KEN",
        "Library e-book lending consortium",
        "A consortium licence for e-books and e-audiobooks across library services.",
        "",
        "live",
        collaboration_level=Initiative.CollaborationLevel.JOINT_PROCUREMENT,
        service_areas=("libraries",),
        tags=("E-books",),
        cost_pence=80_000_000,
        funding_band=Initiative.FundingBand.FROM_250K_TO_1M,
        months_ago=20,
        partners=[
            Partner("CMD", ACTIVE, "Cllr Sagal Abdi-Wali", "Leo Marsh", 5_000_000, 2),
            Partner("CON", WITHDRAWN),
        ],
    ),
    DemoInitiative(
        "CON",
        "Taxi driver licensing online",
        "Apply for and renew taxi and private hire driver licences online, with document checks.",
        "",
        "discovery",
        service_areas=("licensing",),
        tags=("Licensing", "Taxis"),
        months_ago=3,
        partners=[Partner("CRF", INTERESTED)],
    ),
    DemoInitiative(
        "CMD",
        "Parking permits digital service",
        "Apply for resident and visitor parking permits online, with virtual permits and "
        "automatic eligibility checks.",
        "",
        "beta",
        collaboration_level=Initiative.CollaborationLevel.CO_FUNDING,
        service_areas=("parking",),
        tags=("Parking", "Permits"),
        skills=("service-design",),
        cost_pence=15_000_000,
        funding_band=Initiative.FundingBand.FROM_50K_TO_250K,
        funding_sources=("own_budgets", "local_digital_fund"),
        cost_split=Initiative.CostSplit.CUSTOM,
        months_ago=12,
        partners=[
            Partner("BST", ACTIVE, "Cllr Ed Plowden", "Ben Taylor", 5_000_000, 10),
            Partner("MAN", DECLINED),
        ],
    ),
    DemoInitiative(
        "GLG",
        "Electoral canvass data matching",
        "Match canvass data against local records to cut the cost of the annual canvass.",
        "",
        "idea",
        visibility=Initiative.Visibility.PLATFORM,
        service_areas=("elections-and-registration",),
        tags=("Elections",),
        months_ago=2,
    ),
    DemoInitiative(
        "CRF",
        "Environmental health inspection app",
        "A mobile app for food hygiene and environmental health inspections that works offline.",
        "",
        "alpha",
        service_areas=("environmental-health",),
        tags=("Inspections", "Mobile"),
        skills=("interaction-design", "software-development"),
        months_ago=6,
        partners=[Partner("GLG", COMMITTED, "Bailie Annette Christie", "Iain Fraser", 0, 20)],
    ),
    DemoInitiative(
        "MAN",
        "HR and payroll shared service",
        "Exploring a shared HR and payroll service for Greater Manchester and beyond.",
        "",
        "idea",
        visibility=Initiative.Visibility.PARTNERS,
        collaboration_level=Initiative.CollaborationLevel.SHARED_SERVICE,
        service_areas=("hr-and-payroll",),
        months_ago=1,
    ),
    DemoInitiative(
        "LDS",
        "Smoking cessation referrals",
        "Online referrals from GPs and pharmacies to stop smoking services.",
        "",
        "retired",
        looking_for_partners=False,
        service_areas=("public-health",),
        months_ago=36,
    ),
    DemoInitiative(
        "BST",
        "Council tax support eligibility checker",
        "Tell residents in two minutes whether they can get council tax support, and how much.",
        "",
        "beta",
        service_areas=("council-tax", "revenues-and-benefits"),
        tags=("Eligibility", "Benefits"),
        skills=("content-design",),
        cost_pence=3_500_000,
        funding_band=Initiative.FundingBand.UNDER_50K,
        months_ago=10,
        partners=[Partner("CRF", INTERESTED)],
    ),
]


class _Seeder:
    def __init__(self, stdout: TextIO):
        self.stdout = stdout
        self.councils: dict[str, Organisation] = {
            org.register_code: org
            for org in Organisation.objects.filter(
                register_code__in=COUNCILS, status=Organisation.Status.ACTIVE
            )
        }
        supplier = Organisation.objects.filter(
            kind=Organisation.Kind.SUPPLIER, status=Organisation.Status.ACTIVE
        ).first()
        if supplier is not None:
            self.councils["supplier"] = supplier
        self.people: dict[tuple[str, str], User] = {}

    def note(self, message: str) -> None:
        self.stdout.write(f"  {message}")

    # --- people -------------------------------------------------------------------------

    def person(self, code: str, role: str) -> User | None:
        """An active member of the organisation with ``role`` (an admin also
        serves where any member will do)."""
        key = (code, role)
        if key in self.people:
            return self.people[key]
        organisation = self.councils.get(code)
        if organisation is None:
            return None
        roles = [role] if role == Membership.Role.ADMIN else [role, Membership.Role.ADMIN]
        membership = None
        for wanted in roles:
            membership = (
                Membership.objects.select_related("user")
                .filter(organisation=organisation, status=Membership.Status.ACTIVE, role=wanted)
                .order_by("created_at")
                .first()
            )
            if membership:
                break
        user = membership.user if membership else self._make_person(code, role)
        if user is not None:
            forget_membership_cache(user)
            user = User.objects.get(pk=user.pk)
        self.people[key] = user
        return user

    def _make_person(self, code: str, role: str) -> User | None:
        organisation = self.councils[code]
        for person_code, person_role, email, full_name in EXTRA_PEOPLE:
            if person_code != code or person_role != role:
                continue
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(email=email, password=None, full_name=full_name)
            if not Membership.objects.filter(user=user, status=Membership.Status.ACTIVE).exists():
                Membership.objects.create(
                    user=user,
                    organisation=organisation,
                    role=role,
                    status=Membership.Status.ACTIVE,
                    decided_at=timezone.now(),
                )
            return user
        return None

    # --- initiatives ----------------------------------------------------------------------

    def seed(self) -> None:
        missing = [code for code in COUNCILS if code not in self.councils]
        if missing:
            self.note(f"Councils not on the platform, skipped: {', '.join(missing)}")
        created = skipped = 0
        for spec in INITIATIVES:
            lead = self.councils.get(spec.lead)
            if lead is None:
                continue
            if Initiative.objects.filter(title=spec.title, lead_organisation=lead).exists():
                skipped += 1
                continue
            try:
                with transaction.atomic():
                    self._initiative(spec, lead)
                created += 1
            except (ValidationError, PermissionDenied) as error:
                self.note(f"Could not seed “{spec.title}”: {error}")
        self.stdout.write(f"Initiatives: {created} created, {skipped} already there.")

    def _initiative(self, spec: DemoInitiative, lead: Organisation) -> None:
        officer = self.person(spec.lead, Membership.Role.MEMBER)
        lead_admin = self.person(spec.lead, Membership.Role.ADMIN)
        if officer is None or lead_admin is None:
            raise ValidationError(f"No demo people at {lead.name}.")
        started = timezone.now() - datetime.timedelta(days=30 * spec.months_ago + 3)
        initiative = initiative_services.create_initiative(
            by=officer,
            organisation=lead,
            title=spec.title,
            summary=spec.summary,
            description=spec.description,
            stage=Initiative.Stage.IDEA,
            collaboration_level=spec.collaboration_level,
            looking_for_partners=spec.looking_for_partners,
            visibility=spec.visibility,
            estimated_cost_pence=spec.cost_pence,
            funding_band=spec.funding_band,
            funding_sources=list(spec.funding_sources),
            cost_split_method=spec.cost_split,
            start_date=started.date() if spec.stage != "idea" else None,
            start_date_estimated=spec.stage in ("idea", "discovery"),
            service_areas=list(ServiceArea.objects.filter(slug__in=spec.service_areas)),
            skills_needed=list(Skill.objects.filter(slug__in=spec.skills)),
            tags=list(spec.tags),
            key_contact=officer,
        )
        # Recorded when it started, so its stage changes may be dated since.
        Initiative.objects.filter(pk=initiative.pk).update(created_at=started)
        StageChange.objects.filter(initiative=initiative, from_stage="").update(
            changed_on=started.date(), created_at=started
        )
        initiative.refresh_from_db(fields=["created_at"])
        self._walk_stages(initiative, spec.stage, started, officer)
        for partner in spec.partners:
            self._partner(initiative, partner, lead_admin)
        self._discussion(initiative, spec, officer)
        self._backdate(initiative, spec, started)

    def _backdate(self, initiative: Initiative, spec: DemoInitiative, started) -> None:
        """Spread the history over the initiative's life, so "newest", "recently
        updated" and the timelines look lived in rather than all made today."""
        now = timezone.now()
        updated = now - datetime.timedelta(days=(spec.months_ago * 5) % 45 + 1, hours=2)
        Initiative.objects.filter(pk=initiative.pk).update(
            created_at=started, updated_at=max(updated, started)
        )
        events = list(
            PartnershipEvent.objects.filter(partnership__initiative=initiative).order_by("pk")
        )
        span = now - started
        for number, event in enumerate(events):
            when = started + span * (number + 1) / (len(events) + 1) if number else started
            PartnershipEvent.objects.filter(pk=event.pk).update(created_at=when)
            if event.to_status == Partnership.Status.COMMITTED:
                Partnership.objects.filter(pk=event.partnership_id).update(signed_off_at=when)
        Partnership.objects.filter(initiative=initiative, role=Partnership.Role.LEAD).update(
            created_at=started
        )

    def _walk_stages(self, initiative, target: str, started, by) -> None:
        steps = STAGE_ORDER[1 : STAGE_ORDER.index(target) + 1]
        if not steps:
            return
        today = timezone.localdate()
        span = max((today - started.date()).days, len(steps))
        for number, stage in enumerate(steps, start=1):
            initiative_services.change_stage(
                initiative=initiative,
                to_stage=stage,
                note=f"Moved to {Initiative.Stage(stage).label.lower()} after review.",
                changed_on=started.date()
                + datetime.timedelta(days=span * number // (len(steps) + 1)),
                by=by,
            )

    def _partner(self, initiative: Initiative, partner: Partner, lead_admin: User) -> None:
        organisation = self.councils.get(partner.code)
        if organisation is None:
            return
        officer = self.person(partner.code, Membership.Role.MEMBER)
        admin = self.person(partner.code, Membership.Role.ADMIN) or officer
        if officer is None:
            return
        if partner.status == INVITED:
            partnerships.invite_partner(
                initiative=initiative, organisation=organisation, by=lead_admin
            )
            return
        if initiative.visibility == Initiative.Visibility.PARTNERS:
            partnerships.invite_partner(
                initiative=initiative, organisation=organisation, by=lead_admin
            )
        partnership = partnerships.express_interest(
            initiative=initiative, organisation=organisation, by=officer
        )
        if partner.status == WITHDRAWN:
            partnerships.withdraw_partnership(
                partnership=partnership, by=officer, note="Not the right time for us."
            )
            return
        if partner.status == DECLINED:
            partnerships.decline_partner(
                partnership=partnership, by=lead_admin, note="Outside the scope we agreed."
            )
            return
        if partner.status == INTERESTED:
            return
        if organisation.kind != Organisation.Kind.SUPPLIER:
            partnerships.sign_off_commitment(
                partnership=partnership,
                by=admin,
                political_sponsor=partner.political_sponsor or "Cabinet member for digital",
                officer_sponsor=partner.officer_sponsor or admin.full_name,
                pledged_pence=partner.pledged_pence,
                pledged_staff_days=partner.pledged_staff_days,
                pledged_skills=list(initiative.skills_needed.all()[:1]),
            )
        if partner.status == ACTIVE:
            partnerships.accept_partner(
                partnership=Partnership.objects.get(pk=partnership.pk),
                by=lead_admin,
                note="Welcome aboard.",
            )

    def _discussion(self, initiative: Initiative, spec: DemoInitiative, officer: User) -> None:
        for title, body in spec.updates:
            discussion.post_update(initiative=initiative, by=officer, title=title, body=body)
        for code, body in spec.comments:
            author = self.person(code, Membership.Role.MEMBER)
            if author is not None:
                discussion.post_comment(initiative=initiative, by=author, body=body)
        # Spread the posts out in time, oldest first.
        now = timezone.now()
        for age, update in enumerate(Update.objects.filter(initiative=initiative).order_by("-pk")):
            Update.objects.filter(pk=update.pk).update(
                created_at=now - datetime.timedelta(days=7 * age + 2)
            )
        for age, comment in enumerate(
            Comment.objects.filter(initiative=initiative).order_by("-pk")
        ):
            Comment.objects.filter(pk=comment.pk).update(
                created_at=now - datetime.timedelta(days=age + 1, hours=3)
            )


def seed(stdout: TextIO) -> None:
    """Seed the demo initiatives (called by ``manage.py seed_demo``). Demo data
    never sends e-mail: the partnership services' notifications go nowhere."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        _Seeder(stdout).seed()
