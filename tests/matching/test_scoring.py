"""The scoring function on hand-made councils: each test states the order it
expects and why, so a change of weights that reorders them is a decision,
not an accident."""

from datetime import date

from initiatives.matching import (
    NEED_IN_AREA,
    SAME_PRODUCT,
    SAME_SUPPLIER,
    SUGGESTED_WEIGHT,
    CouncilFacts,
    InitiativeFacts,
    SystemFact,
    months_apart,
    rank_candidates,
    rank_initiatives,
    score,
)

REVENUES, WASTE = 1, 2
USER_RESEARCH, DATA = 10, 11


def revenues_system(product="OpenRevenues", supplier="Civica", end=None, confirmed=True):
    return SystemFact(
        service_area_id=REVENUES,
        service_area="Revenues and benefits",
        supplier=supplier,
        supplier_key=supplier.lower(),
        product=product,
        product_key=product.lower(),
        end_date=end,
        confirmed=confirmed,
    )


LEAD = CouncilFacts(
    id=1,
    name="Leeds",
    authority_type="Metropolitan district",
    population=800_000,
    systems=(revenues_system(end=date(2027, 3, 31)),),
)
INITIATIVE = InitiativeFacts(
    id=100,
    title="Shared revenues platform",
    service_areas={REVENUES: "Revenues and benefits"},
    skills_needed={USER_RESEARCH: "User research"},
    team=(LEAD,),
)


def names(matches):
    return [m.candidate.name for m in matches]


def test_months_apart_counts_whole_months():
    assert months_apart(date(2027, 1, 1), date(2027, 7, 31)) == 6
    assert months_apart(date(2027, 7, 31), date(2027, 1, 1)) == 6
    assert months_apart(date(2027, 1, 31), date(2027, 2, 1)) == 0
    assert months_apart(date(2026, 11, 15), date(2027, 7, 14)) == 7


def test_same_product_and_close_renewal_beats_a_need_alone():
    # Expected order: Cornwall (same product, ends 4 months later, offers user
    # research) > Bristol (same supplier, other product) > Kent (a need only).
    cornwall = CouncilFacts(
        id=2,
        name="Cornwall",
        systems=(revenues_system(end=date(2027, 7, 31)),),
        skills_offered={USER_RESEARCH: "User research"},
    )
    bristol = CouncilFacts(id=3, name="Bristol", systems=(revenues_system(product="Revenues Pro"),))
    kent = CouncilFacts(id=4, name="Kent", need_areas={REVENUES: "Revenues and benefits"})
    ranked = rank_candidates(INITIATIVE, [kent, bristol, cornwall])
    assert names(ranked) == ["Cornwall", "Bristol", "Kent"]
    assert ranked[0].explanation_for_lead == (
        "They run revenues and benefits systems too; both they and Leeds run OpenRevenues for "
        "revenues and benefits; their revenues and benefits contract and Leeds's end within "
        "4 months of each other; they offer user research, which you need."
    )
    assert ranked[2].score == NEED_IN_AREA


def test_nothing_in_common_is_not_suggested_and_the_team_is_never_a_candidate():
    stranger = CouncilFacts(id=5, name="Nowhere", need_areas={WASTE: "Waste"})
    assert rank_candidates(INITIATIVE, [stranger, LEAD]) == []


def test_suggested_systems_count_half_and_say_so():
    confirmed = CouncilFacts(id=6, name="Aconfirmed", systems=(revenues_system(),))
    suggested = CouncilFacts(id=7, name="Bsuggested", systems=(revenues_system(confirmed=False),))
    ranked = rank_candidates(INITIATIVE, [suggested, confirmed])
    assert names(ranked) == ["Aconfirmed", "Bsuggested"]
    product_points = {m.candidate.name: m.reasons[1].points for m in ranked}
    assert product_points == {
        "Aconfirmed": SAME_PRODUCT,
        "Bsuggested": SAME_PRODUCT * SUGGESTED_WEIGHT,
    }
    assert "(from a published contract, not yet confirmed)" in ranked[1].explanation_for_lead


def test_same_product_outweighs_same_supplier():
    assert SAME_PRODUCT > SAME_SUPPLIER
    same_product = CouncilFacts(id=8, name="Zeta", systems=(revenues_system(),))
    same_supplier = CouncilFacts(id=9, name="Alpha", systems=(revenues_system(product="Other"),))
    assert names(rank_candidates(INITIATIVE, [same_supplier, same_product])) == ["Zeta", "Alpha"]


def test_renewal_window_bands_close_ends_score_more():
    def ending(name, cid, end):
        return CouncilFacts(
            id=cid, name=name, systems=(revenues_system(product=name, supplier=name, end=end),)
        )

    within_2 = ending("Within two", 10, date(2027, 5, 31))
    within_10 = ending("Within ten", 11, date(2028, 1, 31))
    within_17 = ending("Within seventeen", 12, date(2028, 8, 31))
    far = ending("Far apart", 13, date(2031, 1, 1))
    ranked = rank_candidates(INITIATIVE, [far, within_17, within_10, within_2])
    assert names(ranked) == ["Within two", "Within ten", "Within seventeen", "Far apart"]
    assert [m.score for m in ranked] == [1 + 3, 1 + 2, 1 + 1, 1]


def test_type_and_size_break_ties_but_geography_is_not_an_input():
    similar = CouncilFacts(
        id=14,
        name="Yorkshire twin",
        authority_type="Metropolitan district",
        population=700_000,
        need_areas={REVENUES: "Revenues and benefits"},
    )
    other = CouncilFacts(
        id=15,
        name="Another",
        authority_type="Non-metropolitan district",
        population=90_000,
        need_areas={REVENUES: "Revenues and benefits"},
    )
    ranked = rank_candidates(INITIATIVE, [other, similar])
    assert names(ranked) == ["Yorkshire twin", "Another"]
    assert ranked[0].score == NEED_IN_AREA + 2
    # CouncilFacts has no location at all: distance cannot reach the score.
    assert not {"latitude", "longitude", "distance"} & set(CouncilFacts.__dataclass_fields__)


def test_initiatives_for_a_council_rank_the_same_way_and_speak_to_it():
    council = CouncilFacts(
        id=20,
        name="Cornwall",
        systems=(revenues_system(end=date(2027, 6, 30)),),
        skills_offered={USER_RESEARCH: "User research"},
    )
    waste = InitiativeFacts(
        id=101,
        title="Waste rounds",
        service_areas={WASTE: "Waste"},
        skills_needed={USER_RESEARCH: "User research"},
        team=(LEAD,),
    )
    joined = InitiativeFacts(
        id=102, title="Already in", service_areas=INITIATIVE.service_areas, team=(LEAD, council)
    )
    ranked = rank_initiatives(council, [waste, joined, INITIATIVE])
    assert [m.initiative.title for m in ranked] == ["Shared revenues platform", "Waste rounds"]
    assert ranked[0].explanation_for_candidate == (
        "You run revenues and benefits systems too; you and Leeds both run OpenRevenues for "
        "revenues and benefits; your revenues and benefits contract and Leeds's end within "
        "2 months of each other; you offer user research, which it needs."
    )


def test_score_is_pure_and_stable():
    council = CouncilFacts(id=21, name="Same", systems=(revenues_system(),))
    assert score(INITIATIVE, council) == score(INITIATIVE, council)
