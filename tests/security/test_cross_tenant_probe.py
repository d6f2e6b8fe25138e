"""Cross-tenant probe (DESIGN.md, Tenancy): every URL pattern, pages and API,
requested as a user of an unrelated council and as an anonymous visitor.

The "victim world" is the ``council`` persona's organisation with private data
carrying unique canary strings (a pending member's e-mail, an invitation's
e-mail, a draft and a partners-only initiative with updates and comments...).
Each route is built by filling its parameters from that world, by parameter
name, then requested with GET and POST (and PUT, PATCH, DELETE under /api/).
A route passes when every answer is a redirect, 400, 401, 403, 404 or 405, or
a page that contains no canary, and when the victim's rows are unchanged
after every request.

New routes are covered automatically. A route whose parameter name the probe
does not know FAILS the test: add candidates for it to ``candidates_for``
(that is the moment to think about who may reach it).
"""

import itertools
import json
import secrets
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection, models
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils.regex_helper import normalize

from accounts.models import ApiToken
from core.tokens import hash_token
from councils.models import AccessRequest, Membership, Organisation
from tests import factories

# Route prefixes deliberately not probed, each with its reason.
SKIPPED_PREFIXES = {
    "django-admin/": "Django admin: staff only (is_staff), behind its own login and the MFA "
    "middleware; the outsider is not staff. Covered by tests of the admin.",
    "static/": "static files are public by definition.",
    "media/": "no user uploads are served by Django.",
}
# Views from these modules act only on the signed-in user's own account
# (allauth: login, sign-up, e-mail, password, MFA) and are tested upstream.
SKIPPED_VIEW_MODULES = {
    "allauth.": "django-allauth's own account/e-mail/password/MFA flows act only on the "
    "requesting user's own data.",
    "django.views.static": "static file serving.",
    "django.contrib.staticfiles": "static file serving.",
}

# Statuses that leak nothing by themselves (bodies are still canary-checked).
REFUSALS = {401, 403, 404, 405, 410}
ALLOWED_GET = REFUSALS | {200, 301, 302, 303, 304, 307, 308}
ALLOWED_POST = ALLOWED_GET | {201, 204, 400, 429}  # 201: the outsider made their own
API_METHODS = ("get", "post", "put", "patch", "delete")
PROBED_APPS = ("accounts", "councils", "initiatives", "swot", "notifications", "account", "mfa")

# A plausible form/JSON payload, so a POST that skips its permission check
# would actually write something rather than fail validation.
PROBE_PAYLOAD = {
    "name": "Probe",
    "title": "Probe title",
    "summary": "Probe summary",
    "description": "Probe",
    "body": "Probe body",
    "detail": "Probe",
    "reason": "Probe",
    "note": "Probe",
    "email": "probe@otherton.gov.uk",
    "role": "admin",
    "status": "active",
    "visibility": "public",
    "stage": "live",
    "priority": "high",
    "supplier": "Probe Ltd",
    "product": "Probe",
    "satisfaction": "5",
    "domain": "probe-domain.example",
    "political_sponsor": "Probe",
    "officer_sponsor": "Probe",
    "confirm": "yes",
}


def _canary(label: str) -> str:
    return f"canary{label}{secrets.token_hex(4)}"


@dataclass
class VictimWorld:
    organisation: Organisation
    canaries_for_all: list[str] = field(default_factory=list)
    canaries_for_anonymous: list[str] = field(default_factory=list)
    slugs: list[str] = field(default_factory=list)
    ids: set[int] = field(default_factory=set)
    tokens: list[str] = field(default_factory=list)
    users: list = field(default_factory=list)
    participant_ids: list[int] = field(default_factory=list)
    item_ids: list[int] = field(default_factory=list)


