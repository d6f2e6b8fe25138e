"""The form for flagging a comment to the platform admins (shape only)."""

from django import forms

from core.forms import GovukForm


class FlagForm(GovukForm):
    reason = forms.CharField(
        label="What is wrong with this comment?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: abusive, personal information, spam. Platform admins will read it.",
        error_messages={
            "required": "Tell us what is wrong with this comment",
            "max_length": "What is wrong with this comment must be 500 characters or fewer",
        },
    )
