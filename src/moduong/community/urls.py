from django.urls import path

from . import views

app_name = "community"

urlpatterns = [
    path("giao-luu/<int:exchange_id>/moi/", views.answers_poll, name="answers_poll"),
]
