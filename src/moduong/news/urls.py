from django.urls import path

from . import views

app_name = "news"

urlpatterns = [
    path("chu-de/<slug:slug>/", views.topic_detail, name="topic"),
    path("luu-tru/<int:year>/<int:month>/", views.archive_month, name="archive"),
    path("rss.xml", views.site_rss, name="rss"),
    path("atom.xml", views.site_atom, name="atom"),
]
