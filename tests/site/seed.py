"""Adds to a freshly built demo site what the checks need and the demo does not have: a reader
with a confirmed email, and enough articles in one section for it to have a second page.

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


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