def _build_initiatives(world: VictimWorld, officer, third_party: Organisation) -> None:
    """Private initiatives of the victim (only when the initiatives app has them)."""
    from initiatives.models import Comment, Follow, Initiative, Partnership, Update

    for visibility in (Initiative.Visibility.DRAFT, Initiative.Visibility.PARTNERS):
        title = _canary(f"title{visibility}")
        initiative = Initiative.objects.create(
            title=title,
            slug=f"probe-{visibility}-{secrets.token_hex(3)}",
            summary=_canary("summary"),
            description=_canary("description"),
            lead_organisation=world.organisation,
            visibility=visibility,
            created_by=officer,
            key_contact=officer,
        )
        lead = Partnership.objects.create(
            initiative=initiative,
            organisation=world.organisation,
            role=Partnership.Role.LEAD,
            status=Partnership.Status.ACTIVE,
            political_sponsor=_canary("sponsor"),
        )
        partner = Partnership.objects.create(
            initiative=initiative,
            organisation=third_party,
            role=Partnership.Role.PARTNER,
            status=Partnership.Status.INTERESTED,
        )
        update = Update.objects.create(
            initiative=initiative,
            organisation=world.organisation,
            author=officer,
            title=_canary("updatetitle"),
            body=_canary("updatebody"),
        )
        comment = Comment.objects.create(
            initiative=initiative,
            organisation=world.organisation,
            author=officer,
            body=_canary("comment"),
        )
        follow = Follow.objects.create(user=officer, initiative=initiative)
        # The activity feeds and digests read, as the services record it
        # (a summary naming the private initiative).
        from notifications.services import record_activity

        for verb in ("initiative.created", "update.posted", "comment.posted"):
            record_activity(
                verb=verb,
                actor=officer,
                organisation=world.organisation,
                target=initiative,
                summary=f"{world.organisation.name}: {initiative.title} {_canary(verb)}",
            )
        world.canaries_for_all += [
            initiative.title,
            initiative.summary,
            initiative.description,
            lead.political_sponsor,
            update.title,
            update.body,
            comment.body,
        ]
        world.slugs.append(initiative.slug)
        world.ids |= {initiative.pk, lead.pk, partner.pk, update.pk, comment.pk, follow.pk}


def _build_workshops(world: VictimWorld, officer, facilitator) -> None:
    """A private workshop of the victim, with a guest, an e-mailed invitation
    and its guest link on (only when the swot app has them)."""
    from swot.models import Participant
    from swot.services import workshops

    workshop = workshops.create_workshop(
        by=facilitator, title=_canary("workshoptitle"), purpose=_canary("workshoppurpose")
    )
    host = Participant.objects.get(workshop=workshop, user=facilitator)
    workshops.invite_users(workshop=workshop, by=host, users=[officer])
    invited, invite_token = workshops.invite_by_email(
        workshop=workshop, by=host, email=f"{_canary('workshopinvitee')}@example.org"
    )
    code = workshops.set_guest_link(workshop=workshop, by=host, enabled=True)
    guest, guest_token = workshops.join_as_guest(
        workshop_id=workshop.pk, code=code, name=_canary("guestname")
    )
    world.canaries_for_all += [
        workshop.title,
        workshop.purpose,
        invited.email,
        invite_token,
        code,
        guest.guest_name,
        guest_token,
    ]
    from swot.services import board

    for phase in ("brainstorm",):
        board.perform(
            workshop_id=workshop.pk, participant=host, kind="phase.set", args={"phase": phase}
        )
    item = board.perform(
        workshop_id=workshop.pk,
        participant=host,
        kind="item.add",
        args={"quadrant": "strengths", "text": _canary("workshopitem")},
    ).operation.data["item"]
    world.canaries_for_all.append(item["text"])
    participants = list(workshop.participants.values_list("pk", flat=True))
    world.participant_ids = participants
    world.item_ids = [item["id"]]
    world.ids |= {workshop.pk, item["id"], *participants}


