"""Forms for updates, comments, flags and custom cost shares. They check
shape only; the services check the rules."""

from decimal import Decimal

from django import forms


class UpdateForm(forms.Form):
    title = forms.CharField(
        max_length=200,
        error_messages={"required": "Enter a title for the update."},
    )
    body = forms.CharField(
        label="Update",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What has happened, and what happens next. You can use Markdown.",
        error_messages={"required": "Enter the update."},
    )

    def __init__(self, *args, **kwargs):
        # Ids distinct from the comment form's: both sit on the initiative page.
        kwargs.setdefault("auto_id", "update-%s")
        super().__init__(*args, **kwargs)


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="You can use Markdown. You can edit your comment for 15 minutes.",
        error_messages={"required": "Enter your comment."},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "comment-%s")
        super().__init__(*args, **kwargs)


class FlagForm(forms.Form):
    reason = forms.CharField(
        label="What is wrong with this comment?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: abusive, personal information, spam. Platform admins will read it.",
        error_messages={"required": "Tell us what is wrong with this comment."},
    )


class CostSharesForm(forms.Form):
    """One percentage per organisation sharing the cost (to 2 decimal places,
    so 33.34% is possible); the service receives basis points."""

    def __init__(self, *args, partnerships, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnerships = list(partnerships)
        for partnership in self.partnerships:
            points = partnership.custom_share_basis_points
            self.fields[self.field_name(partnership.organisation_id)] = forms.DecimalField(
                label=f"{partnership.organisation.name} share (%)",
                min_value=Decimal("0"),
                max_value=Decimal("100"),
                max_digits=5,
                decimal_places=2,
                initial=None if points is None else Decimal(points) / 100,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
                error_messages={
                    "required": f"Enter a share for {partnership.organisation.name}.",
                    "invalid": "Enter a percentage, like 25 or 33.34.",
                    "min_value": "A share cannot be less than 0%%.",
                    "max_value": "A share cannot be more than 100%%.",
                    "max_decimal_places": "Use at most 2 decimal places.",
                    "max_digits": "Enter a percentage between 0 and 100.",
                },
            )

    @staticmethod
    def field_name(organisation_id: int) -> str:
        return f"share_{organisation_id}"

    def basis_points(self) -> dict[int, int]:
        return {
            p.organisation_id: int(self.cleaned_data[self.field_name(p.organisation_id)] * 100)
            for p in self.partnerships
        }
