"""GOV.UK Frontend form rendering and small presentation helpers.

``{% govuk_field form.name %}`` renders a bound field as the matching GOV.UK
component (input, textarea, select, radios, checkboxes, date) with its label,
hint and error message; ``{% govuk_error_summary form %}`` renders the error
summary that must head every form with errors.

``|govuk_date``, ``|govuk_time`` and ``|govuk_datetime`` write dates and
times the GOV.UK way in UK time ("2 December 2026 at 5:48am", see
``core.dates``); pages and e-mails use them instead of ``|date:``, which is
kept only for machine-readable ``<time datetime>`` attributes.
"""

from django import forms, template
from django.template.loader import render_to_string

from core import dates
from core.markdown import render_markdown

register = template.Library()


def _component(field) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select | forms.SelectMultiple):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    return "input"


# A textarea with a limit a person might reach shows GOV.UK's character count
# ("You have 20 characters remaining"); far higher limits are only a guard
# against abuse, and counting them would be noise. The server's max_length
# stays the rule: the count only helps.
CHARACTER_COUNT_UP_TO = 5000


def character_limit(field) -> int | None:
    """The limit a textarea's character count shows, or None for no count."""
    limit = getattr(field.field, "max_length", None)
    if _component(field) == "textarea" and limit and limit <= CHARACTER_COUNT_UP_TO:
        return int(limit)
    return None


@register.simple_tag
def govuk_field(field, label_size: str = "", classes: str = "", heading: bool = False):
    """Render one bound field as a GOV.UK component (a textarea with a
    reachable ``max_length`` as a character count)."""
    component = _component(field)
    widget = field.field.widget
    input_type = getattr(widget, "input_type", "text")
    limit = character_limit(field)
    return render_to_string(
        "includes/govuk_field.html",
        {
            "field": field,
            "component": component,
            "input_type": input_type,
            "label_size": label_size,
            "classes": classes,
            "heading": heading,
            "error": field.errors[0] if field.errors else "",
            "maxlength": limit,
            "maxlength_text": f"{limit:,}" if limit else "",
            "describedby": " ".join(
                part
                for part in (
                    f"{field.auto_id}-info" if limit else "",
                    f"{field.auto_id}-hint" if field.help_text else "",
                    f"{field.auto_id}-error" if field.errors else "",
                )
                if part
            ),
        },
    )


@register.inclusion_tag("includes/govuk_error_summary.html")
def govuk_error_summary(*forms_):
    """Error summary for one or more forms (links go to the first field in error)."""
    errors = []
    for form in forms_:
        if form is None or not form.is_bound:
            continue
        for message in form.non_field_errors():
            errors.append({"href": "#main-content", "text": message})
        for field in form:
            # Radios and checkboxes have no element with the field's own id:
            # GOV.UK links the summary to the first option instead.
            anchor = field.auto_id
            if _component(field) in ("radios", "checkboxes"):
                anchor = f"{field.auto_id}_0"
            for message in field.errors:
                errors.append({"href": f"#{anchor}", "text": message})
    return {"errors": errors}


@register.filter
def markdown(text):
    """Render user Markdown as sanitised HTML."""
    return render_markdown(text)


@register.filter
def govuk_date(value):
    """2 December 2026 (a datetime's day in the UK)."""
    return dates.govuk_date(value)


@register.filter
def govuk_month(value):
    """March 2027."""
    return dates.govuk_month(value)


@register.filter
def govuk_time(value):
    """5:48am, 5pm, midday, midnight (UK time)."""
    return dates.govuk_time(value)


@register.filter
def govuk_datetime(value):
    """2 December 2026 at 5:48am (UK time)."""
    return dates.govuk_datetime(value)


@register.filter
def iso_date(value):
    """2027-03-31: for machines (a ``<time datetime>``, a date input's value),
    never for people to read."""
    return value.isoformat() if value else ""


@register.filter
def pence(value):
    """Format whole pence as pounds: 123456 -> £1,234.56 (whole pounds drop the .00)."""
    if value is None or value == "":
        return ""
    value = int(value)
    sign = "-" if value < 0 else ""
    pounds, p = divmod(abs(value), 100)
    return f"{sign}£{pounds:,}" if p == 0 else f"{sign}£{pounds:,}.{p:02d}"


@register.simple_tag(takes_context=True)
def querystring_replace(context, **kwargs):
    """The current query string with some parameters replaced (pagination, sorting)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag
def govuk_page_links(page):
    """Page numbers for GOV.UK pagination: first, last and the current page's
    neighbours, with None where an ellipsis goes (a constant-size list however
    many pages there are)."""
    paginator = page.paginator
    return [
        None if number == paginator.ELLIPSIS else number
        for number in paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    ]


@register.filter
def absolute(value) -> str:
    """A link for an e-mail: an object's ``get_absolute_url()`` (or a path)
    on ``SITE_URL``, never a request's host."""
    from core import site

    path = value.get_absolute_url() if hasattr(value, "get_absolute_url") else str(value)
    return site.absolute_url(path)
