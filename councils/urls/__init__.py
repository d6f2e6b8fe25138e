"""``/councils/`` (namespace ``councils``): the directory, profiles and people,
one URL module per area. ``urls.onboarding`` is its own namespace, mounted at
``/onboarding/``.

People come before profiles so ``invitations/<token>/`` is never read as a
council's slug.
"""

from . import directory, people, profiles

app_name = "councils"

urlpatterns = [*directory.urlpatterns, *people.urlpatterns, *profiles.urlpatterns]
