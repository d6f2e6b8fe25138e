"""Writes about organisations, one module per area (Zulip's ``actions``):
``people`` (memberships and invitations), ``onboarding`` (authorities,
e-mail domains, access requests) and ``profiles``."""
