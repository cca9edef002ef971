from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("ho-so-cua-toi/", views.my_record, name="my_record"),
    path("chung-nhan/<int:number>.pdf", views.certificate_download, name="certificate"),
    path("xac-minh/", views.verify, name="verify"),
    path("diem-danh/<str:code>/", views.checkin_page, name="checkin"),
    # A session is named by its class's code and its place in the class: what a teacher reads
    # on the timetable ("lớp sc-2026-01, buổi 3").
    path("lop/<slug:code>/buoi/<int:number>/diem-danh/", views.attendance_sheet, name="attendance"),
    path("lop/<slug:code>/buoi/<int:number>/ma-qr/", views.qr_screen, name="qr_screen"),
    path("lop/<slug:code>/buoi/<int:number>/ma-qr.svg", views.qr_image, name="qr_image"),
]
