"""Every write of the bulletins app: places and codes, scans, print files, subscriptions."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
import time
from collections.abc import Callable

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from moduong.core import vntext
from moduong.core.selectors import site_contact

from . import printing, selectors
from .models import (
    Delivery,
    EditionPage,
    EditionPrint,
    Place,
    QrCode,
    Scan,
    ScanSalt,
    SeriesPage,
    Subscriber,
)


class BulletinError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- editions ----------------------------------------------------------------------------------


def edition_publish_check(*, edition: EditionPage) -> None:
    """An edition may not go out with an article readers cannot open."""
    missing = selectors.articles_unavailable(edition=edition)
    if missing:
        raise BulletinError(
            "Số bản tin này chưa đăng được vì có bài viết chưa được đăng trên cổng: "
            + "; ".join(f"“{title}”" for title in missing)
        )


def edition_url(*, edition: EditionPage) -> str:
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{edition.url}"


def edition_print_queue(*, edition: EditionPage) -> EditionPrint:
    printed, _ = EditionPrint.objects.update_or_create(
        edition=edition,
        defaults={"status": EditionPrint.Status.QUEUED, "progress": 0, "message": ""},
    )
    return printed


def edition_print_build(*, edition_id: int) -> EditionPrint | None:
    """Make the A4 and A5 PDFs of the live edition, saving the progress as it goes (the web
    edition shows it). Slower than BULLETINS_PRINT_SECONDS counts as a failure, logged and
    shown, and the files of the last good build stay."""
    edition = EditionPage.objects.live().filter(pk=edition_id).first()
    if edition is None:
        return None
    printed, _ = EditionPrint.objects.get_or_create(edition=edition)
    limit = settings.BULLETINS_PRINT_SECONDS
    started = time.monotonic()

    def step(base: int) -> Callable[[int], None]:
        last = [-1]

        def report(percent: int) -> None:
            value = base + percent // 2
            if value // 10 != last[0]:  # one write per tenth, not per block
                last[0] = value // 10
                EditionPrint.objects.filter(pk=printed.pk).update(
                    progress=min(value, 99), status=EditionPrint.Status.BUILDING
                )
            if time.monotonic() - started > limit:
                raise BulletinError(f"Quá thời gian cho phép ({limit} giây).")

        return report

    url = edition_url(edition=edition)
    try:
        a4, pages = printing.edition_pdf(edition=edition, size="a4", url=url, progress=step(0))
        a5, _pages = printing.edition_pdf(edition=edition, size="a5", url=url, progress=step(50))
    except BulletinError as error:
        EditionPrint.objects.filter(pk=printed.pk).update(
            status=EditionPrint.Status.FAILED, message=error.message[:300]
        )
        return EditionPrint.objects.get(pk=printed.pk)
    printed.refresh_from_db()
    name = f"{edition.slug}-{edition.pk}"
    printed.pdf_a4.save(f"{name}-a4.pdf", ContentFile(a4), save=False)
    printed.pdf_a5.save(f"{name}-a5.pdf", ContentFile(a5), save=False)
    printed.status = EditionPrint.Status.READY
    printed.progress = 100
    printed.pages = pages
    printed.message = ""
    printed.save()
    return printed


# --- places and codes ----------------------------------------------------------------------------


def codes_changed() -> None:
    """Every cached code answer is stale (a code made, re-pointed, retired or deleted)."""
    try:
        cache.incr("bulletins:codes:g")
    except ValueError:
        cache.set("bulletins:codes:g", 1, None)


@transaction.atomic
def place_create(
    *,
    label: str = "",
    commune_id: int | None = None,
    unit_id: int | None = None,
) -> Place:
    kind = Place.Kind.COMMUNE if commune_id else Place.Kind.UNIT if unit_id else Place.Kind.LABEL
    place = Place(kind=kind, label=vntext.clean_line(label), commune_id=commune_id, unit_id=unit_id)
    place.full_clean()
    place.save()
    return place


@transaction.atomic
def code_create(
    *,
    series: SeriesPage,
    place: Place,
    edition: EditionPage | None = None,
    posted_on: dt.date | None = None,
) -> QrCode:
    if edition is not None and edition.get_parent().pk != series.pk:
        raise BulletinError("Số bản tin được ghim không thuộc bộ bản tin này.")
    qr = QrCode.objects.create(
        series=series,
        place=place,
        edition=edition,
        posted_on=posted_on or timezone.localdate(),
    )
    return qr


# --- scans ---------------------------------------------------------------------------------------

_salt: dict[dt.date, bytes] = {}

BROWSERS = [
    ("Zalo", re.compile(r"Zalo", re.I)),
    ("Facebook", re.compile(r"FBAN|FBAV|FB_IAB", re.I)),
    ("Cốc Cốc", re.compile(r"coc_coc|CocCoc", re.I)),
    ("Samsung Internet", re.compile(r"SamsungBrowser")),
    ("Edge", re.compile(r"Edg(e|A|iOS)?/")),
    ("Opera", re.compile(r"OPR/|Opera")),
    ("Firefox", re.compile(r"Firefox/|FxiOS/")),
    ("Chrome", re.compile(r"Chrome/|CriOS/")),
    ("Safari", re.compile(r"Safari/")),
]
# Link previews fetch the address the moment it is pasted in a chat, before anyone scans:
# Facebook's and WhatsApp's say neither "bot" nor "preview".
ROBOTS = re.compile(
    r"bot|crawl|spider|slurp|preview|facebookexternalhit|facebookcatalog|WhatsApp|Headless"
    r"|Lighthouse|curl|wget|python-requests|python-httpx|aiohttp|Go-http-client|okhttp"
    r"|axios|node-fetch|libwww|Java/",
    re.I,
)


def browser_family(user_agent: str) -> str | None:
    """The browser's family only (the full string says too much about a device); None for a
    robot or a link preview, which are not scans."""
    if not user_agent or ROBOTS.search(user_agent):
        return None
    for name, pattern in BROWSERS:
        if pattern.search(user_agent):
            return name
    return "Khác"


def _salt_today() -> bytes:
    """Today's salt, shared by every process through the database; yesterday's is deleted
    once today's exists, so a hash from an earlier day can never be recomputed."""
    today = timezone.localdate()
    salt = _salt.get(today)
    if salt is not None:
        return salt
    row = ScanSalt.objects.filter(day=today).first()
    if row is None:
        try:
            with transaction.atomic():
                row = ScanSalt.objects.create(day=today, salt=secrets.token_hex(32))
        except IntegrityError:
            row = ScanSalt.objects.get(day=today)
        ScanSalt.objects.exclude(day=today).delete()
    _salt.clear()
    _salt[today] = bytes.fromhex(row.salt)
    return _salt[today]


