"""/api/v1/ initiative endpoints, assembled from one module per area (the
same names as the other layers)."""

from . import cost_sharing, discussion, follows, initiative, moderation, partnerships

urlpatterns = [
    *initiative.urlpatterns,
    *partnerships.urlpatterns,
    *follows.urlpatterns,
    *discussion.urlpatterns,
    *moderation.urlpatterns,
    *cost_sharing.urlpatterns,
]
