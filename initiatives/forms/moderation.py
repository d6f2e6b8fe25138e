"""The form for flagging a comment to the platform admins (shape only)."""

from django import forms


class FlagForm(forms.Form):
    reason = forms.CharField(
        label="What is wrong with this comment?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: abusive, personal information, spam. Platform admins will read it.",
        error_messages={"required": "Tell us what is wrong with this comment."},
    )
