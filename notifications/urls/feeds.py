"""Feed pages ("See all activity"): ``/activity/`` (namespace ``feeds``)."""

from django.urls import path

from ..views import feeds

app_name = "feeds"

urlpatterns = [
    path("", feeds.dashboard_activity, name="dashboard"),
    path("initiatives/<slug:slug>/", feeds.initiative_activity, name="initiative"),
    path("councils/<slug:slug>/", feeds.council_activity, name="council"),
]
