"""The "Email notifications" form: the person's digest schedule, its topics
and the immediate e-mails, each a switch of ``NotificationSettings``.

The form only parses and checks choices; ``preferences.update_settings`` is
the one place the row changes (and the next digest is rescheduled). Switches
a person is not shown (the admins-only ones, to an officer) are left out of
the changes, so saving the form never turns them off behind their back.
"""

from __future__ import annotations

from typing import Any

from django import forms

from core.forms import GovukForm

from .models import DigestFrequency, NotificationSettings, Weekday

TOPICS = (
    "topic_my_council",
    "topic_following",
    "topic_new_matching",
    "topic_workshops",
    "topic_approvals",
)
IMMEDIATE = (
    "immediate_workshop_invitations",
    "immediate_signoff_requests",
    "immediate_membership_decisions",
    "immediate_partnership_decisions",
)
# Only council admins approve members and sign off partnerships.
ADMIN_ONLY = frozenset({"topic_approvals", "immediate_signoff_requests"})
HOURS = [(hour, f"{hour:02d}:00") for hour in range(24)]


def _label(name: str) -> str:
    label = str(NotificationSettings._meta.get_field(name).verbose_name)
    return label.removesuffix(" (council admins)")


class NotificationSettingsForm(GovukForm):
    digest_frequency = forms.ChoiceField(
        label="How often do you want a digest?",
        choices=DigestFrequency.choices,
        widget=forms.RadioSelect,
        help_text="A digest is one e-mail about what happened since the last one.",
    )
    digest_weekday = forms.TypedChoiceField(
        label="Day",
        choices=Weekday.choices,
        coerce=int,
        help_text="For a weekly digest.",
    )
    digest_hour = forms.TypedChoiceField(
        label="Time",
        choices=HOURS,
        coerce=int,
        help_text="UK time.",
    )
    topics = forms.MultipleChoiceField(
        label="What should your digest include?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
    )
    immediate = forms.MultipleChoiceField(
        label="Which e-mails do you want as soon as they happen?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply. Invitations to join an organisation are always sent.",
    )

    def __init__(self, *args: Any, is_admin: bool, row: NotificationSettings, **kwargs: Any):
        kwargs.setdefault(
            "initial",
            {
                "digest_frequency": row.digest_frequency,
                "digest_weekday": row.digest_weekday,
                "digest_hour": row.digest_hour,
                "topics": [name for name in TOPICS if getattr(row, name)],
                "immediate": [name for name in IMMEDIATE if getattr(row, name)],
            },
        )
        super().__init__(*args, **kwargs)
        self.shown = {name for name in (*TOPICS, *IMMEDIATE) if is_admin or name not in ADMIN_ONLY}
        self.fields["topics"].choices = [(n, _label(n)) for n in TOPICS if n in self.shown]
        self.fields["immediate"].choices = [(n, _label(n)) for n in IMMEDIATE if n in self.shown]

    def changes(self) -> dict[str, Any]:
        """The settings as ``update_settings`` takes them (shown switches only)."""
        data = self.cleaned_data
        chosen = set(data["topics"]) | set(data["immediate"])
        changes: dict[str, Any] = {
            "digest_frequency": data["digest_frequency"],
            "digest_weekday": data["digest_weekday"],
            "digest_hour": data["digest_hour"],
        }
        for name in (*TOPICS, *IMMEDIATE):
            if name in self.shown:
                changes[name] = name in chosen
        return changes
