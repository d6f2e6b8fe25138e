"""Worked examples of the cost split, readable as a specification."""

import pytest

from initiatives.cost_split import (
    CUSTOM,
    EQUAL,
    POPULATION,
    Participant,
    allocate_largest_remainder,
    split_costs,
)

LEEDS = Participant(organisation_id=1, name="Leeds", population=800_000, basis_points=5_000)
BRISTOL = Participant(organisation_id=2, name="Bristol", population=400_000, basis_points=3_000)
KENT = Participant(organisation_id=3, name="Kent", population=800_000, basis_points=2_000)


def amounts(result):
    return [share.share_pence for share in result.shares]


def test_equal_split_gives_leftover_pennies_to_the_lowest_ids():
    result = split_costs(total_pence=100, method=EQUAL, participants=[KENT, BRISTOL, LEEDS])
    # 100 / 3 = 33 r 1: the spare penny goes to organisation 1 (Leeds), listed last.
    assert amounts(result) == [33, 33, 34]
    assert [s.saving_pence for s in result.shares] == [67, 67, 66]
    assert result.notes == ()


def test_population_split_is_proportional():
    result = split_costs(
        total_pence=1_000_000, method=POPULATION, participants=[LEEDS, BRISTOL, KENT]
    )
    assert amounts(result) == [400_000, 200_000, 400_000]


def test_population_split_falls_back_to_equal_and_says_who_is_missing():
    unknown = Participant(organisation_id=4, name="Nowhere", population=None)
    result = split_costs(total_pence=90, method=POPULATION, participants=[LEEDS, unknown])
    assert amounts(result) == [45, 45]
    assert result.fell_back_to_equal
    assert result.applied_method == EQUAL
    assert "Nowhere" in result.notes[0]


def test_custom_split_uses_basis_points():
    result = split_costs(total_pence=10_000, method=CUSTOM, participants=[LEEDS, BRISTOL, KENT])
    assert amounts(result) == [5_000, 3_000, 2_000]
    assert not result.normalised


def test_custom_split_not_adding_to_100_percent_is_normalised_and_flagged():
    a = Participant(organisation_id=1, basis_points=1_000)
    b = Participant(organisation_id=2, basis_points=3_000)
    result = split_costs(total_pence=1_000, method=CUSTOM, participants=[a, b])
    assert amounts(result) == [250, 750]
    assert result.normalised
    assert "40%" in result.notes[0]


def test_custom_split_with_nothing_set_is_equal():
    a = Participant(organisation_id=1)
    b = Participant(organisation_id=2)
    result = split_costs(total_pence=11, method=CUSTOM, participants=[a, b])
    assert amounts(result) == [6, 5]
    assert result.fell_back_to_equal


def test_a_single_participant_pays_everything_and_saves_nothing():
    result = split_costs(total_pence=123_456, method=EQUAL, participants=[LEEDS])
    assert amounts(result) == [123_456]
    assert result.shares[0].saving_pence == 0


def test_no_participants_gives_no_shares_and_a_note():
    result = split_costs(total_pence=500, method=EQUAL, participants=[])
    assert result.shares == ()
    assert result.notes


def test_a_trillion_pence_splits_exactly():
    result = split_costs(
        total_pence=10**12 + 1, method=POPULATION, participants=[LEEDS, BRISTOL, KENT]
    )
    assert sum(amounts(result)) == 10**12 + 1


@pytest.mark.parametrize(
    ("total", "weights", "expected"),
    [(10, [1, 1, 1], [4, 3, 3]), (0, [5, 1], [0, 0]), (7, [0, 1], [0, 7])],
)
def test_largest_remainder_examples(total, weights, expected):
    assert allocate_largest_remainder(total, weights, list(range(len(weights)))) == expected


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        split_costs(total_pence=-1, method=EQUAL, participants=[LEEDS])
    with pytest.raises(ValueError):
        split_costs(total_pence=1, method="lottery", participants=[LEEDS])
    with pytest.raises(ValueError):
        allocate_largest_remainder(10, [0, 0], [1, 2])
