"""DRF authentication with personal API tokens (``Authorization: Token <raw>``)."""

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from core.tokens import hash_token

from .models import ApiToken

TOKEN_CACHE_ATTR = "_personal_token_lookup"


class PersonalTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Invalid token header.")
        try:
            raw = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed("Invalid token header.")
        # The two-factor middleware may already have looked this token up for
        # this request: reuse its answer rather than query again.
        django_request = getattr(request, "_request", request)
        cached = getattr(django_request, TOKEN_CACHE_ATTR, None)
        if cached is not None and cached[0] == raw:
            token = cached[1]
        else:
            token = (
                ApiToken.objects.select_related("user")
                .filter(token_hash=hash_token(raw), revoked_at__isnull=True)
                .first()
            )
            setattr(django_request, TOKEN_CACHE_ATTR, (raw, token))
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Invalid or revoked token.")
        now = timezone.now()
        # Touch at most once a minute to keep reads cheap.
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return (token.user, token)

    def authenticate_header(self, request):
        return self.keyword


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.api_auth.PersonalTokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Personal API token, sent as `Token <token>`.",
        }
