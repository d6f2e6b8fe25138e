"""Suggested groups from hand-made items: what is grouped, what is not, and
why (shared words after case, stop words and stemming)."""

from dataclasses import dataclass

from swot.grouping import stems, suggest_groups, words


@dataclass
class Note:
    id: int
    quadrant: str
    text: str


W, S = "weaknesses", "strengths"


def _groups(items):
    return [(s.quadrant, s.name, s.item_ids) for s in suggest_groups(items)]


def test_items_sharing_a_word_are_suggested_together():
    items = [
        Note(1, W, "Staff shortages in IT"),
        Note(2, W, "Our contracts end in March"),
        Note(3, W, "Not enough STAFF"),
        Note(4, W, "Contract with Bartec ending"),
        Note(5, W, "Budget"),
        Note(6, W, "Staff turnover"),
    ]
    assert _groups(items) == [
        (W, "Staff", (1, 3, 6)),  # the biggest group comes first
        (W, "Contract", (2, 4)),  # "contracts" and "Contract" stem alike
    ]


def test_stop_words_do_not_make_a_group():
    items = [
        Note(1, W, "The lack of a plan"),
        Note(2, W, "The lack of money"),
        Note(3, W, "Our council is slow"),
        Note(4, W, "Our council has no data"),
    ]
    assert _groups(items) == []


def test_groups_never_cross_quadrants():
    items = [Note(1, S, "Skilled staff"), Note(2, W, "Staff turnover")]
    assert _groups(items) == []
    items.append(Note(3, S, "Friendly staff"))
    assert _groups(items) == [(S, "Staff", (1, 3))]


def test_an_item_is_suggested_for_one_group_only():
    items = [
        Note(1, W, "Legacy systems and legacy data"),
        Note(2, W, "Data quality"),
        Note(3, W, "Legacy systems"),
        Note(4, W, "Data sharing agreements"),
    ]
    suggestions = suggest_groups(items)
    placed = [i for s in suggestions for i in s.item_ids]
    assert len(placed) == len(set(placed))
    # "data" (1, 2, 4) beats "legacy" and "system" (1, 3); 3 is then alone.
    assert [(s.name, s.item_ids) for s in suggestions] == [("Data", (1, 2, 4))]


def test_ties_are_broken_by_board_order_so_results_are_stable():
    items = [
        Note(1, W, "Procurement rules"),
        Note(2, W, "Hosting costs"),
        Note(3, W, "Procurement delays"),
        Note(4, W, "Hosting outages"),
    ]
    first = _groups(items)
    assert first == [(W, "Procurement", (1, 3)), (W, "Hosting", (2, 4))]
    assert _groups(list(items)) == first


def test_the_name_is_the_spelling_used_most():
    items = [
        Note(1, W, "Recycling rates fell"),
        Note(2, W, "Recycling contamination"),
        Note(3, W, "We recycle less"),
    ]
    assert _groups(items) == [(W, "Recycling", (1, 2, 3))]


def test_normalising_words():
    assert words("The COUNCIL'S staff aren't trained") == [
        ("staff", "staff"),
        ("train", "trained"),
    ]
    assert stems("Contracts, contract; CONTRACTING!") == {"contract"}
    assert stems("") == frozenset() and stems("12 34 to of") == frozenset()


def test_no_items_and_lone_items_suggest_nothing():
    assert suggest_groups([]) == []
    assert suggest_groups([Note(1, S, "Expertise")]) == []


def test_suggestion_key_ignores_the_name_and_order():
    (suggestion,) = suggest_groups([Note(7, S, "Open data"), Note(3, S, "Data skills")])
    assert suggestion.item_ids == (7, 3)
    assert suggestion.key == "strengths:3,7"
