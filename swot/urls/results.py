"""Actions, TOWS strategies, draft initiatives, summary and exports.

The actions phase's changes (actions, strategies, draft initiatives) are
board operations, sent to the board's own doors (``urls.board``); these
are the pages around them."""

from django.urls import path

from ..views import results as views

urlpatterns = [
    path("<int:pk>/summary/", views.summary, name="summary"),
    path("<int:pk>/summary.csv", views.summary_csv, name="summary_csv"),
    path("<int:pk>/summary.md", views.summary_md, name="summary_md"),
    path("<int:pk>/summary/share", views.share, name="share_results"),
    path("<int:pk>/suggestions/ignore", views.ignore_suggestion, name="ignore_suggestion"),
]
