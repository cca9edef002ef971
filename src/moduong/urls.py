from django.conf import settings
from django.urls import include, path, re_path
from django.views.generic import TemplateView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from moduong.accounts import views as account_views
from moduong.api import api
from moduong.core import views as core_views
from moduong.news.sitemaps import PageSitemap
from moduong.search import views as search_views

handler400 = "moduong.core.views.bad_request"
handler403 = "moduong.core.views.permission_denied"
handler404 = "moduong.core.views.page_not_found"
handler500 = "moduong.core.views.server_error"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    # Early: an app's saves and submits in a contest rush are resolved before anything else.
    path("api/v1/", api.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("tai-lieu/", include(wagtaildocs_urls)),
    path("tai-khoan/signup/", account_views.signup, name="account_signup"),
    path("tai-khoan/", include("allauth.urls")),
    path("tai-khoan/", include("moduong.accounts.urls")),
    path("captcha/", include("captcha.urls")),
    path("tim-kiem/", search_views.search, name="search"),
    path("cuoc-thi/", include("moduong.contests.urls")),
    path("lop-boi-duong/", include("moduong.training.urls")),
    path("giai-bao-chi/", include("moduong.awards.urls")),
    path("hoi-nghi/", include("moduong.conferences.urls")),
    path("", include("moduong.news.urls")),
    path("", include("moduong.community.urls")),
    path("", include("moduong.library.urls")),
    path("", include("moduong.bulletins.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": PageSitemap}}),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="core/robots.txt", content_type="text/plain"),
    ),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
else:
    from django.views.static import serve

    # The embedded site serves its own image and video files; behind nginx this is nginx's job
    # (and only nginx answers the range requests with which a player seeks in a video). Documents
    # are never served from here: they go through Wagtail's view, as attachments. Nor are the
    # originals of images (an album may forbid downloading them: its view checks, core.files);
    # pages show renditions only.
    urlpatterns += [
        re_path(
            r"^media/(?P<path>(?:images|videos)/[^/]+)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

urlpatterns += [path("", include(wagtail_urls))]
