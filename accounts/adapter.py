"""allauth adapter: where account flows meet the platform's tenancy rules."""

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        """Keep the name given at sign-up (the signup form's ``signup`` hook
        also sets it; doing it here too means it is saved in one write)."""
        data = getattr(form, "cleaned_data", {}) or {}
        if data.get("full_name"):
            user.full_name = data["full_name"].strip()
        if data.get("job_title"):
            user.job_title = data["job_title"].strip()
        return super().save_user(request, user, form, commit=commit)
