"""Writes about a person's own account: profile and personal API tokens.

Tokens are personal, not an organisation's, so their activity is recorded
without one (accounts knows nothing of organisations)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.tokens import hash_token
from notifications.outbox import notify

from .models import ApiToken, User

MAX_ACTIVE_TOKENS = 20


def update_profile(*, user: User, full_name: str, job_title: str) -> User:
    """People are approved and credited by name, so keep it current."""
    user.full_name = full_name.strip()
    user.job_title = job_title.strip()
    user.full_clean(validate_unique=False)
    user.save(update_fields=["full_name", "job_title"])
    return user


def create_api_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Issue a personal API token. Returns the token row and the raw value.

    The raw value is shown once to its owner and never stored: only its
    SHA-256 hash (to authenticate) and a short prefix (to recognise it).
    """
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Enter a name for the token"})
    with transaction.atomic():
        # Lock the user's row so two quick submissions cannot pass the cap together.
        User.objects.select_for_update().filter(pk=user.pk).first()
        active = ApiToken.objects.filter(user=user, revoked_at__isnull=True).count()
        if active >= MAX_ACTIVE_TOKENS:
            raise ValidationError(
                {"name": f"You can have up to {MAX_ACTIVE_TOKENS} tokens. Revoke one first."}
            )
        raw = ApiToken.generate_raw()
        token = ApiToken(
            user=user,
            name=name,
            prefix=raw[: ApiToken.PREFIX_LENGTH],
            token_hash=hash_token(raw),
        )
        token.full_clean()
        token.save()
        notify(
            verb="api_token.created",
            actor=user,
            target=token,
            summary=f"{user.email} created API token ‘{name}’",
        )
    return token, raw


def revoke_api_token(*, user: User, pk: int) -> ApiToken:
    """Stop a token working at once (kept, revoked, for the record)."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(user=user, pk=pk).first()
        if token is None:
            raise ValidationError("That token does not exist.")
        if token.revoked_at is not None:
            return token
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        notify(
            verb="api_token.revoked",
            actor=user,
            target=token,
            summary=f"{user.email} revoked API token ‘{token.name}’",
        )
    return token
