"""Initiative pages, assembled from one URL module per area (the same names
as the views). Every name lives in the ``initiatives`` namespace."""

from django.urls import include, path

from . import catalogue, cost_sharing, discussion, follows, initiative, moderation, partnerships

app_name = "initiatives"

# Pages about one initiative, relative to its page.
ONE_INITIATIVE = "initiatives/<slug:slug>/"

urlpatterns = [
    # The catalogue's fixed paths (initiatives/similar/ ...) come before the
    # initiative page's <slug>, so no slug can shadow them.
    path("", include(catalogue)),
    path("", include(initiative)),
    path(ONE_INITIATIVE, include(partnerships)),
    path(ONE_INITIATIVE, include(follows)),
    path(ONE_INITIATIVE, include(discussion)),
    path(ONE_INITIATIVE, include(cost_sharing)),
    path(ONE_INITIATIVE, include(moderation.comment_urlpatterns)),
    path("moderation/", include(moderation)),
]
