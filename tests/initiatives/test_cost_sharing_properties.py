"""Property tests for the cost split: whatever the total, the number of
participants, their populations or custom shares, the shares are whole,
non-negative pence that add up exactly to the total and follow the method."""

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from initiatives.cost_split import (
    CUSTOM,
    EQUAL,
    POPULATION,
    Participant,
    allocate_largest_remainder,
    split_costs,
)

totals = st.integers(min_value=0, max_value=10**12)


@st.composite
def participant_lists(draw, *, population=None, basis_points=None):
    population = population if population is not None else st.none()
    basis_points = basis_points if basis_points is not None else st.none()
    count = draw(st.integers(min_value=1, max_value=50))
    ids = draw(
        st.lists(
            st.integers(min_value=1, max_value=10**6), min_size=count, max_size=count, unique=True
        )
    )
    return [
        Participant(
            organisation_id=org_id,
            name=f"Org {org_id}",
            population=draw(population),
            basis_points=draw(basis_points),
        )
        for org_id in ids
    ]


populations = st.integers(min_value=1, max_value=10_000_000)
any_population = st.one_of(st.none(), st.integers(min_value=0, max_value=10_000_000))
points = st.integers(min_value=0, max_value=10_000)


def assert_exact_and_non_negative(result, total):
    amounts = [share.share_pence for share in result.shares]
    assert all(isinstance(amount, int) and amount >= 0 for amount in amounts)
    assert sum(amounts) == total
    for share in result.shares:
        assert share.alone_pence == total
        assert share.saving_pence == total - share.share_pence


def assert_proportional(result, total):
    """Every share is within a penny of its exact proportion, and a larger
    weight never gets a smaller share."""
    weight_sum = sum(share.weight for share in result.shares)
    for share in result.shares:
        exact = Fraction(total * share.weight, weight_sum)
        assert abs(share.share_pence - exact) < 1
    ordered = sorted(result.shares, key=lambda s: s.weight)
    for smaller, larger in zip(ordered, ordered[1:], strict=False):
        if larger.weight > smaller.weight:
            assert larger.share_pence >= smaller.share_pence


@settings(max_examples=300)
@given(total=totals, participants=participant_lists())
def test_equal_split_is_exact_and_differs_by_at_most_a_penny(total, participants):
    result = split_costs(total_pence=total, method=EQUAL, participants=participants)
    assert_exact_and_non_negative(result, total)
    amounts = [share.share_pence for share in result.shares]
    assert max(amounts) - min(amounts) <= 1
    assert result.applied_method == EQUAL


@settings(max_examples=300)
@given(total=totals, participants=participant_lists(population=populations))
def test_population_split_follows_population(total, participants):
    result = split_costs(total_pence=total, method=POPULATION, participants=participants)
    assert_exact_and_non_negative(result, total)
    assert result.applied_method == POPULATION
    assert [s.weight for s in result.shares] == [p.population for p in participants]
    assert_proportional(result, total)


@settings(max_examples=300)
@given(total=totals, participants=participant_lists(population=any_population))
def test_population_split_with_gaps_falls_back_to_equal_for_everyone(total, participants):
    result = split_costs(total_pence=total, method=POPULATION, participants=participants)
    assert_exact_and_non_negative(result, total)
    if any(not p.population for p in participants):
        assert result.fell_back_to_equal
        assert result.applied_method == EQUAL
        assert result.notes
        amounts = [share.share_pence for share in result.shares]
        assert max(amounts) - min(amounts) <= 1
    else:
        assert_proportional(result, total)


@settings(max_examples=300)
@given(total=totals, participants=participant_lists(basis_points=points))
def test_custom_split_follows_basis_points_normalised(total, participants):
    result = split_costs(total_pence=total, method=CUSTOM, participants=participants)
    assert_exact_and_non_negative(result, total)
    point_sum = sum(p.basis_points for p in participants)
    if point_sum == 0:
        assert result.fell_back_to_equal
        amounts = [share.share_pence for share in result.shares]
        assert max(amounts) - min(amounts) <= 1
    else:
        assert result.applied_method == CUSTOM
        assert result.normalised == (point_sum != 10_000)
        assert_proportional(result, total)
        # Nobody with zero basis points pays anything.
        for share, participant in zip(result.shares, participants, strict=True):
            if participant.basis_points == 0:
                assert share.share_pence == 0


@settings(max_examples=200)
@given(
    total=totals,
    participants=participant_lists(population=populations, basis_points=points),
    method=st.sampled_from([EQUAL, POPULATION, CUSTOM]),
    data=st.data(),
)
def test_split_is_deterministic_whatever_the_order(total, participants, method, data):
    first = split_costs(total_pence=total, method=method, participants=participants)
    again = split_costs(total_pence=total, method=method, participants=participants)
    assert first == again
    shuffled = data.draw(st.permutations(participants))
    reordered = split_costs(total_pence=total, method=method, participants=shuffled)
    by_org = {s.organisation_id: s.share_pence for s in first.shares}
    assert {s.organisation_id: s.share_pence for s in reordered.shares} == by_org


@given(
    total=totals,
    weights=st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=50).filter(
        any
    ),
)
def test_largest_remainder_allocation_sums_exactly(total, weights):
    amounts = allocate_largest_remainder(total, weights, list(range(len(weights))))
    assert sum(amounts) == total
    assert all(amount >= 0 for amount in amounts)
