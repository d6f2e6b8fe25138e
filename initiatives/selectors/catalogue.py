"""Reads for the catalogue: full-text search, facets and sorting (the page
and the API share them), the duplicate check and "similar initiatives", and
the open dataset. Every read starts from ``visible_to`` (or, for the API, the
scoped queryset it was given), so nothing here decides visibility again."""

from __future__ import annotations

import datetime
import operator
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    TextChoices,
    Value,
    When,
)
from django.utils import timezone

from councils.models import Organisation, ServiceArea
from councils.selectors.directory import visible_organisations

from ..models import Initiative, Tag
from .initiative import led_by, taking_part, taking_part_in, visible_to

# ---------------------------------------------------------------------------
# Catalogue: search, facets, sorting (the pages and the API share these).
# ---------------------------------------------------------------------------

UPDATED_SINCE_DAYS = (7, 30, 90)


class Sort(TextChoices):
    RELEVANCE = "relevance", "Relevance"
    NEWEST = "newest", "Newest"
    UPDATED = "updated", "Recently updated"
    PARTNERS = "partners", "Most partners"


@dataclass(frozen=True)
class CatalogueFilters:
    """The catalogue's facet selections. Several values in one facet mean "any
    of these"; different facets combine with "and"."""

    service_area: tuple[str, ...] = ()
    stage: tuple[str, ...] = ()
    collaboration_level: tuple[str, ...] = ()
    authority_type: tuple[str, ...] = ()
    region: tuple[str, ...] = ()
    looking_for_partners: bool | None = None
    funding_band: tuple[str, ...] = ()
    updated_within_days: int | None = None
    # Organisation slugs: initiatives it leads (``lead``) or takes part in as
    # a committed or accepted partner (``partner``; ``selectors.initiative.
    # taking_part_in`` says which partnerships count).
    lead: str = ""
    partner: str = ""


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class Facet:
    name: str
    label: str
    values: list[FacetValue] = field(default_factory=list)
    # "checkboxes" (any of), "radios" (one of, with "any") or "select" (one
    # of many, with "any": the council facets, a few hundred organisations).
    kind: str = "checkboxes"
    # What "any" is called where the facet offers it (radios and selects).
    any_label: str = "Any"

    @property
    def none_selected(self) -> bool:
        return not any(value.selected for value in self.values)

    @property
    def has_options(self) -> bool:
        """Whether any value would narrow the results or is chosen already: on
        an empty result a facet of nothing but "(0)" is a heading with no
        real options, and the page leaves it out."""
        return any(value.count or value.selected for value in self.values)


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[^\w']+", text.lower()) if w]


# The web-search syntax the search box's hint describes, read the way
# PostgreSQL's websearch_to_tsquery reads it: words must all match, "a
# quoted phrase" matches as written, OR between two words matches either,
# and -word (or -"a phrase") leaves out what matches it.
_SEARCH_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
MAX_SEARCH_TERMS = 10


def _clean_term(text: str) -> str:
    return " ".join(re.findall(r"[\w']+", text.lower())).strip("'")


def parse_web_search(query: str) -> tuple[list[list[str]], list[str]]:
    """``query`` as clauses that must all match (each a list of terms, any
    one of which will do) and terms that must not match. At most
    ``MAX_SEARCH_TERMS`` terms in all, so a long query stays cheap."""
    clauses: list[list[str]] = []
    excluded: list[str] = []
    either = False
    count = 0
    for match in _SEARCH_TOKEN.finditer(query):
        negative, phrase, word = match.group(1), match.group(2), match.group(3)
        if word is not None:
            if word.lower() == "or":
                either = bool(clauses)
                continue
            negative = "-" if word.startswith("-") else ""
            phrase = word.lstrip("-")
        term = _clean_term(phrase or "")
        if not term or count >= MAX_SEARCH_TERMS:
            continue
        count += 1
        if negative:
            excluded.append(term)
        elif either:
            clauses[-1].append(term)
        else:
            clauses.append([term])
        either = False
    return clauses, excluded


def _term_match(term: str) -> Q:
    """Where a term may appear: the text, the lead's names, the tags."""
    tagged = Exists(Tag.objects.filter(initiatives=OuterRef("pk"), name__icontains=term))
    return (
        Q(title__icontains=term)
        | Q(summary__icontains=term)
        | Q(description__icontains=term)
        | Q(lead_organisation__name__icontains=term)
        | Q(lead_organisation__official_name__icontains=term)
        | tagged
    )


def _apply_search(qs: QuerySet[Initiative], query: str) -> QuerySet[Initiative]:
    """Full-text search. PostgreSQL: the stored weighted vector (title A,
    summary and the lead organisation's names B, description and tags C;
    ``services.catalogue.refresh_search_vectors``) against a web-search query
    ("quoted phrases", or, -exclusions), ranked. SQLite (``make run``): the
    same syntax read by ``parse_web_search``, each term matched anywhere (the
    lead's short or official name and the tags included), and a title match
    outranks a summary match outranks the rest."""
    query = query[:MAX_QUERY_LENGTH].strip()
    if not query:
        return qs
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank

        search = SearchQuery(query, search_type="websearch", config=Initiative.SEARCH_CONFIG)
        return qs.filter(search_vector=search).annotate(rank=SearchRank(F("search_vector"), search))
    return apply_portable_search(qs, query)


def apply_portable_search(qs: QuerySet[Initiative], query: str) -> QuerySet[Initiative]:
    """The search on databases without full-text search (SQLite, for
    ``make run``): the same web-search syntax, matched term by term. Works
    on any database, so tests check it on PostgreSQL too."""
    clauses, excluded = parse_web_search(query[:MAX_QUERY_LENGTH])
    if not clauses and not excluded:
        return qs
    rank = Value(0)
    for clause in clauses:
        qs = qs.filter(reduce(operator.or_, (_term_match(term) for term in clause)))
        for term in clause:
            rank = rank + Case(
                When(title__icontains=term, then=Value(4)),
                When(summary__icontains=term, then=Value(2)),
                default=Value(1),
            )
    for term in excluded:
        qs = qs.exclude(_term_match(term))
    return qs.annotate(rank=ExpressionWrapper(rank, output_field=FloatField()))


def _service_area_match(slugs: Iterable[str]) -> Exists:
    return Exists(
        Initiative.service_areas.through.objects.filter(
            initiative_id=OuterRef("pk"), servicearea__slug__in=list(slugs)
        )
    )


def _apply_filters(
    qs: QuerySet[Initiative], filters: CatalogueFilters, *, skip: str = ""
) -> QuerySet[Initiative]:
    """Apply every facet except ``skip`` (a facet's own counts ignore its own
    selection, so choosing "Alpha" still shows how many are at "Beta")."""
    if filters.service_area and skip != "service_area":
        # EXISTS, not a join: an initiative in two chosen areas appears once.
        qs = qs.filter(_service_area_match(filters.service_area))
    if filters.stage and skip != "stage":
        qs = qs.filter(stage__in=filters.stage)
    if filters.collaboration_level and skip != "collaboration_level":
        qs = qs.filter(collaboration_level__in=filters.collaboration_level)
    if filters.authority_type and skip != "authority_type":
        qs = qs.filter(lead_organisation__authority_type__in=filters.authority_type)
    if filters.region and skip != "region":
        qs = qs.filter(lead_organisation__region__in=filters.region)
    if filters.looking_for_partners is not None and skip != "looking_for_partners":
        qs = qs.filter(looking_for_partners=filters.looking_for_partners)
    if filters.funding_band and skip != "funding_band":
        qs = qs.filter(funding_band__in=filters.funding_band)
    if filters.updated_within_days and skip != "updated_within_days":
        since = timezone.now() - datetime.timedelta(days=filters.updated_within_days)
        qs = qs.filter(updated_at__gte=since)
    if filters.lead and skip != "lead":
        qs = qs.filter(led_by(filters.lead))
    if filters.partner and skip != "partner":
        qs = qs.filter(taking_part_in(filters.partner))
    return qs


def search_initiatives(
    *,
    user=None,
    base: QuerySet[Initiative] | None = None,
    query: str = "",
    filters: CatalogueFilters | None = None,
    sort: str = "",
) -> QuerySet[Initiative]:
    """The catalogue: initiatives ``user`` may see (or, from the API, the
    scoped queryset ``base`` it already holds), searched, filtered and sorted,
    with what a result row shows already joined (lead organisation) or
    prefetched (service areas), so a page costs the same whatever it holds.
    It only ever narrows what it starts from."""
    filters = filters or CatalogueFilters()
    start = visible_to(user) if base is None else base
    qs = _apply_filters(_apply_search(start, query), filters)
    sort = effective_sort(query=query, sort=sort)
    ordering = {
        Sort.RELEVANCE: ["-rank", "-updated_at", "-pk"],
        Sort.NEWEST: ["-created_at", "-pk"],
        Sort.UPDATED: ["-updated_at", "-pk"],
        Sort.PARTNERS: ["-partner_count", "-updated_at", "-pk"],
    }[sort]
    if sort == Sort.RELEVANCE and "rank" not in qs.query.annotations:
        ordering = ordering[1:]
    return (
        qs.select_related("lead_organisation").prefetch_related("service_areas").order_by(*ordering)
    )


def effective_sort(*, query: str, sort: str) -> str:
    """The sort the catalogue actually uses (relevance only makes sense when searching)."""
    searching = bool(query.strip())
    if sort not in Sort.values or (sort == Sort.RELEVANCE and not searching):
        return Sort.RELEVANCE if searching else Sort.UPDATED
    return sort


def _value_counts(qs: QuerySet[Initiative], field_name: str) -> dict[str, int]:
    rows = qs.order_by().values(field_name).annotate(n=Count("pk"))
    return {row[field_name]: row["n"] for row in rows}


def facet_counts(*, user, query: str = "", filters: CatalogueFilters | None = None) -> list[Facet]:
    """Counts for every facet value, one aggregate query per facet (never one
    per value), each over the search and the *other* facets' selections."""
    filters = filters or CatalogueFilters()
    base = _apply_search(visible_to(user), query)

    def others(skip: str) -> QuerySet[Initiative]:
        return _apply_filters(base, filters, skip=skip)

    facets: list[Facet] = []

    # Service area: counts through the M2M table; every taxonomy area is listed.
    through = Initiative.service_areas.through
    area_counts = dict(
        through.objects.filter(initiative__in=others("service_area").values("pk"))
        .order_by()
        .values("servicearea_id")
        .annotate(n=Count("initiative_id"))
        .values_list("servicearea_id", "n")
    )
    facets.append(
        Facet(
            "service_area",
            "Service area",
            [
                FacetValue(a.slug, a.name, area_counts.get(a.pk, 0), a.slug in filters.service_area)
                for a in ServiceArea.objects.order_by("name").only("pk", "slug", "name")
            ],
        )
    )

    def choice_facet(name: str, label: str, choices) -> Facet:
        counts = _value_counts(others(name), name)
        chosen = getattr(filters, name)
        return Facet(
            name,
            label,
            [FacetValue(v, lab, counts.get(v, 0), v in chosen) for v, lab in choices],
        )

    facets.append(choice_facet("stage", "Stage", Initiative.Stage.choices))
    facets.append(
        choice_facet(
            "collaboration_level", "Collaboration level", Initiative.CollaborationLevel.choices
        )
    )

    def lead_facet(name: str, label: str) -> Facet:
        counts = _value_counts(others(name), f"lead_organisation__{name}")
        chosen = getattr(filters, name)
        values = sorted({*(k for k in counts if k), *chosen})
        return Facet(name, label, [FacetValue(v, v, counts.get(v, 0), v in chosen) for v in values])

    lead_counts = {
        (row["lead_organisation__slug"], row["lead_organisation__name"]): row["n"]
        for row in others("lead")
        .order_by()
        .values("lead_organisation__slug", "lead_organisation__name")
        .annotate(n=Count("pk"))
    }
    partner_counts = {
        (row["organisation__slug"], row["organisation__name"]): row["n"]
        for row in taking_part()
        .filter(initiative__in=others("partner").values("pk"))
        .order_by()
        .values("organisation__slug", "organisation__name")
        .annotate(n=Count("initiative_id", distinct=True))
    }
    names = dict((*lead_counts, *partner_counts))
    # A chosen organisation that leads or partners in nothing the viewer can
    # see (or that does not exist) is still shown, by its name when the viewer
    # may see the organisation, else as typed: the same for "missing" and
    # "not yours". At most one more query, and only then.
    unnamed = {filters.lead, filters.partner} - {""} - set(names)
    if unnamed:
        names.update(
            visible_organisations(user).filter(slug__in=unnamed).values_list("slug", "name")
        )

    def council_facet(name: str, label: str, counts: dict[tuple[str, str], int]) -> Facet:
        selected = getattr(filters, name)
        values = [
            FacetValue(slug, org_name, n, slug == selected)
            for (slug, org_name), n in sorted(counts.items(), key=lambda item: item[0][1].lower())
        ]
        if selected and not any(value.selected for value in values):
            values.insert(0, FacetValue(selected, names.get(selected, selected), 0, True))
        return Facet(name, label, values, kind="select", any_label="Any organisation")

    facets.append(council_facet("lead", "Lead council", lead_counts))
    facets.append(lead_facet("authority_type", "Lead council type"))
    facets.append(lead_facet("region", "Lead council region"))
    facets.append(council_facet("partner", "Partner council", partner_counts))

    looking_counts = _value_counts(others("looking_for_partners"), "looking_for_partners")
    facets.append(
        Facet(
            "looking_for_partners",
            "Looking for partners",
            [
                FacetValue(
                    "yes",
                    "Looking for partners",
                    looking_counts.get(True, 0),
                    filters.looking_for_partners is True,
                ),
                FacetValue(
                    "no",
                    "Not looking for partners",
                    looking_counts.get(False, 0),
                    filters.looking_for_partners is False,
                ),
            ],
            kind="radios",
        )
    )
    facets.append(choice_facet("funding_band", "Funding band", Initiative.FundingBand.choices))

    now = timezone.now()
    since = others("updated_within_days").aggregate(
        **{
            f"d{days}": Count("pk", filter=Q(updated_at__gte=now - datetime.timedelta(days=days)))
            for days in UPDATED_SINCE_DAYS
        }
    )
    facets.append(
        Facet(
            "updated_within_days",
            "Updated in the last",
            [
                FacetValue(
                    str(days),
                    f"{days} days",
                    since[f"d{days}"],
                    filters.updated_within_days == days,
                )
                for days in UPDATED_SINCE_DAYS
            ],
            kind="radios",
        )
    )
    return facets


# ---------------------------------------------------------------------------
# Duplicate check and "similar initiatives".
# ---------------------------------------------------------------------------

# Words too common in this domain to say two initiatives are alike.
_STOPWORDS = frozenset({
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been",
    "but", "by", "can", "could", "do", "for", "from", "has", "have", "how", "if", "in", "into",
    "is", "it", "its", "more", "new", "not", "of", "on", "or", "our", "out", "over", "shared",
    "so", "such", "than", "that", "the", "their", "them", "then", "there", "these", "they",
    "this", "to", "up", "use", "using", "was", "we", "were", "what", "when", "which", "who",
    "will", "with", "would", "your", "council", "councils", "local", "authority",
    "authorities", "service", "services", "digital", "project", "initiative", "initiatives",
    "people", "together", "across", "joint", "online", "one", "apply", "resident", "app",
    "system", "make", "help", "way", "work", "working", "plan", "better", "improve",
})  # fmt: skip


# The duplicate check compares at most this much of each text, and ignores
# "words" longer than any English one: a megabyte title must cost what a
# real one does.
MAX_COMPARED_TEXT = 300
MAX_WORD_LENGTH = 40
# A search longer than this is not a search (the form allows 200).
MAX_QUERY_LENGTH = 200


def significant_words(*texts: str, limit: int = 12) -> list[str]:
    """Distinct words of three or more letters that say what something is
    about, crudely stemmed (a plural "s" dropped) so "collections" meets
    "collection"."""
    seen: dict[str, None] = {}
    for text in texts:
        # Bounded whatever the door: no title or summary is longer than its
        # column, and no real word is longer than MAX_WORD_LENGTH.
        for word in re.split(r"[\W_]+", (text or "")[:MAX_COMPARED_TEXT].lower()):
            if len(word) > MAX_WORD_LENGTH:
                continue
            if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
                word = word[:-1]
            if len(word) >= 3 and word not in _STOPWORDS and not word.isdigit():
                seen.setdefault(word, None)
    return list(seen)[:limit]


def _starts_word(field_name: str, word: str) -> Q:
    """``field`` has a word starting with ``word`` ("resident" finds "residents"
    but "one" does not find "phone"). Word boundaries differ: PostgreSQL's
    regular expressions spell one ``\\y``, Python's (SQLite) ``\\b``."""
    boundary = r"\y" if connection.vendor == "postgresql" else r"\b"
    return Q(**{f"{field_name}__iregex": boundary + re.escape(word)})


def possible_duplicates(
    *,
    user,
    title: str = "",
    summary: str = "",
    service_area_ids: Iterable[int] = (),
    exclude_pk: int | None = None,
    limit: int = 5,
) -> list[Initiative]:
    """Visible initiatives whose title and summary share words with the text an
    officer is writing ("another council may already be doing this").

    ``overlap`` counts the distinct things in common (each shared word, and
    sharing a service area when ``service_area_ids`` is given); two are needed
    once there are three or more words to compare, so one common word such as
    "online" does not flood the list. Ranked by a weighted score (a word in the
    title counts double) and, on PostgreSQL, then by the full-text rank."""
    words = significant_words(title, summary)
    area_ids = list(service_area_ids)
    if not words:
        return []
    score, overlap, any_word = Value(0), Value(0), Q()
    for word in words:
        in_title, in_summary = _starts_word("title", word), _starts_word("summary", word)
        any_word |= in_title | in_summary
        score = (
            score
            + Case(When(in_title, then=Value(2)), default=Value(0))
            + Case(When(in_summary, then=Value(1)), default=Value(0))
        )
        overlap = overlap + Case(When(in_title | in_summary, then=Value(1)), default=Value(0))
    if area_ids:
        shares_area = Q(
            Exists(
                Initiative.service_areas.through.objects.filter(
                    initiative_id=OuterRef("pk"), servicearea_id__in=area_ids
                )
            )
        )
        score = score + Case(When(shares_area, then=Value(2)), default=Value(0))
        overlap = overlap + Case(When(shares_area, then=Value(1)), default=Value(0))
    qs = (
        visible_to(user)
        .filter(any_word)
        .annotate(
            similarity=ExpressionWrapper(score, output_field=IntegerField()),
            overlap=ExpressionWrapper(overlap, output_field=IntegerField()),
        )
        .filter(overlap__gte=2 if len(words) + bool(area_ids) >= 3 else 1)
        .select_related("lead_organisation")
    )
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    ordering = ["-similarity"]
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank

        search = SearchQuery(
            " or ".join(words), search_type="websearch", config=Initiative.SEARCH_CONFIG
        )
        qs = qs.annotate(rank=SearchRank(F("search_vector"), search))
        ordering.append("-rank")
    return list(qs.order_by(*ordering, "-updated_at", "-pk")[:limit])


def similar_initiatives(*, user, initiative: Initiative, limit: int = 4) -> list[Initiative]:
    """Other initiatives like this one, for the "similar initiatives" panel:
    shared words in title and summary, and shared service areas (read from the
    prefetch cache when the detail selector loaded them)."""
    return possible_duplicates(
        user=user,
        title=initiative.title,
        summary=initiative.summary,
        service_area_ids=[area.pk for area in initiative.service_areas.all()],
        exclude_pk=initiative.pk,
        limit=limit,
    )


def open_data_initiatives(
    *, query: str = "", filters: CatalogueFilters | None = None, sort: str = ""
) -> QuerySet[Initiative]:
    """The open dataset: the catalogue's search, filters and order (the CSV
    link carries the page's query string), over public initiatives only,
    whoever asks (a signed-in user's wider view must never leak into the
    published CSV)."""
    return search_initiatives(
        user=AnonymousUser(), query=query, filters=filters, sort=sort
    ).prefetch_related("tags", "skills_needed")


# ---------------------------------------------------------------------------
# A council's page: what it leads and takes part in.
# ---------------------------------------------------------------------------


@dataclass
class CouncilInitiatives:
    """The first few initiatives an organisation leads and takes part in, as
    one viewer may see them, and how many the catalogue's ``?lead=`` and
    ``?partner=`` list for them (the "See all" links)."""

    led: list[Initiative]
    led_count: int
    taking_part: list[Initiative]
    taking_part_count: int


def council_initiatives(*, user, organisation: Organisation, limit: int = 5) -> CouncilInitiatives:
    """For a council's page: through the catalogue itself (``search_initiatives``
    with the ``lead`` and ``partner`` filters, so visibility, membership and
    order are exactly what "See all" then shows). One aggregate for both
    counts, then a query per non-empty list (lead organisation joined):
    three at most, whatever the data."""
    visible = visible_to(user)
    counts = visible.aggregate(
        led=Count("pk", filter=led_by(organisation.slug)),
        taking_part=Count("pk", filter=taking_part_in(organisation.slug)),
    )

    def first(filters: CatalogueFilters, count: int) -> list[Initiative]:
        if not count:
            return []
        rows = search_initiatives(base=visible, filters=filters).prefetch_related(None)
        return list(rows[:limit])

    return CouncilInitiatives(
        led=first(CatalogueFilters(lead=organisation.slug), counts["led"]),
        led_count=counts["led"],
        taking_part=first(CatalogueFilters(partner=organisation.slug), counts["taking_part"]),
        taking_part_count=counts["taking_part"],
    )
