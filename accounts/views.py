"""Account pages beyond allauth's: profile, personal API tokens and a
supplier's request for an organisation. Doors only: the writes live in
``accounts.services``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods, require_POST

from councils import selectors as council_selectors

from . import selectors as account_selectors
from . import services
from .forms import AccessRequestForm, ApiTokenForm, ProfileForm


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _render_profile(request, *, form=None, token_form=None, status=200):
    user = request.user
    context = {
        "form": form or ProfileForm(instance=user),
        "token_form": token_form or ApiTokenForm(),
        "membership": council_selectors.active_membership_for(user),
        "pending_memberships": council_selectors.pending_memberships_of_user(user),
        "has_totp": account_selectors.has_totp(user),
        "tokens": list(account_selectors.active_tokens_of(user)),
    }
    return render(request, "accounts/profile.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=request.user)
        if form.is_valid():
            try:
                services.update_profile(
                    user=request.user,
                    full_name=form.cleaned_data["full_name"],
                    job_title=form.cleaned_data["job_title"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, "Your details have been saved.")
                return redirect("accounts:profile")
        # A failed ModelForm has already copied bad values onto request.user.
        request.user.refresh_from_db(fields=["full_name", "job_title"])
        return _render_profile(request, form=form, status=400)
    return _render_profile(request)


@login_required
@require_POST
def token_create(request):
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            token, raw = services.create_api_token(
                user=request.user, name=form.cleaned_data["name"]
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            # Rendered, not redirected: the raw token exists only in this response.
            response = render(request, "accounts/token_created.html", {"token": token, "raw": raw})
            add_never_cache_headers(response)
            return response
    return _render_profile(request, token_form=form, status=400)


@login_required
@require_POST
def token_revoke(request, pk):
    try:
        token = services.revoke_api_token(user=request.user, pk=pk)
    except ValidationError:
        # Someone else's token and a missing one look the same.
        raise Http404("No such token.") from None
    messages.success(request, f"The token ‘{token.name}’ no longer works.")
    return redirect("accounts:profile")


@login_required
@require_http_methods(["GET", "POST"])
def request_access(request):
    user = request.user
    if council_selectors.active_membership_for(user) is not None:
        messages.info(request, "You already belong to an organisation.")
        return redirect("home")
    pending = services.pending_access_request_for(user)
    if pending is not None:
        return render(request, "accounts/request_access_pending.html", {"access_request": pending})
    form = AccessRequestForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.request_access(
                    user=user,
                    organisation_name=form.cleaned_data["organisation_name"],
                    kind=form.cleaned_data["kind"],
                    website=form.cleaned_data["website"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request, "We have sent your request to the platform team. We will e-mail you."
                )
                return redirect("accounts:request_access")
        return render(request, "accounts/request_access.html", {"form": form}, status=400)
    return render(request, "accounts/request_access.html", {"form": form})
