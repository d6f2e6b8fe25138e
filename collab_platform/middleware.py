"""Staff and council admins must enrol in two-factor authentication (TOTP)
before they reach any admin page or action.

The rule follows the role, not a list of admin pages: until a privileged user
has enrolled, every path except ``settings.MFA_EXEMPT_PATHS`` (account and
two-factor pages, health checks, static files) sends them to enrol, so no
admin action can be forgotten. Every door is covered: pages, the Django admin
(whose own login form is replaced by allauth's, with its second factor and
rate limits, in ``collab_platform.urls``) and the API, including calls made
with a personal token.

It lives in ``collab_platform`` because it joins two apps: who must enrol is
a council rule (``councils.policies.user_needs_mfa``, the role), whether they
have is identity (``accounts.selectors.has_totp``).
"""

import re
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from rest_framework.exceptions import AuthenticationFailed

from accounts.api_auth import PersonalTokenAuthentication
from accounts.selectors import has_totp
from councils.policies import user_needs_mfa

API_PREFIX = "/api/"
MFA_NEXT_SESSION_KEY = "mfa_next"


def _api_token_user(request):
    """The owner of a valid personal API token on the request, if any.

    DRF authenticates tokens inside the view, after middleware, so the rule
    asks the same authentication class here. A bad token is left for DRF to
    answer with 401.
    """
    try:
        result = PersonalTokenAuthentication().authenticate(request)
    except AuthenticationFailed:
        return None
    return result[0] if result else None


class RequireMFAForPrivilegedMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.exempt = [re.compile(p) for p in getattr(settings, "MFA_EXEMPT_PATHS", [])]

    def __call__(self, request):
        path = request.path_info
        if any(p.match(path) for p in self.exempt):
            return self.get_response(request)
        is_api = path.startswith(API_PREFIX)
        user = request.user
        if is_api:
            # The identity DRF will act as: a valid token wins over the session
            # (PersonalTokenAuthentication comes first), so the rule is checked
            # against the token's owner even when a session cookie is sent too.
            user = _api_token_user(request) or user
        if user_needs_mfa(user) and not has_totp(user):
            if is_api:
                return JsonResponse(
                    {"detail": "Set up two-factor authentication before using admin actions."},
                    status=403,
                )
            messages.warning(
                request,
                "You need to set up two-factor authentication before you can use admin pages.",
            )
            next_url = path if request.method != "GET" else request.get_full_path()
            if not url_has_allowed_host_and_scheme(
                next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                # "//evil.example/" is a path to Django but another site to a browser.
                next_url = "/"
            # allauth's activation ignores ?next=; the recovery codes page shown
            # after activation offers this as "Continue" instead.
            request.session[MFA_NEXT_SESSION_KEY] = next_url
            return redirect(f"{reverse('mfa_activate_totp')}?{urlencode({'next': next_url})}")
        return self.get_response(request)
