"""The REST API door, one module per area: ``directory`` (organisations),
``profiles`` (the parts of a profile, nested under their organisation) and
``people`` (``/api/v1/me/``). Each module has its own ``urlpatterns``; this
package root joins them for ``collab_platform.api_urls``."""

from . import directory, people, profiles

urlpatterns = [*people.urlpatterns, *directory.urlpatterns, *profiles.urlpatterns]
