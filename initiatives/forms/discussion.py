"""Forms for updates and comments. They check shape only; the services
check the rules."""

from django import forms

from core.forms import GovukForm


class UpdateForm(GovukForm):
    title = forms.CharField(
        max_length=200,
        error_messages={"required": "Enter a title for the update"},
    )
    body = forms.CharField(
        label="Update",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What has happened, and what happens next. You can use Markdown.",
        error_messages={"required": "Enter the update"},
    )

    def __init__(self, *args, **kwargs):
        # Ids distinct from the comment form's: both sit on the initiative page.
        kwargs.setdefault("auto_id", "update-%s")
        super().__init__(*args, **kwargs)


class CommentForm(GovukForm):
    body = forms.CharField(
        label="Comment",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="You can use Markdown. You can edit your comment for 15 minutes.",
        error_messages={"required": "Enter your comment"},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "comment-%s")
        super().__init__(*args, **kwargs)
