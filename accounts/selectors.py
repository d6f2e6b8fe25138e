"""Reads about a person's own account: two-factor status and API tokens."""

from django.db.models import QuerySet

from .models import ApiToken, User


def has_totp(user) -> bool:
    """Whether ``user`` has enrolled an authenticator app (allauth.mfa TOTP)."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def active_tokens_of(user) -> QuerySet[ApiToken]:
    """The user's personal API tokens that still authenticate, newest first."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by("-created_at")


def staff_addresses() -> list[str]:
    """Who hears about what only the platform team decides (access requests,
    flagged comments): active platform admins."""
    return list(
        User.objects.filter(is_staff=True, is_active=True)
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
    )
