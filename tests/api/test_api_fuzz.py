"""Schemathesis over every API operation, so the schema keeps telling the truth.

The schema is read from the app itself (``/api/schema/``), so a new endpoint
is fuzzed without anyone adding it here. Each operation is one test; each
example is sent as one of three callers (anonymous, an officer of Leedsham,
an officer of Otherton) with positive and negative data, against a small
world of both councils' initiatives, comments and profile rows. Path
parameters are swapped for real slugs and ids half of the time, so the
examples reach the views' real work instead of stopping at 404.

Every check schemathesis has runs: no server errors, responses that match the
schema (status codes, content types, headers, bodies), invalid data refused
and valid data accepted. The few operations whose valid requests can be
refused by the state of the world (rather than by their data) are listed in
``STATE_DEPENDENT`` with the reason.
"""

import os

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import positive_data_acceptance

from accounts.models import ApiToken
from core.tokens import hash_token
from councils.models import Membership, ServiceArea, Skill
from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

# NUL is refused with a clear 400 everywhere (tests/hardening), and the
# schema cannot say so for every string; keep generated strings NUL-free so
# the other checks see real work.
CONFIG = SchemathesisConfig.from_dict({"generation": {"allow-x00": False}})
SCHEMA = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application(), config=CONFIG)
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]

# CI runs a fixed, repeatable set (derandomized); ``FUZZ_EXAMPLES=500
# FUZZ_RANDOM=1 make test PYTEST_ARGS=tests/api/test_api_fuzz.py`` explores.
EXAMPLES_PER_OPERATION = int(os.environ.get("FUZZ_EXAMPLES", "30"))
RANDOM = os.environ.get("FUZZ_RANDOM", "") == "1"

# Valid requests that the world's state, not their data, may refuse: the
# lead asking for the stage the initiative is already at (400 "already at
# that stage"), accepting or declining a partnership that is not waiting
# (409), committing for an organisation the caller does not administer (403),
# inviting a council that is already a partner (400), leading an initiative
# that already has a lead, following twice, flagging one's own comment.
STATE_DEPENDENT = {
    "POST /api/v1/initiatives/{slug}/stage/",
    "POST /api/v1/initiatives/{slug}/interest/",
    "POST /api/v1/initiatives/{slug}/lead/",
    "POST /api/v1/initiatives/{slug}/follow/",
    "DELETE /api/v1/initiatives/{slug}/follow/",
    "POST /api/v1/initiatives/{slug}/partnerships/invite/",
    "POST /api/v1/initiatives/{slug}/partnerships/{id}/accept/",
    "POST /api/v1/initiatives/{slug}/partnerships/{id}/commit/",
    "POST /api/v1/initiatives/{slug}/partnerships/{id}/decline/",
    "POST /api/v1/initiatives/{slug}/partnerships/{id}/withdraw/",
    "POST /api/v1/initiatives/{slug}/comments/{id}/flag/",
    "PUT /api/v1/initiatives/{slug}/cost-sharing/",
    # One entry per skill: offering it again is refused with a field error.
    "POST /api/v1/organisations/{organisation_slug}/skills-offered/",
}


def _token(user) -> str:
    raw = ApiToken.generate_raw()
    ApiToken.objects.create(user=user, name="fuzz", prefix=raw[:8], token_hash=hash_token(raw))
    return raw


def _world() -> dict:
    """Two councils, each with an officer, public and private initiatives,
    updates, comments, partnerships and profile rows; the callers' headers
    and the real values a path parameter may take."""
    leeds = factories.OrganisationFactory(name="Leedsham")
    other = factories.OrganisationFactory(name="Otherton")
    leeds_officer = factories.member_of(leeds, Membership.Role.MEMBER)
    other_officer = factories.member_of(other, Membership.Role.MEMBER)
    initiatives = []
    for lead, author in ((leeds, leeds_officer), (other, other_officer)):
        for visibility in ("public", "partners", "draft"):
            initiative = factories.InitiativeFactory(lead_organisation=lead, visibility=visibility)
            factories.UpdateFactory(initiative=initiative, author=author)
            factories.CommentFactory(initiative=initiative, author=author)
            initiatives.append(initiative)
        factories.SystemInUseFactory(organisation=lead)
        factories.NeedFactory(organisation=lead)
        factories.SkillOfferFactory(organisation=lead)
    factories.PartnershipFactory(initiative=initiatives[0], organisation=other)
    from initiatives.models import Comment, Partnership

    ids = set(Partnership.objects.values_list("pk", flat=True))
    ids |= set(Comment.objects.values_list("pk", flat=True))
    for model in ("SystemInUse", "Need", "SkillOffer"):
        ids |= set(
            getattr(factories, f"{model}Factory")._meta.model.objects.values_list("pk", flat=True)
        )
    return {
        "callers": {
            "anonymous": {},
            "leedsham officer": {"Authorization": f"Token {_token(leeds_officer)}"},
            "otherton officer": {"Authorization": f"Token {_token(other_officer)}"},
        },
        "partnered": {initiatives[0].slug},
        "members": {
            "anonymous": [leeds_officer.email],
            "leedsham officer": [leeds_officer.email],
            "otherton officer": [other_officer.email],
        },
        "real": {
            "initiative": [i.slug for i in initiatives],
            "organisation": [leeds.slug, other.slug],
            "id": sorted(ids),
            "service_area": list(ServiceArea.objects.values_list("slug", flat=True)),
            "skill": list(Skill.objects.values_list("slug", flat=True)),
            "nation": sorted({leeds.nation, other.nation}),
            "region": sorted({leeds.region, other.region}),
            "authority_type": sorted({leeds.authority_type, other.authority_type}),
        },
    }