def build_victim_world(council, officer, council_admin, facilitator) -> VictimWorld:
    from councils.services.people import create_invitation

    world = VictimWorld(organisation=council, slugs=[council.slug])
    domain = council.email_domains.first().domain

    pending_email = f"{_canary('pending')}@{domain}"
    pending_user = factories.UserFactory(email=pending_email, full_name=_canary("pendingname"))
    pending = factories.MembershipFactory(
        user=pending_user, organisation=council, status=Membership.Status.PENDING
    )
    named_member = factories.member_of(council, full_name=_canary("membername"))
    invitation, raw_token = create_invitation(
        organisation=council,
        email=f"{_canary('invitee')}@{domain}",
        role="member",
        by=council_admin,
    )
    raw_api_token = ApiToken.generate_raw()
    api_token = ApiToken.objects.create(
        user=officer,
        name=_canary("tokenname"),
        prefix=raw_api_token[: ApiToken.PREFIX_LENGTH],
        token_hash=hash_token(raw_api_token),
    )
    requester = factories.UserFactory(email=f"{_canary('requester')}@supplier.example")
    access_request = AccessRequest.objects.create(
        user=requester, organisation_name=_canary("requestorg"), reason=_canary("reason")
    )
    system = factories.SystemInUseFactory(organisation=council)
    need = factories.NeedFactory(organisation=council)
    offer = factories.SkillOfferFactory(organisation=council)

    world.canaries_for_all += [
        pending_email,
        invitation.email,
        raw_token,
        invitation.token_hash,
        raw_api_token,
        api_token.token_hash,
        api_token.name,
        requester.email,
        access_request.organisation_name,
        access_request.reason,
    ]
    # Who works where is for signed-in members only; the pending person's name
    # is for the council's admins only.
    world.canaries_for_all.append(pending_user.full_name)
    world.canaries_for_anonymous.append(named_member.full_name)
    world.tokens = [invitation.token_hash, "not-a-real-token"]
    world.users = [officer, council_admin, facilitator, pending_user, named_member]
    world.ids |= {
        council.pk,
        pending.pk,
        invitation.pk,
        api_token.pk,
        access_request.pk,
        system.pk,
        need.pk,
        offer.pk,
        *council.email_domains.values_list("pk", flat=True),
        *Membership.objects.filter(organisation=council).values_list("pk", flat=True),
        *(user.pk for user in world.users),
    }
    third_party = factories.OrganisationFactory(name="Thirdford")
    if apps.is_installed("initiatives"):
        _build_initiatives(world, officer, third_party)
    if apps.is_installed("swot"):
        _build_workshops(world, officer, facilitator)
    return world


def facet_names() -> list[str]:
    """The profile parts the councils app routes by key (its one registry)."""
    from councils.profile_parts import PROFILE_PARTS

    return list(PROFILE_PARTS)


def candidates_for(name: str, world: VictimWorld) -> list[str] | None:
    """Values to try for a URL parameter called ``name``; None if unknown."""
    ids = [str(i) for i in sorted(world.ids)]
    known = {
        "slug": world.slugs,
        "pk": ids,
        "id": ids,
        "token": world.tokens,
        "key": world.tokens,
        "facet": facet_names(),
        "decision": ["approve", "reject"],
        "format": ["json"],
        "organisation_slug": [world.organisation.slug],
        "org_slug": [world.organisation.slug],
        "initiative_slug": world.slugs[1:] or world.slugs,
        "initiative_pk": ids,
        "partnership_pk": ids,
        "membership_pk": ids,
        "comment_pk": ids,
        "update_pk": ids,
        # A workshop's participants: only the victim's (all ids times all
        # ids would be thousands of paths for no more coverage).
        "participant_pk": [str(i) for i in world.participant_ids] or ids,
        "item_pk": [str(i) for i in world.item_ids] or ids,
    }
    return known.get(name)


@dataclass
class Route:
    regex: str
    callback: object
    name: str

    @property
    def module(self) -> str:
        view = getattr(self.callback, "view_class", None) or getattr(self.callback, "cls", None)
        return (view or self.callback).__module__


