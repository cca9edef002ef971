"""The centres' admin: centres, programmes, classes, sessions, learners (personal data masked
in lists), enrolments with results, possible duplicates; the roll-up dashboard and each
class's Excel enrolment."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views, services
from .models import Centre, DuplicateFlag, Enrolment, Learner, Programme, Session, TrainingClass


class CentreViewSet(SnippetViewSet):
    model = Centre
    icon = "home"
    menu_label = _("Centres")
    list_display = ["unit", "area"]
    search_fields = ["area"]


class ProgrammeViewSet(SnippetViewSet):
    model = Programme
    icon = "list-ul"
    menu_label = _("Programmes")
    list_display = [
        "name",
        "kind",
        "required_hours",
        "min_attendance_percent",
        "pass_mark",
        "assignment_required",
    ]
    list_filter = ["kind"]
    search_fields = ["name"]


class TrainingClassViewSet(SnippetViewSet):
    model = TrainingClass
    icon = "group"
    menu_label = _("Classes")
    list_display = ["code", "name", "centre", "programme", "starts_on", "ends_on", "capacity"]
    list_filter = ["centre", "programme"]
    search_fields = ["code", "name"]


class SessionViewSet(SnippetViewSet):
    model = Session
    icon = "time"
    menu_label = _("Sessions")
    list_display = ["topic", "training_class", "starts_at", "ends_at"]
    list_filter = ["training_class"]


class LearnerViewSet(SnippetViewSet):
    """Lists show the identifier's last four digits and the year of birth only."""

    model = Learner
    icon = "user"
    menu_label = _("Learners")
    list_display = ["full_name", "birth_year", "identifier_masked", "unit"]
    list_filter = ["unit"]
    search_fields = ["full_name", "identifier"]
    panels = [
        FieldPanel("full_name"),
        FieldPanel("date_of_birth"),
        FieldPanel("identifier"),
        FieldPanel("unit"),
        FieldPanel("account"),
    ]


class EnrolmentViewSet(SnippetViewSet):
    model = Enrolment
    icon = "doc-full"
    menu_label = _("Enrolments and results")
    list_display = [
        "learner",
        "training_class",
        "attendance_percent",
        "exam_score",
        "assignment_mark",
        "completed",
    ]
    list_filter = ["training_class", "completed"]
    panels = [
        FieldPanel("learner", read_only=True),
        FieldPanel("training_class", read_only=True),
        FieldPanel("exam_score"),
        FieldPanel("assignment_mark"),
    ]


class DuplicateFlagViewSet(SnippetViewSet):
    model = DuplicateFlag
    icon = "warning"
    menu_label = _("Possible duplicates")
    list_display = ["learner", "existing", "decision", "decided_by", "created_at"]
    list_filter = ["decision"]
    add_view_enabled = False
    edit_view_enabled = False


class TrainingGroup(SnippetViewSetGroup):
    menu_label = _("Political-theory classes")
    menu_icon = "group"
    menu_order = 260
    items = (
        CentreViewSet,
        ProgrammeViewSet,
        TrainingClassViewSet,
        SessionViewSet,
        LearnerViewSet,
        EnrolmentViewSet,
        DuplicateFlagViewSet,
    )


register_snippet(TrainingGroup)


@hooks.register("register_admin_urls")
def _urls() -> list:
    return [
        path("lop-boi-duong/", admin_views.dashboard, name="training_dashboard"),
        path("lop-boi-duong/bao-cao.xlsx", admin_views.report_download, name="training_report"),
        path(
            "lop-boi-duong/lop/<int:class_id>/",
            admin_views.class_detail,
            name="training_class",
        ),
        path(
            "lop-boi-duong/mau-danh-sach.xlsx",
            admin_views.template_download,
            name="training_template",
        ),
        path(
            "lop-boi-duong/trung-lap/<int:flag_id>/",
            admin_views.duplicate_decide,
            name="training_duplicate",
        ),
    ]


@hooks.register("after_edit_snippet")
def _enrolment_results(request: object, instance: object) -> None:
    # The roll-up counts the stored completion flag: a score typed here settles it now.
    if isinstance(instance, Enrolment):
        services.class_results_compute(training_class=instance.training_class)


@hooks.register("register_admin_menu_item")
def _menu() -> MenuItem:
    return MenuItem(
        _("Classes: roll-up"), reverse("training_dashboard"), icon_name="table", order=261
    )
