"""Account pages beyond allauth's: profile and personal API tokens. Doors
only: the writes live in ``accounts.services``.

The profile page shows the person's organisation through the organisations
app's ``membership_summary`` template tag: accounts (identity) knows nothing
of organisations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods, require_POST

from core.doors import run_service

from . import selectors, services
from .forms import ApiTokenForm, ProfileForm


def _render_profile(request, *, form=None, token_form=None, status=200):
    user = request.user
    context = {
        "form": form or ProfileForm(instance=user),
        "token_form": token_form or ApiTokenForm(),
        "has_totp": selectors.has_totp(user),
        "tokens": list(selectors.active_tokens_of(user)),
    }
    return render(request, "accounts/profile.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=request.user)
        if form.is_valid():
            ok, _user = run_service(
                form,
                lambda: services.update_profile(
                    user=request.user,
                    full_name=form.cleaned_data["full_name"],
                    job_title=form.cleaned_data["job_title"],
                ),
            )
            if ok:
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
        ok, created = run_service(
            form,
            lambda: services.create_api_token(user=request.user, name=form.cleaned_data["name"]),
        )
        if ok:
            token, raw = created
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
