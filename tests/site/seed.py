"""Adds to a freshly built demo site what the checks need and the demo does not have: a reader
with a confirmed email, enough articles in one section for it to have a second page, and the
reader's attempts in the demo contest (one submitted, with its certificate, one in progress)
under the fixed ids and code that tests/site/pages.py names.

Run by tests/site/conftest.py as `python tests/site/seed.py USERNAME PASSWORD` with the demo's
MODUONG_DATA_DIR, before the site is served.
"""

import datetime as dt
import random
import sys

import django


def main(username: str, password: str) -> None:
    django.setup()
    from allauth.account.models import EmailAddress
    from django.utils import timezone
    from wagtail.images.models import Image

    from moduong import demo_text
    from moduong.accounts.models import User
    from moduong.news.models import PAGE_SIZE, ArticlePage, SectionPage

    user = User.objects.create_user(
        username, f"{username}@example.vn", password, full_name="Trần Thị Kiểm Tra"
    )
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)

    # The training module's pages: the reader teaches a demo class under way (its sheet and
    # check-in screen) and is one of its learners (their record).
    from moduong.training.models import Learner, TrainingClass

    TrainingClass.objects.get(code="bd-demo-4").teachers.add(user)
    learner = (
        Learner.objects.filter(account=None, enrolments__training_class__code="bd-demo-4")
        .order_by("pk")
        .first()
    )
    if learner is not None:
        learner.account = user
        learner.save(update_fields=["account"])

    section = SectionPage.objects.get(slug="tin-tong-hop")
    rng = random.Random(8)
    images = list(Image.objects.all()[:3])
    # Older than every demo article, so the demo's own stories stay on the first pages.
    oldest = timezone.now() - dt.timedelta(days=400)
    for number in range(1, PAGE_SIZE + 2):
        article = ArticlePage(
            title=f"Bản tin kiểm tra số {number}: sách đến với bạn đọc",
            lead=demo_text.paragraph(rng, 1),
            date=oldest - dt.timedelta(days=number),
            authors="Ban biên tập",
            image=images[number % len(images)] if images else None,
            body=demo_text.body_blocks(rng, images),
        )
        section.add_child(instance=article)
        article.save_revision().publish()

    _contest_attempts(user)


# Fixed, so that the page types can name the reader's own pages (pages.py).
SUBMITTED_ATTEMPT = 900001
OPEN_ATTEMPT = 900002
CERTIFICATE_CODE = "KTRA-2345-6789"
CHECK_CONTEST = "cuoc-thi-kiem-tra"


def _contest_attempts(user) -> None:  # type: ignore[no-untyped-def]
    """A contest of the checks' own, so that the demo contest's registration form stays
    what the reader sees there."""
    from django.utils import timezone

    from moduong.contests import services
    from moduong.contests.models import Attempt, Certificate, Contest, Option, Question, Round

    now = timezone.now()
    contest = Contest.objects.create(
        title="Cuộc thi kiểm tra trang của người dự thi",
        slug=CHECK_CONTEST,
        is_published=True,
        require_province=False,
        require_phone=False,
    )
    rnd = Round.objects.create(
        contest=contest,
        number=1,
        title="Vòng thi tuần thứ nhất: tìm hiểu lịch sử địa phương",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=30),
        questions_per_attempt=3,
        time_limit_seconds=900,
        attempts_allowed=3,
        prediction_question="Dự đoán có bao nhiêu người dự thi vòng này?",
    )
    for number in range(1, 4):
        question = Question.objects.create(
            contest=contest, text=f"Câu hỏi kiểm tra số {number}: sách nào ra đời trước?"
        )
        for k in range(3):
            Option.objects.create(
                question=question, text=f"Phương án {k + 1}", is_correct=k == 0, sort_order=k
            )
    services.round_bank_freeze(round_id=rnd.pk)
    services.participant_register(
        contest=contest,
        user=user,
        full_name=user.full_name,
        date_of_birth=dt.date(1990, 5, 1),
        consent=True,
    )
    done = services.attempt_start(user=user, round_id=rnd.pk)
    services.attempt_submit(user=user, attempt_id=done.pk, answers=[])
    Attempt.objects.filter(pk=done.pk).update(id=SUBMITTED_ATTEMPT)
    Certificate.objects.create(attempt_id=SUBMITTED_ATTEMPT, code=CERTIFICATE_CODE, issued_at=now)
    going = services.attempt_start(user=user, round_id=rnd.pk)
    Attempt.objects.filter(pk=going.pk).update(id=OPEN_ATTEMPT)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
