"""Writes about organisations, one module per area (Zulip's ``actions``):
``invitations``, ``memberships``, ``onboarding``, ``profiles``."""
