"""Partnership pages, relative to ``initiatives/<slug>/``."""

from django.urls import path

from ..views import partnerships as views

urlpatterns = [
    path("interest/", views.express_interest, name="express_interest"),
    path("partners/<int:pk>/commit/", views.commit, name="commit"),
    path("partners/<int:pk>/accept/", views.accept, name="accept"),
    path("partners/<int:pk>/decline/", views.decline, name="decline"),
    path("partners/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("partners/invite/", views.invite_partner, name="invite_partner"),
    path("lead/", views.hand_over_lead, name="hand_over_lead"),
]
