"""Secrets handed to people (API tokens, invitation links) are stored only as
digests, so a database leak reveals nothing usable. One hashing rule for all
of them, so a lookup and the row it looks for always agree."""

import hashlib
import secrets


def hash_token(raw: str) -> str:
    """The SHA-256 hex digest stored in place of ``raw``."""
    return hashlib.sha256(raw.encode()).hexdigest()


def generate_token(prefix: str = "", nbytes: int = 32) -> str:
    """A new URL-safe random secret, optionally with a recognisable prefix."""
    return prefix + secrets.token_urlsafe(nbytes)