def visitor_hash(address: str) -> str:
    return hmac.new(_salt_today(), address.encode(), hashlib.sha256).hexdigest()[:32]


def scan_record(*, target: selectors.Target, user_agent: str, address: str) -> bool:
    """One row per scan of a real code, by a person's browser. The address itself is hashed
    and dropped here."""
    browser = browser_family(user_agent)
    if browser is None:
        return False
    Scan.objects.create(
        code_id=target.code_id,
        series_id=target.series_id,
        place_id=target.place_id,
        edition_id=target.edition_id,
        browser=browser,
        visitor=visitor_hash(address),
    )
    return True


# --- subscriptions -------------------------------------------------------------------------------

CONFIRM_SALT = "bulletins.subscriber.confirm"
CONFIRM_DAYS = 7
EMAIL_LENGTH = 254  # RFC 5321, and Subscriber.email


def _absolute(path: str) -> str:
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{path}"


def _confirm_link(subscriber: Subscriber) -> str:
    signed = signing.dumps(
        {"s": subscriber.pk, "t": subscriber.token[:12]}, salt=CONFIRM_SALT, compress=True
    )
    return _absolute(f"/ban-tin/xac-nhan/{signed}/")


def unsubscribe_link(subscriber: Subscriber) -> str:
    return _absolute(f"/ban-tin/huy-dang-ky/{subscriber.token}/")


