"""Root URL configuration: one include per app, plus health checks and API docs."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from accounts import signup as account_signup
from accounts.urls import urlpatterns as account_urlpatterns
from core import health
from core.api import ApiDocsView
from core.api_reference import api_reference
from councils.urls.onboarding import access_request_urlpatterns

from . import views

# The Django admin signs people in through allauth (second factor, rate limits),
# never through its own password-only form.
# (Set before admin.site.urls builds its URL patterns below.)
admin.site.login = secure_admin_login(admin.site.login)

# ``accounts:`` is the person's own pages: accounts' (profile, tokens) and the
# request for an organisation, which councils owns (accounts knows no organisations).
accounts_namespace = ([*account_urlpatterns, *access_request_urlpatterns], "accounts")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("accounts/", include(accounts_namespace)),
    # allauth's sign-up, locking an address already proved (an invitation link).
    path("accounts/signup/", account_signup.signup, name="account_signup"),
    path("accounts/", include("allauth.urls")),
    path("councils/", include("councils.urls")),
    path("onboarding/", include("councils.urls.onboarding")),
    path("", include("initiatives.urls")),
    path("workshops/", include("swot.urls")),
    path("notifications/", include("notifications.urls")),
    path("staff/digests/", include("notifications.urls.digests")),
    path("activity/", include("notifications.urls.feeds")),
    path("api/v1/", include("collab_platform.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/reference/", api_reference, name="api-reference"),
    path("api/docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("django-admin/", admin.site.urls),
]

handler403 = "collab_platform.views.permission_denied"
handler404 = "collab_platform.views.page_not_found"
handler500 = "collab_platform.views.server_error"
