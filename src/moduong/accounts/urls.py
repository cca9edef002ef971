from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("ho-so/", views.profile, name="profile"),
    path("ho-so/du-lieu.json", views.data_export, name="data_export"),
    path("ho-so/xoa-tai-khoan/", views.account_delete, name="delete"),
]