def walk_routes(resolver: URLResolver | None = None, prefix: str = "", names: str = ""):
    """Every URL pattern below ``resolver`` as a full regex, includes and DRF
    routers included."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        regex = pattern.pattern.regex.pattern.removeprefix("^")
        if isinstance(pattern, URLResolver):
            namespace = f"{names}{pattern.namespace}:" if pattern.namespace else names
            yield from walk_routes(pattern, prefix + regex, namespace)
        elif isinstance(pattern, URLPattern):
            yield Route(prefix + regex, pattern.callback, names + (pattern.name or "?"))


def skip_reason(route: Route, path_template: str) -> str | None:
    for prefix, reason in SKIPPED_PREFIXES.items():
        if path_template.startswith(prefix):
            return reason
    for module, reason in SKIPPED_VIEW_MODULES.items():
        if route.module.startswith(module):
            return reason
    return None


def build_paths(route: Route, world: VictimWorld, unknown: set[str]) -> list[str]:
    paths = []
    for template, params in normalize(route.regex):
        value_lists = []
        for name in params:
            values = candidates_for(name, world)
            if values is None:
                unknown.add(f"{route.name} ({route.regex}): parameter {name!r}")
                return []
            value_lists.append(values)
        for combination in itertools.product(*value_lists):
            path = "/" + template % dict(zip(params, combination, strict=True))
            try:
                resolve(path)
            except Resolver404:
                continue  # the value does not fit the converter (e.g. a slug for <int:pk>)
            paths.append(path)
    return paths


def victim_querysets(world: VictimWorld) -> list[models.QuerySet]:
    """Querysets of every row that belongs to the victim: rows reached by
    following foreign keys from the victim organisation and its people (three
    hops), plus any new row that points at one of them."""
    user_model = apps.get_model("accounts", "User")
    owned: dict[type[models.Model], set] = {
        Organisation: {world.organisation.pk},
        user_model: {u.pk for u in world.users},
    }
    candidates = [m for m in apps.get_models() if m._meta.app_label in PROBED_APPS]

    def points_at_owned(model) -> models.Q:
        condition = models.Q()
        for fk in model._meta.concrete_fields:
            if fk.is_relation and fk.related_model in owned and fk.related_model is not model:
                condition |= models.Q(**{f"{fk.attname}__in": sorted(owned[fk.related_model])})
        return condition

    for _hop in range(3):
        for model in candidates:
            condition = points_at_owned(model)
            if condition:
                found = model._default_manager.filter(condition).values_list("pk", flat=True)
                owned[model] = owned.get(model, set()) | set(found)
    querysets = []
    for model, pks in owned.items():
        condition = points_at_owned(model) | models.Q(pk__in=sorted(pks))
        querysets.append(model._default_manager.filter(condition))
    return querysets


def snapshot(querysets: list[models.QuerySet]) -> dict[str, list]:
    """Every victim row's field values, ordered: any write shows as a difference."""
    return {
        qs.model._meta.label: sorted(
            (json.dumps(row, default=str, sort_keys=True) for row in qs.values()),
        )
        for qs in querysets
    }


WRITE_STATEMENTS = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def wrote_to_database(captured: CaptureQueriesContext) -> bool:
    return any(
        query["sql"].lstrip().upper().startswith(WRITE_STATEMENTS)
        for query in captured.captured_queries
    )


def body_of(response) -> str:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    location = response.get("Location", "")
    return content.decode("utf-8", "replace") + location


@pytest.fixture
def victim_world(council, officer, council_admin, facilitator, outsider):
    # The outsider is a council admin with MFA, so the MFA middleware lets
    # their requests reach the views it guards and the views must refuse.
    factories.enrol_totp(outsider)
    return build_victim_world(council, officer, council_admin, facilitator)


def probe_plan(world: VictimWorld):
    unknown: set[str] = set()
    skipped: dict[str, str] = {}
    plan: list[tuple[str, str]] = []
    for route in walk_routes():
        template = normalize(route.regex)[0][0]
        reason = skip_reason(route, template)
        if reason:
            skipped[route.name] = reason
            continue
        plan += [(route.name, path) for path in dict.fromkeys(build_paths(route, world, unknown))]
    return plan, skipped, unknown


def test_route_walker_sees_includes_and_api_routes():
    names = {route.name for route in walk_routes()}
    assert "home" in names
    assert "councils:people" in names
    assert "api-schema" in names
    # allauth's routes are walked (then skipped by module, with a reason).
    assert "account_login" in names


@pytest.mark.django_db
def test_every_route_parameter_is_known_to_the_probe(victim_world):
    _plan, _skipped, unknown = probe_plan(victim_world)
    assert not unknown, (
        "The cross-tenant probe cannot fill these URL parameters. Add candidates for them in "
        "candidates_for() (tests/security/test_cross_tenant_probe.py):\n"
        + "\n".join(sorted(unknown))
    )


