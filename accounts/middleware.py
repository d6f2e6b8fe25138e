"""Staff and council admins must enrol in two-factor authentication (TOTP)
before they reach any admin page or action.

Admin surfaces are named by path patterns in ``settings.MFA_REQUIRED_PATHS``
so every door (pages, Django admin, API) is covered by one rule.
"""

import re

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse


def user_needs_mfa(user) -> bool:
    """Staff and council admins are privileged and need MFA."""
    from councils.policies import is_council_admin

    if not user.is_authenticated:
        return False
    return bool(user.is_staff or is_council_admin(user))


def user_has_mfa(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class RequireMFAForPrivilegedMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.patterns = [re.compile(p) for p in getattr(settings, "MFA_REQUIRED_PATHS", [])]

    def __call__(self, request):
        path = request.path_info
        if (
            any(p.match(path) for p in self.patterns)
            and user_needs_mfa(request.user)
            and not user_has_mfa(request.user)
        ):
            if path.startswith("/api/"):
                from django.http import JsonResponse

                return JsonResponse(
                    {"detail": "Set up two-factor authentication before using admin actions."},
                    status=403,
                )
            messages.warning(
                request,
                "You need to set up two-factor authentication before you can use admin pages.",
            )
            return redirect(f"{reverse('mfa_activate_totp')}?next={path}")
        return self.get_response(request)
