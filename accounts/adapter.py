"""allauth adapter: where account flows meet the platform's tenancy rules."""

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    pass
