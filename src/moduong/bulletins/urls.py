from django.urls import path, re_path

from . import views

urlpatterns = [
    # Everything after /q/ is taken (slashes, dots, 2,000 characters): anything that is not a
    # code gets the Vietnamese page, never Django's resolver error.
    re_path(r"^q/(?P<code>.*)$", views.qr_redirect, name="bulletins_qr"),
    path("ban-tin/xac-nhan/<str:signed>/", views.confirm, name="bulletins_confirm"),
    path("ban-tin/huy-dang-ky/<str:token>/", views.unsubscribe, name="bulletins_unsubscribe"),
]
