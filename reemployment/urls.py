"""URL map: Wagtail admin, the REST API (/api/v1/), self-service, then Wagtail pages."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms.views import PortalLoginView


def _superusers_only(request) -> bool:
    # Django's admin is for superusers only (staff work in Wagtail's admin): is_staff alone is not enough.
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _superusers_only

api_v1 = [
    path("", include("reemployment.core.api_urls")),
    path("", include("benefits.api_urls")),
    path("", include("benefits.payroll.api_urls")),
    path("", include("benefits.integrity.api_urls")),
    path("", include("benefits.checks.api_urls")),
    path("", include("jobs.api_urls")),
    path("", include("training.api_urls")),
    path("", include("notifications.api_urls")),
    path("", include("cms.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", include(api_v1)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", PortalLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Public pages: Chinese at /, English under /en/.
urlpatterns += i18n_patterns(
    path("me/benefit/", include("benefits.urls")),
    path("me/jobs/", include("jobs.urls")),
    path("me/training/", include("training.urls")),
    path("me/notifications/", include("notifications.urls")),
    path("me/", include("cms.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
