"""The door kit: the few things every door (page view, API view, websocket
consumer) does the same way, so no door writes them again.

- ``require(allowed, message)`` turns a policy's answer into a refusal.
  Pages answer 403 with the message; DRF answers 403 JSON (it understands
  Django's ``PermissionDenied``); a consumer catches it and sends
  ``error_frame(exc)``.
- ``access(obj, user, require=...)`` is what an access helper ends with: the
  object was found among those the user may *see* (otherwise the helper has
  already answered 404, the same for "missing" and "not yours"); here the
  optional permission decides whether they may also *act* on it.
- ``apply_service_errors(form, exc)`` puts a service's ``ValidationError``
  on a bound form, so the GOV.UK error summary lists it beside the field.
- ``run_service(form, call)`` is the usual "call the service, or show its
  errors on the form" step of a form view.
- ``Refusal`` / ``StateRefusal`` are the reasons a policy gives for saying
  no; a door shows them (``require``: 403 with the reason) and a service
  raises them (``enforce``: ``PermissionDenied`` when the person may not,
  ``ValidationError`` when the object is not in a state where anyone could),
  so the same rule is told in the same words whichever way it is reached.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.forms.utils import pretty_name
from django.http import Http404

from core.error_messages import translate

T = TypeVar("T")
M = TypeVar("M", bound=Model)

# A policy: ``can_x(user, obj) -> bool``.
Policy = Callable[[Any, Any], bool]

DEFAULT_REFUSAL = "You do not have permission to do that."


class Refusal(str):
    """A policy's reason for refusing: this person may not (403)."""


class StateRefusal(Refusal):
    """A policy's reason for refusing that is about the object, not the person
    (a draft, a partnership already committed): nobody could do it now, so a
    service reports it as invalid input rather than as forbidden."""


def enforce(refusal: str | None) -> None:
    """What a service does with a policy's answer: nothing when allowed,
    ``ValidationError`` for a ``StateRefusal``, otherwise ``PermissionDenied``."""
    if refusal is None:
        return
    if isinstance(refusal, StateRefusal):
        raise ValidationError(str(refusal))
    raise PermissionDenied(str(refusal))


def require(allowed: bool | str | None, message: str = DEFAULT_REFUSAL) -> None:
    """Refuse unless ``allowed``.

    ``allowed`` is a policy's answer: a boolean, or a refusal reason
    (``str`` means refused, with that reason; ``None`` means allowed), so a
    door shows the same words the service would raise.
    """
    if isinstance(allowed, str):
        raise PermissionDenied(str(allowed))
    if allowed is None or allowed is True:
        return
    if not allowed:
        raise PermissionDenied(message)


# ``access`` takes the policy as ``require=``, so it needs another name for this.
_refuse_unless = require


def get_or_404(queryset: QuerySet[M], message: str = "Not found.", **lookup: Any) -> M:
    """The one row of ``queryset`` matching ``lookup``, or 404.

    ``queryset`` is already scoped to what the user may see (a selector's
    ``visible_to``), so "missing" and "not yours" answer alike.
    """
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404(message)
    return obj


def access(
    obj: T, user: Any, *, require: Policy | None = None, message: str = DEFAULT_REFUSAL
) -> T:
    """Return ``obj`` if ``require(user, obj)`` allows it (or no policy is given).

    Access helpers call this last, so a page, an API view and a consumer that
    ask for the same object with the same policy get the same answer.
    """
    if require is not None:
        _refuse_unless(require(user, obj), message)
    return obj


def apply_service_errors(
    form: forms.BaseForm,
    exc: ValidationError,
    *,
    field_map: Mapping[str, str] | None = None,
    default_field: str | None = None,
) -> None:
    """Show a service's ``ValidationError`` on ``form``.

    Field errors go beside their field (renamed through ``field_map`` where
    the service's name differs from the form's, e.g. ``estimated_cost_pence``
    → ``estimated_cost``); anything else goes to ``default_field`` or the
    error summary. A model's own message from ``full_clean`` ("This field
    cannot be blank.") is reworded for the field it lands on.
    """
    field_map = field_map or {}

    def _worded(target: str | None, messages: list[str]) -> list[str]:
        if target is None:
            return messages
        field = form.fields[target]
        label = str(field.label or pretty_name(target))
        return [translate(message, label) for message in messages]

    def _target(name: str | None) -> str | None:
        if name is None:
            return default_field if default_field in form.fields else None
        name = field_map.get(name, name)
        return name if name in form.fields else _target(None)

    if hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            target = _target(None if name == "__all__" else name)
            form.add_error(target, _worded(target, messages))
    else:
        target = _target(None)
        form.add_error(target, _worded(target, exc.messages))


def run_service(
    form: forms.BaseForm, call: Callable[[], T], **options: Any
) -> tuple[bool, T | None]:
    """Call ``call()``; on a ``ValidationError`` put it on ``form`` instead.

    Returns ``(True, result)`` on success and ``(False, None)`` when the
    service refused, so a view reads ``ok, obj = run_service(form, lambda: ...)``.
    ``options`` are passed to ``apply_service_errors``.
    """
    try:
        return True, call()
    except ValidationError as exc:
        apply_service_errors(form, exc, **options)
        return False, None


def error_frame(exc: Exception) -> dict[str, Any]:
    """A websocket error frame for a refusal or a service's validation error,
    so the live board reports bad input the way pages and the API do."""
    if isinstance(exc, PermissionDenied):
        return {"type": "error", "code": "forbidden", "message": str(exc) or DEFAULT_REFUSAL}
    if isinstance(exc, Http404):
        return {"type": "error", "code": "not_found", "message": str(exc) or "Not found."}
    if isinstance(exc, ValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return {"type": "error", "code": "invalid", "errors": errors}
    raise TypeError(f"error_frame does not know {type(exc).__name__}")
