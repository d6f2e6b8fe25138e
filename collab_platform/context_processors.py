"""Template context every page needs: the site name and the user's membership."""

from django.conf import settings


def platform(request):
    membership = None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from councils.selectors.people import active_membership_for

        membership = active_membership_for(user)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "current_membership": membership,
        "current_organisation": membership.organisation if membership else None,
    }
