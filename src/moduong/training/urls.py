from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("ho-so-cua-toi/", views.my_record, name="my_record"),
    path("chung-nhan/<int:number>.pdf", views.certificate_download, name="certificate"),
    path("xac-minh/", views.verify, name="verify"),
    path("diem-danh/<str:code>/", views.checkin_page, name="checkin"),
    path("buoi/<int:session_id>/diem-danh/", views.attendance_sheet, name="attendance"),
    path("buoi/<int:session_id>/ma-qr/", views.qr_screen, name="qr_screen"),
    path("buoi/<int:session_id>/ma-qr.svg", views.qr_image, name="qr_image"),
]
