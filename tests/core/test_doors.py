"""The door kit: one way to refuse, to reach an object and to show a
service's errors on a form, whichever door is used."""

import ast
from pathlib import Path

import pytest
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from core.doors import access, apply_service_errors, error_frame, get_or_404, require, run_service
from councils.models import Organisation

ROOT = Path(__file__).resolve().parents[2]
APPS = {"accounts", "councils", "initiatives", "swot", "notifications", "collab_platform"}


class CostForm(forms.Form):
    title = forms.CharField()
    estimated_cost = forms.CharField(required=False)
    note = forms.CharField(required=False)


def _bound(**data) -> CostForm:
    form = CostForm({"title": "Shared waste rounds", **data})
    assert form.is_valid()
    return form


class TestRequire:
    def test_true_and_none_allow(self):
        require(True)
        require(None)

    def test_false_refuses_with_the_message(self):
        with pytest.raises(PermissionDenied, match="Only the lead's admins can do that."):
            require(False, "Only the lead's admins can do that.")

    def test_a_refusal_reason_is_the_message(self):
        with pytest.raises(PermissionDenied, match="Your organisation leads this initiative."):
            require("Your organisation leads this initiative.", "not this default")


class TestAccess:
    def test_without_a_policy_the_object_is_returned(self):
        obj = object()
        assert access(obj, user=None) is obj

    def test_the_policy_decides_with_user_and_object(self):
        seen = []

        def policy(user, obj):
            seen.append((user, obj))
            return user == "ada"

        assert access("profile", "ada", require=policy) == "profile"
        with pytest.raises(PermissionDenied, match="Not yours to edit."):
            access("profile", "oscar", require=policy, message="Not yours to edit.")
        assert seen == [("ada", "profile"), ("oscar", "profile")]

    @pytest.mark.django_db
    def test_get_or_404_answers_the_same_for_missing_and_out_of_scope(self):
        from tests import factories

        visible = factories.OrganisationFactory(slug="visible")
        factories.OrganisationFactory(slug="hidden")
        scope = Organisation.objects.filter(pk=visible.pk)
        assert get_or_404(scope, slug="visible") == visible
        for slug in ("hidden", "missing"):
            with pytest.raises(Http404, match="No such organisation."):
                get_or_404(scope, "No such organisation.", slug=slug)


class TestApplyServiceErrors:
    def test_field_errors_go_beside_their_field(self):
        form = _bound()
        apply_service_errors(form, ValidationError({"title": "Enter a shorter title"}))
        assert form.errors == {"title": ["Enter a shorter title"]}

    def test_service_names_are_mapped_to_form_fields(self):
        form = _bound()
        apply_service_errors(
            form,
            ValidationError({"estimated_cost_pence": "Enter a cost of £0 or more"}),
            field_map={"estimated_cost_pence": "estimated_cost"},
        )
        assert form.errors == {"estimated_cost": ["Enter a cost of £0 or more"]}

    def test_unknown_fields_and_plain_messages_go_to_the_summary(self):
        form = _bound()
        apply_service_errors(form, ValidationError({"lead": "That council is not active."}))
        apply_service_errors(form, ValidationError("This request has already been decided."))
        assert form.non_field_errors() == [
            "That council is not active.",
            "This request has already been decided.",
        ]

    def test_default_field_takes_messages_without_a_field(self):
        form = _bound()
        apply_service_errors(form, ValidationError("Say why"), default_field="note")
        assert form.errors == {"note": ["Say why"]}

    def test_run_service_returns_the_result_or_shows_the_error(self):
        form = _bound()
        assert run_service(form, lambda: 42) == (True, 42)
        assert form.errors == {}

        def refuse():
            raise ValidationError({"title": "Taken"})

        assert run_service(form, refuse) == (False, None)
        assert form.errors == {"title": ["Taken"]}


class TestErrorFrame:
    def test_frames_name_the_kind_of_error(self):
        assert error_frame(PermissionDenied("Only participants can vote.")) == {
            "type": "error",
            "code": "forbidden",
            "message": "Only participants can vote.",
        }
        assert error_frame(ValidationError({"text": "Enter some text"})) == {
            "type": "error",
            "code": "invalid",
            "errors": {"text": ["Enter some text"]},
        }
        assert error_frame(ValidationError("Voting has closed."))["errors"] == {
            "__all__": ["Voting has closed."]
        }
        assert error_frame(Http404("No such item."))["code"] == "not_found"

    def test_other_exceptions_are_not_hidden(self):
        with pytest.raises(TypeError):
            error_frame(RuntimeError("boom"))


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_core_imports_no_app():
    """Dependencies point one way: apps import core, core imports no app."""
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imported_modules(path) & APPS)
        for path in (ROOT / "core").rglob("*.py")
        if _imported_modules(path) & APPS
    }
    assert offenders == {}
