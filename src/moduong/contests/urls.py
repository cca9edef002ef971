from django.urls import path

from . import views

app_name = "contests"

urlpatterns = [
    path("", views.contest_list, name="list"),
    path("bai-thi/<int:attempt_id>/", views.attempt_page, name="attempt"),
    path("bai-thi/<int:attempt_id>/ket-qua/", views.attempt_result, name="result"),
    path("bai-thi/<int:attempt_id>/chung-nhan.pdf", views.certificate, name="certificate"),
    path("chung-nhan/", views.certificate_lookup, name="certificate_lookup"),
    path("chung-nhan/<str:code>/", views.certificate_verify, name="certificate_verify"),
    path("<slug:slug>/", views.contest_detail, name="detail"),
    path("<slug:slug>/dang-ky/", views.register, name="register"),
    path("<slug:slug>/bai-thi-cua-toi/", views.my_attempts, name="my_attempts"),
    path("<slug:slug>/vong-<int:number>/bat-dau/", views.round_start, name="start"),
    path("<slug:slug>/vong-<int:number>/giai-thuong/", views.round_winners, name="winners"),
]