def run_probe(client: Client, world: VictimWorld, actor: str, names_prefix: str = "") -> list[str]:
    """Request every planned route with GET and POST; return what went wrong."""
    canaries = list(world.canaries_for_all)
    if actor == "anonymous":
        canaries += world.canaries_for_anonymous
    plan, _skipped, _unknown = probe_plan(world)
    plan = [(name, path) for name, path in plan if name.startswith(names_prefix)]
    querysets = victim_querysets(world)
    before = snapshot(querysets)
    problems: list[str] = []
    for name, path in plan:
        is_api = path.startswith("/api/")
        # The API also takes PUT, PATCH and DELETE on detail routes: probe them too.
        for method in API_METHODS if is_api else ("get", "post"):
            connection.queries_log.clear()  # keep below Django's 9,000-query log limit
            # The probe is one visitor making thousands of requests: the API's
            # anonymous rate limit would answer 429 before the view is reached.
            cache.clear()
            with CaptureQueriesContext(connection) as captured:
                if method == "get":
                    response = client.get(path, follow=True)
                elif is_api:
                    response = getattr(client, method)(
                        path, PROBE_PAYLOAD, content_type="application/json"
                    )
                else:
                    response = client.post(path, PROBE_PAYLOAD)
            allowed = ALLOWED_GET if method == "get" else ALLOWED_POST
            where = f"{method.upper()} {path} [{name}] as {actor}"
            if response.status_code not in allowed:
                problems.append(f"{where}: answered {response.status_code}")
            body = body_of(response)
            leaked = [c for c in canaries if c in body]
            if leaked:
                problems.append(f"{where}: leaked {leaked}")
            # Only a request that wrote to the database can have changed the
            # victim's rows (GETs too: a GET must not write others' data).
            if wrote_to_database(captured):
                after = snapshot(querysets)
                if after != before:
                    changed = [label for label in before if before[label] != after.get(label)]
                    problems.append(f"{where}: changed the victim's {changed}")
                    before = after
    return problems


def _token_over_another_session(other_council) -> Client:
    """Finding 1 of the trust issue: an admin who has not enrolled in
    two-factor sends their API token alongside another person's signed-in
    session (here a plain officer of the same outside council). The token's
    owner is who the API acts as, so the two-factor rule refuses; pages act
    as the session's officer, who is refused like any outsider."""
    unenrolled_admin = factories.member_of(
        other_council, Membership.Role.ADMIN, email="una.unenrolled@otherton.gov.uk", totp=False
    )
    raw = ApiToken.generate_raw()
    ApiToken.objects.create(
        user=unenrolled_admin, name="probe", prefix=raw[:8], token_hash=hash_token(raw)
    )
    session_owner = factories.member_of(
        other_council, Membership.Role.MEMBER, email="sid.session@otherton.gov.uk"
    )
    client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Token {raw}")
    client.force_login(session_owner)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ["outsider", "anonymous", "token over another session"])
def test_no_route_leaks_or_changes_another_councils_data(request, victim_world, actor):
    client = Client(raise_request_exception=False)  # a crash is a 500 finding, not an abort
    if actor == "outsider":
        client.force_login(request.getfixturevalue("outsider"))
    elif actor == "token over another session":
        client = _token_over_another_session(request.getfixturevalue("other_council"))
        # The API acts as the token's unenrolled admin, never as the session.
        refused = client.get("/api/v1/me/")
        assert refused.status_code == 403, refused.content
    plan, _skipped, _unknown = probe_plan(victim_world)
    assert len(plan) > 20, "the probe found suspiciously few routes"
    problems = run_probe(client, victim_world, actor)
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


@pytest.mark.django_db
def test_probe_catches_a_leaky_route_and_a_careless_write(settings, victim_world, outsider):
    """The probe is only worth having if it fails: routes that show another
    council's pending members, or let anyone reject them, must be reported."""
    settings.ROOT_URLCONF = "tests.security.leaky_urls"
    client = Client(raise_request_exception=False)
    client.force_login(outsider)
    problems = run_probe(client, victim_world, "outsider", names_prefix="leaky")
    assert any("[leaky_people]" in p and "leaked" in p for p in problems), problems
    assert any("[leaky_reject]" in p and "changed the victim's" in p for p in problems), problems
    assert any("[leaky_crash]" in p and "answered 500" in p for p in problems), problems


# The live board's websocket route ---------------------------------------------------------


