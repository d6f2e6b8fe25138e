"""The form for a message to an initiative's key contact."""

from django import forms

from core.forms import GovukForm

from ..services.contact import MESSAGE_MAX


class KeyContactMessageForm(GovukForm):
    message = forms.CharField(
        label="Your message",
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Say what your council is working on and what you would like to ask.",
        error_messages={
            "required": "Enter your message",
            "max_length": f"Message must be {MESSAGE_MAX:,} characters or fewer",
        },
    )
