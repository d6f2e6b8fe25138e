"""The profile services enforce the data's rules whichever door calls them
(the API and the matching jobs will, too), not only the HTML forms."""

import pytest
from django.core.exceptions import ValidationError

from councils.models import Organisation, SkillOffer, SystemInUse
from councils.services import profiles
from notifications.models import Activity
from tests import factories


@pytest.fixture
def waste(db):
    return factories.service_area("waste-and-recycling")


@pytest.mark.parametrize("score", [0, 6, 7])
def test_satisfaction_must_be_one_to_five(council, officer, waste, score):
    with pytest.raises(ValidationError) as caught:
        profiles.add_system(
            organisation=council,
            by=officer,
            service_area=waste,
            supplier="Bartec",
            product="Collective",
            satisfaction=score,
        )
    assert "satisfaction" in caught.value.message_dict
    assert not SystemInUse.objects.exists()
    assert not Activity.objects.exists()


def test_blank_supplier_after_trimming_is_a_field_error(council, officer, waste):
    with pytest.raises(ValidationError) as caught:
        profiles.add_system(
            organisation=council, by=officer, service_area=waste, supplier="  ", product="X"
        )
    assert "supplier" in caught.value.message_dict
    assert not SystemInUse.objects.exists()


def test_empty_need_description_is_a_field_error(council, officer, waste):
    with pytest.raises(ValidationError) as caught:
        profiles.add_need(organisation=council, by=officer, service_area=waste, description=" ")
    assert "description" in caught.value.message_dict
    assert not council.needs.exists()


def test_unknown_priority_is_a_field_error(council, officer, waste):
    with pytest.raises(ValidationError) as caught:
        profiles.add_need(
            organisation=council, by=officer, service_area=waste, description="X", priority="urgent"
        )
    assert "priority" in caught.value.message_dict
    assert not council.needs.exists()


def test_duplicate_skill_offer_is_a_skill_field_error(council, officer):
    skill = factories.skill("user-research")
    profiles.add_skill_offer(organisation=council, by=officer, skill=skill)
    with pytest.raises(ValidationError) as caught:
        profiles.add_skill_offer(organisation=council, by=officer, skill=skill, detail="again")
    assert caught.value.message_dict == {"skill": [profiles.DUPLICATE_SKILL_MESSAGE]}
    assert SkillOffer.objects.filter(organisation=council).count() == 1


def test_another_council_may_offer_the_same_skill(council, other_council, officer, outsider):
    skill = factories.skill("user-research")
    profiles.add_skill_offer(organisation=council, by=officer, skill=skill)
    profiles.add_skill_offer(organisation=other_council, by=outsider, skill=skill)
    assert SkillOffer.objects.filter(skill=skill).count() == 2


def test_ended_organisation_profile_cannot_change(council, officer, waste):
    system = factories.SystemInUseFactory(organisation=council)
    Organisation.objects.filter(pk=council.pk).update(status=Organisation.Status.ENDED)
    with pytest.raises(ValidationError, match="Only an active organisation's profile"):
        profiles.add_need(organisation=council, by=officer, service_area=waste, description="X")
    with pytest.raises(ValidationError, match="Only an active organisation's profile"):
        profiles.remove_system(system=system, by=officer)
    assert SystemInUse.objects.filter(pk=system.pk).exists()
    assert not council.needs.exists()
    assert not Activity.objects.exists()


def test_each_write_is_recorded_for_the_organisation(council, officer, waste):
    system = profiles.add_system(
        organisation=council, by=officer, service_area=waste, supplier="Civica", product="OpenR"
    )
    profiles.update_system(
        system=system,
        by=officer,
        service_area=waste,
        supplier="Civica",
        product="OpenRevenues",
        satisfaction=5,
    )
    profiles.remove_system(system=system, by=officer)
    verbs = list(
        Activity.objects.filter(organisation=council, actor=officer)
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs == ["profile.system_added", "profile.system_updated", "profile.system_removed"]