def _confirmation_send(subscriber: Subscriber) -> None:
    context = {
        "series": subscriber.series,
        "link": _confirm_link(subscriber),
        "days": CONFIRM_DAYS,
        "office": site_contact().office_name,
    }
    body = render_to_string("bulletins/email/confirm.txt", context)
    subject = f"Xác nhận đăng ký nhận {subscriber.series.title}"
    EmailMultiAlternatives(subject, body, to=[subscriber.email]).send()


@transaction.atomic
def subscriber_subscribe(*, series: SeriesPage, email: str) -> Subscriber:
    """Double opt-in: the address gets a confirmation link and nothing else until it is
    followed. Subscribing again while pending sends the link again; an active subscriber is
    left as is (and is sent nothing, so nobody can flood an inbox through the form); one who
    unsubscribed or bounced comes back as pending, with a new link."""
    email = email.strip().lower()
    # Not only the form calls this: a script or an import must not store what no mail
    # server takes.
    try:
        validate_email(email)
        if len(email) > EMAIL_LENGTH:  # SQLite would store it whole, PostgreSQL would fail
            raise ValidationError("too long")
    except ValidationError as error:
        raise BulletinError("Địa chỉ email không hợp lệ.") from error
    try:
        subscriber = Subscriber.objects.select_for_update().get(series=series, email=email)
    except Subscriber.DoesNotExist:
        subscriber = Subscriber.objects.create(
            series=series, email=email, token=secrets.token_urlsafe(32)
        )
    if subscriber.status == Subscriber.Status.ACTIVE:
        return subscriber
    if subscriber.status != Subscriber.Status.PENDING:
        subscriber.status = Subscriber.Status.PENDING
        subscriber.token = secrets.token_urlsafe(32)  # old unsubscribe links stay dead
        subscriber.save(update_fields=["status", "token"])
    transaction.on_commit(lambda: _confirmation_send(subscriber))
    return subscriber


@transaction.atomic
def subscriber_confirm(*, signed: str) -> Subscriber:
    try:
        data = signing.loads(signed, salt=CONFIRM_SALT, max_age=dt.timedelta(days=CONFIRM_DAYS))
        subscriber = Subscriber.objects.select_for_update().get(pk=int(data["s"]))
    except signing.SignatureExpired as error:
        raise BulletinError(
            "Liên kết xác nhận đã hết hạn. Hãy đăng ký lại để nhận liên kết mới."
        ) from error
    except (
        signing.BadSignature,
        Subscriber.DoesNotExist,
        KeyError,
        TypeError,
        ValueError,
    ) as error:
        raise BulletinError("Liên kết xác nhận không hợp lệ.") from error
    # A link from before an unsubscription does not bring the address back.
    if not hmac.compare_digest(str(data.get("t", "")), subscriber.token[:12]):
        raise BulletinError("Liên kết xác nhận không còn hiệu lực. Hãy đăng ký lại.")
    if subscriber.status == Subscriber.Status.PENDING:
        subscriber.status = Subscriber.Status.ACTIVE
        subscriber.confirmed_at = timezone.now()
        subscriber.left_at = None
        subscriber.save(update_fields=["status", "confirmed_at", "left_at"])
    elif subscriber.status != Subscriber.Status.ACTIVE:
        raise BulletinError("Liên kết xác nhận không còn hiệu lực. Hãy đăng ký lại.")
    return subscriber


