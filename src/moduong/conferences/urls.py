from django.urls import path

from . import views

app_name = "conferences"

urlpatterns = [
    path("", views.conference_list, name="list"),
    path("diem-cau/<str:token>/", views.point_report, name="report"),
    path("<slug:slug>/", views.conference_detail, name="detail"),
]
