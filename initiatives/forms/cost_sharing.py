"""The lead's custom cost-shares form. It checks shape (a percentage per
organisation, to two decimal places); the service checks the agreement adds
up and covers everyone sharing the cost."""

from decimal import Decimal

from django import forms
from django.core.validators import RegexValidator

from core.forms import GovukForm

# A percentage as people type one: "25", "33.34" (never "1e1" or "Infinity",
# which Decimal would otherwise accept).
PLAIN_PERCENTAGE = RegexValidator(r"^\d{1,3}(\.\d{1,2})?$", code="invalid")


class CostSharesForm(GovukForm):
    """One percentage per organisation sharing the cost (to 2 decimal places,
    so 33.34% is possible); the service receives basis points."""

    def __init__(self, *args, partnerships, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnerships = list(partnerships)
        for partnership in self.partnerships:
            points = partnership.custom_share_basis_points
            name = partnership.organisation.name
            # Messages with limits are %-formatted by Django: a literal % is %%.
            share = f"{name.replace('%', '%%')}'s share"
            self.fields[self.field_name(partnership.organisation_id)] = forms.DecimalField(
                label=f"{partnership.organisation.name} share (%)",
                min_value=Decimal("0"),
                max_value=Decimal("100"),
                max_digits=5,
                decimal_places=2,
                initial=None if points is None else Decimal(points) / 100,
                validators=[PLAIN_PERCENTAGE],
                widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
                error_messages={
                    "required": f"Enter a share for {name}",
                    "invalid": f"{name}'s share must be a percentage, like 25 or 33.34",
                    "min_value": f"{share} must be 0%% or more",
                    "max_value": f"{share} must be 100%% or less",
                    "max_decimal_places": f"{share} must have 2 decimal places or fewer",
                    "max_digits": f"{share} must be a percentage from 0 to 100",
                    "max_whole_digits": f"{share} must be a percentage from 0 to 100",
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
