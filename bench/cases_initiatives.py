"""Catalogue and initiative-page benchmarks (issue 3).

build() adds 3,000 initiatives led by the benchmark councils, each with a lead
and a few partners, service areas and tags, plus one busy initiative with 60
partners, 40 updates and 300 comments for the detail page. Rows go in with
bulk_create (the services are tested elsewhere; here we time reads), and the
PostgreSQL search vectors are filled with one UPDATE like the service's.
"""

from __future__ import annotations

import random

from bench.run import Case

INITIATIVES = 3000
WORDS = [
    "waste",
    "recycling",
    "council",
    "tax",
    "benefits",
    "planning",
    "housing",
    "social",
    "care",
    "children",
    "highways",
    "parking",
    "libraries",
    "chatbot",
    "booking",
    "portal",
    "data",
    "platform",
    "cyber",
    "procurement",
    "payments",
    "licensing",
    "garden",
    "bins",
    "missed",
    "collection",
    "digital",
]


def build(dataset) -> None:
    from councils.models import Organisation, ServiceArea
    from initiatives.models import Comment, Initiative, Partnership, Tag, Update
    from initiatives.services.catalogue import refresh_search_vectors

    rng = random.Random(7)
    councils = list(Organisation.objects.filter(status=Organisation.Status.ACTIVE)[:300])
    areas = list(ServiceArea.objects.all())
    tags = Tag.objects.bulk_create(
        [Tag(name=word, slug=Tag.slug_for(word)) for word in sorted(set(WORDS))]
    )
    initiatives = []
    for n in range(INITIATIVES):
        words = rng.sample(WORDS, 5)
        initiatives.append(
            Initiative(
                title=f"{' '.join(words[:3]).capitalize()} {n}",
                slug=f"bench-{n}",
                summary=f"Shared {' '.join(words)} service for councils.",
                description=" ".join(rng.choices(WORDS, k=60)),
                lead_organisation=rng.choice(councils),
                stage=rng.choice(Initiative.Stage.values),
                collaboration_level=rng.choice(Initiative.CollaborationLevel.values),
                visibility=rng.choice(
                    [Initiative.Visibility.PUBLIC] * 3
                    + [Initiative.Visibility.PLATFORM, Initiative.Visibility.PARTNERS]
                ),
                funding_band=rng.choice(Initiative.FundingBand.values),
                estimated_cost_pence=rng.randrange(1_000_000, 500_000_000),
                looking_for_partners=rng.random() < 0.5,
            )
        )
    initiatives = Initiative.objects.bulk_create(initiatives, batch_size=500)
    partnerships, area_links, tag_links = [], [], []
    AreaLink = Initiative.service_areas.through
    TagLink = Initiative.tags.through
    for initiative in initiatives:
        partnerships.append(
            Partnership(
                initiative=initiative,
                organisation=initiative.lead_organisation,
                role=Partnership.Role.LEAD,
                status=Partnership.Status.ACTIVE,
            )
        )
        others = rng.sample([c for c in councils if c != initiative.lead_organisation], 3)
        for organisation in others:
            partnerships.append(
                Partnership(
                    initiative=initiative,
                    organisation=organisation,
                    status=rng.choice(Partnership.Status.values[1:5]),
                )
            )
        for area in rng.sample(areas, 2):
            area_links.append(AreaLink(initiative_id=initiative.pk, servicearea_id=area.pk))
        for tag in rng.sample(tags, 2):
            tag_links.append(TagLink(initiative_id=initiative.pk, tag_id=tag.pk))
    Partnership.objects.bulk_create(partnerships, batch_size=2000)
    AreaLink.objects.bulk_create(area_links, batch_size=2000)
    TagLink.objects.bulk_create(tag_links, batch_size=2000)

    busy = Initiative.objects.create(
        title="Busy shared waste platform",
        slug="bench-busy",
        summary="The initiative with the most partners, updates and comments.",
        lead_organisation=councils[0],
        visibility=Initiative.Visibility.PUBLIC,
        estimated_cost_pence=250_000_000,
        cost_split_method=Initiative.CostSplit.POPULATION,
    )
    Partnership.objects.create(
        initiative=busy,
        organisation=councils[0],
        role=Partnership.Role.LEAD,
        status=Partnership.Status.ACTIVE,
    )
    Partnership.objects.bulk_create(
        [
            Partnership(initiative=busy, organisation=org, status=Partnership.Status.ACTIVE)
            for org in councils[1:61]
        ]
    )
    busy.tags.set(tags[:10])
    busy.service_areas.set(areas[:3])
    author = dataset.officer
    Update.objects.bulk_create(
        [
            Update(
                initiative=busy,
                organisation=councils[0],
                author=author,
                title=f"Sprint {n}",
                body="Progress **report**.",
            )
            for n in range(40)
        ]
    )
    Comment.objects.bulk_create(
        [
            Comment(initiative=busy, author=author, organisation=councils[0], body=f"Comment {n}")
            for n in range(300)
        ]
    )
    # The service's own UPDATE (title, summary, lead names, description, tags).
    refresh_search_vectors(Initiative.objects.all())
    dataset.extra["busy_slug"] = busy.slug
    # The busy initiative's lead: it also leads ~10 others and partners in many.
    dataset.extra["busy_lead"] = councils[0].slug


CASES = [
    Case("initiatives: catalogue, first page", "/initiatives/"),
    Case("initiatives: catalogue, signed in", "/initiatives/", as_user="officer"),
    Case("initiatives: search", "/initiatives/?q=waste+recycling"),
    Case("initiatives: search, signed in", "/initiatives/?q=chatbot", as_user="officer"),
    Case(
        "initiatives: facets stage + partners",
        "/initiatives/?stage=alpha&stage=beta&looking_for_partners=yes",
    ),
    Case("initiatives: sort most partners", "/initiatives/?sort=partners"),
    Case("initiatives: page 20", "/initiatives/?page=20"),
    Case(
        "initiatives: htmx fragment",
        "/initiatives/?q=bins",
        headers={"HX-Request": "true"},
    ),
    Case(
        "initiatives: busy detail page",
        lambda d: f"/initiatives/{d.extra['busy_slug']}/",
    ),
    Case(
        "initiatives: busy detail, signed in",
        lambda d: f"/initiatives/{d.extra['busy_slug']}/",
        as_user="officer",
    ),
    Case("initiatives: API list", "/api/v1/initiatives/"),
    Case(
        "initiatives: lead council filter, signed in",
        lambda d: f"/initiatives/?lead={d.extra['busy_lead']}",
        as_user="officer",
    ),
    Case(
        "initiatives: partner council filter",
        lambda d: f"/initiatives/?partner={d.extra['busy_lead']}",
    ),
    Case(
        "initiatives: API partner filter",
        lambda d: f"/api/v1/initiatives/?partner={d.extra['busy_lead']}",
    ),
    Case(
        "initiatives: a council page with its initiatives",
        lambda d: f"/councils/{d.extra['busy_lead']}/",
        as_user="officer",
    ),
]
