"""Every search and duplicate-check input is bounded before it reaches a
query, so one request cannot hold a database backend (a 1 MB title once kept
PostgreSQL at 100% CPU for minutes)."""

import pytest

from initiatives.models import Initiative
from initiatives.selectors.catalogue import (
    MAX_WORD_LENGTH,
    possible_duplicates,
    search_initiatives,
    significant_words,
)

pytestmark = pytest.mark.django_db

HUGE = "recycling " * 100_000 + "x" * 1_000_000


def test_significant_words_of_a_megabyte_are_a_handful_of_short_words():
    words = significant_words(HUGE, HUGE)
    assert words == ["recycling"]
    assert significant_words("a" * (MAX_WORD_LENGTH + 1) + " garden waste") == ["garden", "waste"]


def test_duplicate_check_and_search_take_huge_input(officer):
    assert possible_duplicates(user=officer, title=HUGE, summary=HUGE) == []
    assert list(search_initiatives(user=officer, query=HUGE)) == []


def test_proposing_with_a_huge_title_is_a_form_error_and_saves_nothing(client_for, officer):
    response = client_for(officer).post(
        "/initiatives/new/", {"title": "Shared waste " * 15_000, "summary": "x" * 200_000}
    )
    # The form is shown again with its errors (as for any invalid proposal).
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert "200 characters" in body
    assert Initiative.objects.count() == 0


def test_the_duplicate_check_page_takes_huge_input(client_for, officer):
    response = client_for(officer).get("/initiatives/similar/", {"title": HUGE[:150_000]})
    assert response.status_code == 200