@transaction.atomic
def subscriber_unsubscribe(*, token: str) -> Subscriber | None:
    subscriber = Subscriber.objects.select_for_update().filter(token=token).first()
    if subscriber is None:
        return None
    if subscriber.status in (Subscriber.Status.ACTIVE, Subscriber.Status.PENDING):
        subscriber.status = Subscriber.Status.UNSUBSCRIBED
        subscriber.left_at = timezone.now()
        subscriber.save(update_fields=["status", "left_at"])
    return subscriber


@transaction.atomic
def subscriber_bounce_record(*, email: str) -> int:
    """A hard bounce reported by the mail server: the address is written to no more."""
    return Subscriber.objects.filter(
        email=email.strip().lower(), status=Subscriber.Status.ACTIVE
    ).update(status=Subscriber.Status.BOUNCED, left_at=timezone.now())


_DELIVERIES_CLAIM = (
    "INSERT INTO bulletins_delivery (edition_id, subscriber_id, sent_at) VALUES {rows}"
    " ON CONFLICT (edition_id, subscriber_id) DO NOTHING RETURNING subscriber_id"
)


def _deliveries_claim(*, edition: EditionPage, subscribers: list[Subscriber]) -> set[int]:
    """The ids of the subscribers whose delivery this run recorded, in one statement: a run at
    the same time that read the same subscribers records (and so sends) none of the ones it
    finds recorded, where bulk_create(ignore_conflicts=True) would not tell it which."""
    at = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = ", ".join(["(%s, %s, %s)"] * len(subscribers))
    params = [value for s in subscribers for value in (edition.pk, s.pk, at)]
    with connection.cursor() as cursor:
        cursor.execute(_DELIVERIES_CLAIM.format(rows=rows), params)
        return {row[0] for row in cursor.fetchall()}


def edition_mail_send(*, edition_id: int, batch_size: int | None = None) -> int:
    """Send a newly published edition to the series' active subscribers, a batch per SMTP
    connection; each delivery is recorded before it is sent, by the one run whose statement
    records it, so a retried task, or two workers running the mailing at once, send nobody a
    second copy."""
    edition = EditionPage.objects.live().filter(pk=edition_id).first()
    if edition is None:
        return 0
    series = edition.get_parent().specific
    batch_size = batch_size or settings.BULLETINS_MAIL_BATCH
    url = edition_url(edition=edition)
    sent = 0
    office = site_contact().office_name
    while True:
        delivered = Delivery.objects.filter(edition=edition).values("subscriber_id")
        batch = list(
            Subscriber.objects.filter(series=series, status=Subscriber.Status.ACTIVE)
            .exclude(pk__in=delivered)
            .order_by("pk")[:batch_size]
        )
        if not batch:
            return sent
        # Recorded before it is sent: a run killed while sending (its worker died; the queue
        # runs the task again, core.taskworker) sends no one a second copy, and a run side by
        # side with this one sends only those its own statement recorded. A batch the mail
        # server refused is sent again by the retried task.
        claimed = _deliveries_claim(edition=edition, subscribers=batch)
        batch = [subscriber for subscriber in batch if subscriber.pk in claimed]
        if not batch:  # another run has them: the next read finds the rest, if any
            continue
        messages = []
        for subscriber in batch:
            link = unsubscribe_link(subscriber)
            context = {
                "series": series,
                "edition": edition,
                "url": url,
                "unsubscribe": link,
                "office": office,
            }
            message = EmailMultiAlternatives(
                f"{series.title} – {edition.label}: {edition.title}",
                render_to_string("bulletins/email/edition.txt", context),
                to=[subscriber.email],
                headers={
                    # RFC 2369 and RFC 8058: mail clients show an "unsubscribe" button that
                    # POSTs to this address; one click, no login, no form.
                    "List-Unsubscribe": f"<{link}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                    "List-Id": f"<{series.slug}.ban-tin>",
                },
            )
            messages.append(message)
        try:
            with get_connection() as mailer:
                mailer.send_messages(messages)
        except Exception:
            Delivery.objects.filter(edition=edition, subscriber__in=batch).delete()
            raise
        sent += len(batch)
