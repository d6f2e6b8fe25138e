"""Suggested groups of similar items: a pure function of the items' texts.

A facilitator with thirty sticky notes in a quadrant wants a head start on
grouping them, not a machine that groups them: suggestions are only ever
offered, and a person accepts (or edits, or ignores) each one, which then
goes through the ordinary ``group.create`` operation.

Two items are "similar" when they share a meaningful word. Words are
compared after normalising case, dropping stop words ("the", "our", "not")
and stemming with the Snowball English stemmer, so "Contracts ending" and
"contract renewal" share ``contract``. Suggestions are built greedily, one
quadrant at a time: the word shared by the most still-unplaced items makes
the first group, its items are taken out, and so on until no word is shared
by two items. Each item is suggested for one group at most, and the result
depends only on the input (ties are broken by the order of the items and
then alphabetically), so the same board always suggests the same groups.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import snowballstemmer

# Words too common to say two items are about the same thing. Snowball's
# English stop list, plus words SWOT notes are full of whatever their topic
# ("lack of", "need more", "council").
_STOP_TEXT = """
    a about above after again against all also am an and any are aren't as at be because
    been before being below between both but by can can't cannot could couldn't did didn't do
    does doesn't doing don't down during each few for from further get gets getting got had
    hadn't has hasn't have haven't having he her here hers herself him himself his how i if in
    into is isn't it it's its itself just let's lot lots make makes many may me might more most
    much must mustn't my myself need needs no nor not now of off on once one only or other ought
    our ours ourselves out over own per same shan't she should shouldn't so some such than that
    the their theirs them themselves then there these they this those through to too under until
    up upon us use used using very via was wasn't we well were weren't what when where which
    while who whom why will with won't would wouldn't you your yours yourself yourselves
    council councils lack lacks lacking new good bad better poor etc e.g i.e re
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())

MIN_WORD_LENGTH = 3
MIN_GROUP_SIZE = 2

_WORD = re.compile(r"[^\W\d_](?:[\w'’-]*\w)?", re.UNICODE)


class ItemLike(Protocol):
    """What grouping needs of an item: a model ``Item`` or any stand-in."""

    id: int
    quadrant: str
    text: str


@dataclass(frozen=True)
class Suggestion:
    """One suggested group: its quadrant, a proposed name (the shared word as
    people wrote it most often), the items' ids in board order, and the
    stemmed word that ties them."""

    quadrant: str
    name: str
    item_ids: tuple[int, ...]
    stem: str

    @property
    def key(self) -> str:
        """Identifies the suggestion (for "ignore"), whatever its name."""
        return f"{self.quadrant}:" + ",".join(str(i) for i in sorted(self.item_ids))


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("english")


def words(text: str) -> list[tuple[str, str]]:
    """(stem, word as written, in lower case) for each meaningful word of ``text``."""
    folded = unicodedata.normalize("NFKC", text or "").casefold().replace("’", "'")
    found = []
    for match in _WORD.finditer(folded):
        word = match.group(0).strip("'-")
        if word.endswith("'s"):
            word = word[:-2]
        if len(word) < MIN_WORD_LENGTH or word in STOP_WORDS:
            continue
        found.append((_stemmer().stemWord(word), word))
    return found


def stems(text: str) -> frozenset[str]:
    """The set of stems that stand for ``text`` when comparing items."""
    return frozenset(stem for stem, _ in words(text))


def suggest_groups(
    items: Iterable[ItemLike], *, min_size: int = MIN_GROUP_SIZE
) -> list[Suggestion]:
    """Suggested groups for ``items`` (pass only the ungrouped ones the viewer
    may see), quadrant by quadrant in the board's quadrant order of first
    appearance, biggest group first within a quadrant."""
    by_quadrant: dict[str, list[ItemLike]] = defaultdict(list)
    for item in items:
        by_quadrant[item.quadrant].append(item)
    suggestions: list[Suggestion] = []
    for quadrant, members in by_quadrant.items():
        suggestions.extend(_suggest_in_quadrant(quadrant, members, min_size=min_size))
    return suggestions


def _suggest_in_quadrant(
    quadrant: str, items: list[ItemLike], *, min_size: int
) -> list[Suggestion]:
    order = {item.id: position for position, item in enumerate(items)}
    spelled: dict[str, Counter[str]] = defaultdict(Counter)
    holders: dict[str, set[int]] = defaultdict(set)
    for item in items:
        for stem, word in words(item.text):
            spelled[stem][word] += 1
            holders[stem].add(item.id)
    unplaced = set(order)
    found: list[Suggestion] = []
    while True:
        best_stem, best_ids = None, set()
        for stem in sorted(holders):
            ids = holders[stem] & unplaced
            if len(ids) < min_size:
                continue
            if best_stem is None or _better(ids, best_ids, order):
                best_stem, best_ids = stem, ids
        if best_stem is None:
            return found
        unplaced -= best_ids
        found.append(
            Suggestion(
                quadrant=quadrant,
                name=_name_for(spelled[best_stem]),
                item_ids=tuple(sorted(best_ids, key=order.__getitem__)),
                stem=best_stem,
            )
        )


def _better(ids: set[int], best: set[int], order: dict[int, int]) -> bool:
    """More items wins; on a tie, the group whose first item comes first."""
    if len(ids) != len(best):
        return len(ids) > len(best)
    return min(order[i] for i in ids) < min(order[i] for i in best)


def _name_for(spellings: Counter[str]) -> str:
    """The spelling people used most (alphabetically first on a tie), capitalised."""
    word = min(spellings, key=lambda w: (-spellings[w], w))
    return word[:1].upper() + word[1:]