# Fields and filters that name rows of the platform's own data (taxonomy
# slugs, organisation slugs, facet values read from the directory). The schema
# can only say "a string": which strings exist is the database's business, so
# a schema-valid request may name one that does not (and is rightly refused
# with a field error). Valid examples use real ones.
REFERENCES = {
    "service_area": "service_area",
    "service_areas": "service_area",
    "skill": "skill",
    "skills_needed": "skill",
    "organisation": "organisation",
    "lead": "organisation",
    "partner": "organisation",
    "nation": "nation",
    "region": "region",
    "authority_type": "authority_type",
    # The key contact must belong to the lead council: the caller's own.
    "key_contact": "member",
}


def _use_real_references(case, real: dict, data) -> None:
    """Make a valid example valid in ways a schema cannot say: real rows for
    references, and an end date that is not before its start date."""
    if isinstance(case.body, dict):
        start, end = case.body.get("start_date"), case.body.get("end_date")
        if isinstance(start, str) and isinstance(end, str) and end < start:
            case.body["start_date"], case.body["end_date"] = end, start
    containers = [c for c in (case.body, case.query) if isinstance(c, dict)]
    for container in containers:
        for name, value in list(container.items()):
            pool = real.get(REFERENCES.get(name, ""))
            if pool is None:
                continue
            if isinstance(value, list):
                # As many as the schema drew (a list that must not be empty stays so).
                smallest = min(len(value), 1)
                container[name] = data.draw(
                    st.lists(st.sampled_from(pool), min_size=smallest, max_size=3, unique=True),
                    label=name,
                )
            else:
                container[name] = data.draw(st.sampled_from(pool), label=name)


def _real_parameter(path: str, name: str) -> str:
    if name == "id":
        return "id"
    if name == "organisation_slug" or path.startswith("/api/v1/organisations/"):
        return "organisation"
    return "initiative"


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Schemathesis calls the real WSGI application, which closes "old"
    database connections around each request; inside the test's transaction
    that would drop it. Django's own test client disconnects the same hook."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: f"{op.method.upper()} {op.path}")
def test_operation_keeps_to_its_schema(operation):
    world = _world()
    label = f"{operation.method.upper()} {operation.path}"
    excluded = [positive_data_acceptance] if label in STATE_DEPENDENT else []
    strategies = {
        mode: operation.as_strategy(generation_mode=mode)
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    }

    @given(
        mode=st.sampled_from(sorted(strategies)),
        caller=st.sampled_from(sorted(world["callers"])),
        data=st.data(),
    )
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        suppress_health_check=list(HealthCheck),
        derandomize=not RANDOM,
        database=None,
    )
    def check(mode, caller, data):
        case = data.draw(strategies[mode], label="case")
        # Rate limits would answer 429 for most examples of a busy operation.
        cache.clear()
        real = {**world["real"], "member": world["members"][caller]}
        if mode == GenerationMode.POSITIVE:
            _use_real_references(case, real, data)
        # Invalid examples keep their own path parameters: replacing one could
        # make the request valid after all.
        if (
            mode == GenerationMode.POSITIVE
            and case.path_parameters
            and data.draw(st.booleans(), label="real path parameters")
        ):
            for name in case.path_parameters:
                pool = world["real"][_real_parameter(operation.path, name)]
                case.path_parameters[name] = data.draw(st.sampled_from(pool), label=name)
        # An initiative others have joined cannot go back to draft (a rule of
        # the world's state): valid examples ask for another visibility.
        if (
            mode == GenerationMode.POSITIVE
            and isinstance(case.body, dict)
            and case.body.get("visibility") == "draft"
            and (case.path_parameters or {}).get("slug") in world["partnered"]
        ):
            case.body["visibility"] = "partners"
        case.call_and_validate(headers=world["callers"][caller], excluded_checks=excluded)

    check()
