"""Runs inside the cluster's Django (`moduong shell`, production settings, on the primary): the
demo portal, a contest round open now, its participants, and a logged-in session for each, in
whatever session store the settings name. Prints one JSON line for the test."""

from __future__ import annotations

import datetime as dt
import importlib
import json

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from moduong import demo
from moduong.accounts.models import User
from moduong.contests.models import Contest, Option, ParticipantProfile, Question, Round
from moduong.contests.services import round_bank_freeze
from moduong.news.models import ArticlePage
from moduong.search.services import search_index_rebuild

SLUG = "cuoc-thi-cum-may"


def portal_load() -> None:
    """The demo's portal (home, sections, menu, articles, the search index) without the other
    apps' demo content, which the cluster does not read and which would double the build."""
    summary = demo.DemoSummary()
    home = demo._home(summary)
    menu = {}
    for section in demo.SECTIONS:
        page = demo._section_page(home, section, summary)
        children = tuple(
            (child.title, demo._section_page(page, child, summary)) for child in section.children
        )
        menu[section.title] = (page, children)
    demo._menu(menu)
    demo._articles(summary)
    transaction.on_commit(search_index_rebuild)


def seed(participants: int) -> None:
    with transaction.atomic():
        portal_load()
    now = timezone.now()
    contest = Contest.objects.create(
        title="Cuộc thi thử cụm máy",
        slug=SLUG,
        is_published=True,
        require_province=False,
        require_phone=False,
        require_date_of_birth=False,
    )
    for n in range(20):
        question = Question.objects.create(contest=contest, text=f"Câu hỏi thử số {n}?")
        Option.objects.bulk_create(
            Option(question=question, text=f"Phương án {k}", is_correct=k == n % 4, sort_order=k)
            for k in range(4)
        )
    rnd = Round.objects.create(
        contest=contest,
        number=1,
        title="Vòng thử",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=1),
        questions_per_attempt=10,
        time_limit_seconds=3600,
        attempts_allowed=1000,
        prediction_question="Có bao nhiêu người dự thi?",
    )
    round_bank_freeze(round_id=rnd.pk)  # no attempt starts before the organiser's freeze
    store = importlib.import_module(settings.SESSION_ENGINE).SessionStore
    sessions = []
    for n in range(participants):
        user = User.objects.create_user(
            username=f"cum{n}", email=f"cum{n}@example.vn", password=None, full_name="Người Dự Thi"
        )
        ParticipantProfile.objects.create(
            contest=contest, user=user, full_name="Người Dự Thi", consent_at=now
        )
        session = store()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session.set_expiry(86400)
        session.create()
        sessions.append(session.session_key)
    article = ArticlePage.objects.live().order_by("-first_published_at").first()
    print(json.dumps({"sessions": sessions, "article": article.url if article else "/"}))