# Transactional: the consumer's database calls close the thread's connection
# when they finish, which a test wrapped in one transaction cannot survive.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("actor", ["outsider", "anonymous", "guest of another workshop"])
def test_the_board_websocket_refuses_outsiders_and_every_frame_they_send(
    request, victim_world, facilitator, actor
):
    """The third door: connecting to the victim's board as someone not in it
    is refused on connect, and nothing they send afterwards changes or
    reveals anything (each frame type, each operation kind)."""
    from asgiref.sync import async_to_sync
    from channels.layers import channel_layers
    from channels.testing import WebsocketCommunicator
    from django.conf import settings as django_settings
    from django.contrib.sessions.backends.db import SessionStore

    from collab_platform.asgi import application
    from swot import policies
    from swot.models import Workshop
    from swot.selectors.workshops import GUEST_SESSION_KEY
    from swot.services import workshops

    channel_layers.backends.clear()  # this test's event loop gets its own layer
    victim = Workshop.objects.get(title__startswith="canary")
    cookie = ""
    if actor == "outsider":
        client = Client()
        client.force_login(request.getfixturevalue("outsider"))
        cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    elif actor == "guest of another workshop":
        own = workshops.create_workshop(by=facilitator, title="Another room")
        host = own.participants.get(user=facilitator)
        code = workshops.set_guest_link(workshop=own, by=host, enabled=True)
        _, token = workshops.join_as_guest(workshop_id=own.pk, code=code, name="Wanderer")
        session = SessionStore()
        session[GUEST_SESSION_KEY] = {str(own.pk): token, str(victim.pk): token}
        session.create()
        cookie = session.session_key
    frames = [
        {"type": "ping"},
        {"type": "resume", "since": 0},
        *(
            {"type": "op", "id": f"probe-{kind}", "kind": kind, "args": {"item": 1}}
            for kind in sorted(policies.OPERATIONS)
        ),
    ]
    querysets = victim_querysets(victim_world)
    before = snapshot(querysets)

    async def scenario():
        headers = [(b"origin", b"http://localhost"), (b"host", b"localhost")]
        if cookie:
            headers.append((b"cookie", f"{django_settings.SESSION_COOKIE_NAME}={cookie}".encode()))
        comm = WebsocketCommunicator(
            application, f"/ws/workshops/{victim.pk}/board/?since=0", headers=headers
        )
        connected, _ = await comm.connect(timeout=5)
        received = []
        if connected:
            for frame in frames:
                await comm.send_json_to(frame)
            while True:
                try:
                    output = await comm.receive_output(timeout=1)
                except Exception:  # noqa: BLE001 - nothing more arrives
                    break
                received.append(output)
                if output["type"] == "websocket.close":
                    break
        await comm.disconnect()
        return received

    received = async_to_sync(scenario)()
    closes = [o for o in received if o["type"] == "websocket.close"]
    assert closes and closes[0].get("code") in (4401, 4403, 4404), received
    sent = [o for o in received if o["type"] == "websocket.send"]
    assert not sent, f"the board sent {actor} something: {sent}"
    text = json.dumps(received)
    assert not [c for c in victim_world.canaries_for_all if c in text]
    assert snapshot(querysets) == before


def test_an_outsiders_digest_carries_no_canary(
    victim_world, outsider, django_capture_on_commit_callbacks
):
    """Digests apply visibility when they are built: the outsider follows
    every private initiative of the victim (as if they had followed before it
    became private) and is due a digest covering the week, yet receives
    nothing of the victim's."""
    from datetime import timedelta

    from django.core import mail
    from django.utils import timezone

    from initiatives.models import Follow, Initiative
    from notifications.selectors.digest import build_digest
    from notifications.services import digests
    from notifications.services.preferences import settings_for

    for initiative in Initiative.objects.filter(lead_organisation=victim_world.organisation):
        Follow.objects.get_or_create(user=outsider, initiative=initiative)
    now = timezone.now()
    row = settings_for(outsider)
    row.digest_covered_until = now - timedelta(days=7)
    row.next_digest_at = now + timedelta(minutes=1)
    row.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        digests.dispatch_due(now=now + timedelta(minutes=2))

    digest = build_digest(
        outsider, start=now - timedelta(days=7), end=now + timedelta(days=1), frequency="weekly"
    )
    subject, text, html = digests.render_digest(digest)
    sent = [
        message.subject + message.body + "".join(part for part, _ in message.alternatives)
        for message in mail.outbox
        if message.to == [outsider.email]
    ]
    for content in [subject + text + html, *sent]:
        leaked = [canary for canary in victim_world.canaries_for_all if canary in content]
        assert not leaked, f"the outsider's digest carries {leaked}"
