from django.urls import path

from . import views

app_name = "awards"

urlpatterns = [
    path("", views.award_list, name="list"),
    path("cham-diem/", views.judge_home, name="judge"),
    path("cham-diem/<int:assignment_id>/", views.judge_sheet, name="sheet"),
    path(
        "cham-diem/<int:assignment_id>/tieu-chi-<int:criterion_id>/",
        views.judge_score_save,
        name="score_save",
    ),
    path("cham-diem/<int:assignment_id>/hoi-ti/", views.judge_conflict, name="conflict"),
    path("tac-pham/<int:entry_id>/sua/", views.entry_edit, name="entry_edit"),
    path("tep/<int:file_id>/", views.entry_file, name="file"),
    path("xac-minh/", views.verify, name="verify"),
    path("chung-nhan/<str:code>.pdf", views.certificate, name="certificate"),
    path("<slug:slug>/", views.award_detail, name="detail"),
    path("<slug:slug>/gui-tac-pham/", views.entry_new, name="entry_new"),
    path("<slug:slug>/tac-pham-cua-toi/", views.my_entries, name="my_entries"),
    path("<slug:slug>/ket-qua/", views.results, name="results"),
]
