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


def _contest_attempts(user) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from moduong.contests import services
    from moduong.contests.models import Attempt, Certificate, Contest, Round
    from moduong.units.models import Commune

    contest = Contest.objects.get(slug="tim-hieu-van-hoa-doc")
    commune = Commune.objects.select_related("province").order_by("pk").first()
    services.participant_register(
        contest=contest,
        user=user,
        full_name=user.full_name,
        date_of_birth=dt.date(1990, 5, 1),
        phone="0912345678",
        province_id=commune.province_id if commune else None,
        commune_id=commune.pk if commune else None,
        consent=True,
    )
    now = timezone.now()
    rnd = Round.objects.filter(contest=contest, opens_at__lte=now, closes_at__gt=now).first()
    done = services.attempt_start(user=user, round_id=rnd.pk)
    services.attempt_submit(user=user, attempt_id=done.pk, answers=[])
    Attempt.objects.filter(pk=done.pk).update(id=SUBMITTED_ATTEMPT)
    Certificate.objects.create(attempt_id=SUBMITTED_ATTEMPT, code=CERTIFICATE_CODE, issued_at=now)
    going = services.attempt_start(user=user, round_id=rnd.pk)
    Attempt.objects.filter(pk=going.pk).update(id=OPEN_ATTEMPT)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
