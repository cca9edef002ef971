"""The client's address behind the documented proxy, and the one rate limiter every limit uses
(letters, questions, search, contest starts, allauth's log-in and sign-up)."""

import datetime as dt
import re
import threading
import time
from pathlib import Path

import pytest
from allauth.core.internal.ratelimit import parse_rate
from django.conf import settings as django_settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.test import Client, RequestFactory

from moduong.community.models import Question
from moduong.core.network import client_address
from moduong.core.services import rate_limit_exceeded, rate_limit_key
from tests.accounts.helpers import SIGNUP_URL, signup_data
from tests.community.conftest import LIVE, solved_captcha
from tests.factories import UserFactory

PROXY = "127.0.0.1"  # nginx, on the same machine as the app
ASK = LIVE + "hoi/"
README = Path(__file__).resolve().parents[2] / "README.md"


def _request(xff: str = "", remote: str = PROXY, **headers: str):  # type: ignore[no-untyped-def]
    meta = {"REMOTE_ADDR": remote}
    if xff:
        meta["HTTP_X_FORWARDED_FOR"] = xff
    meta.update({f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()})
    return RequestFactory().get("/", **meta)


def test_five_readers_behind_one_proxy_are_five_addresses(settings) -> None:  # type: ignore[no-untyped-def]
    settings.TRUSTED_PROXY_COUNT = 1
    readers = {client_address(_request(f"203.0.113.{n}")) for n in range(1, 6)}
    assert readers == {f"203.0.113.{n}" for n in range(1, 6)}


def test_a_forged_header_from_outside_the_proxy_changes_nothing(settings) -> None:  # type: ignore[no-untyped-def]
    settings.TRUSTED_PROXY_COUNT = 1
    # The reader wrote X-Forwarded-For himself; nginx appended the address it really saw.
    assert client_address(_request("10.9.9.9, 203.0.113.7")) == "203.0.113.7"
    assert client_address(_request("not an address, 203.0.113.7")) == "203.0.113.7"
    # Reaching the app without the proxy: only REMOTE_ADDR says anything.
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(_request("10.9.9.9", remote="198.51.100.4")) == "198.51.100.4"
    # A trusted header is read only when the operator named it, and must hold an address.
    settings.TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    assert client_address(_request(**{"X-Real-IP": "203.0.113.8"})) == "203.0.113.8"
    assert client_address(_request(**{"X-Real-IP": "<script>"})) == PROXY


def test_question_limits_count_each_reader_behind_the_proxy(live_exchange, settings) -> None:  # type: ignore[no-untyped-def]
    settings.TRUSTED_PROXY_COUNT = 1
    settings.QUESTIONS_RATE_PER_HOUR = 1
    before = Question.objects.count()
    codes = []
    for n in range(1, 6):
        reader = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
        data = {"name": "Hà Linh", "text": f"Câu hỏi thứ {n} về tủ sách?"}
        data.update(solved_captcha(reader, LIVE))
        codes.append(reader.post(ASK, data).status_code)
    assert codes == [302] * 5
    # The first reader again, pretending through the header to be someone new.
    forger = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="10.1.1.1, 203.0.113.1")
    data = {"name": "Hà Linh", "text": "Một câu hỏi nữa về tủ sách?"}
    data.update(solved_captcha(forger, LIVE))
    assert forger.post(ASK, data).status_code == 429
    assert Question.objects.count() == before + 5


def test_failed_logins_of_one_reader_do_not_lock_out_the_others(site, settings) -> None:  # type: ignore[no-untyped-def]
    settings.TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/5m/ip"}
    UserFactory(username="bandoc")
    attacker = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.66")
    for _ in range(3):
        attacker.post("/tai-khoan/login/", {"login": "bandoc", "password": "sai"})
    refused = attacker.post("/tai-khoan/login/", {"login": "bandoc", "password": "sai"})
    assert "quá nhiều lần" in refused.content.decode()
    reader = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.20")
    reader.post("/tai-khoan/login/", {"login": "bandoc", "password": "mat-khau-dung-1"})
    response = reader.post("/tai-khoan/login/", {"login": "bandoc", "password": "sai"})
    assert "quá nhiều lần" not in response.content.decode()


def test_sign_up_is_throttled_with_the_documented_default(site, client: Client) -> None:
    rate = parse_rate(django_settings.ACCOUNT_RATE_LIMITS["signup"])
    assert rate.per == "ip" and rate.amount <= 10
    codes = []
    for n in range(rate.amount + 1):
        data = signup_data(client, username=f"nguoidoc{n}", email=f"doc{n}@example.vn")
        codes.append(client.post(SIGNUP_URL, data).status_code)
        client.logout()
    assert codes[-1] == 429 and 429 not in codes[:-1]


def test_the_readme_documents_the_limits_the_code_has() -> None:
    row = next(line for line in README.read_text().splitlines() if "`RATE_LOGIN_FAILED`" in line)
    documented = re.findall(r"`([^`]*/[^`]*)`", row)
    limits = django_settings.ACCOUNT_RATE_LIMITS
    assert documented == [limits["login_failed"], limits["signup"]]


def test_a_counter_that_lost_its_expiry_never_blocks_for_longer_than_its_window() -> None:
    request = _request(remote="203.0.113.50")
    rate = "2/h/ip"
    key = rate_limit_key(request=request, action="test-window", rate=rate)
    # Two hits from yesterday, kept with no expiry at all (a cache that lost the timeout).
    yesterday = time.time() - 86_400
    if isinstance(caches["default"], RedisCache):
        redis = caches["default"]._cache.get_client(write=True)
        redis.zadd(key, {"old-1": yesterday, "old-2": yesterday - 1})
        assert redis.ttl(key) == -1
    else:
        cache.set(key, [yesterday, yesterday - 1], None)
    hits = [rate_limit_exceeded(request=request, action="test-window", rate=rate) for _ in range(3)]
    assert hits == [False, False, True]


def test_a_refused_hit_is_not_counted_and_the_window_slides(time_machine) -> None:  # type: ignore[no-untyped-def]
    """allauth's rule, on every cache: the hits accepted in the last window count; someone
    refused is let in once the window has moved past the accepted ones, however often he
    tried in between."""
    request = _request(remote="203.0.113.51")
    time_machine.move_to(dt.datetime(2027, 3, 1, 8, 0, tzinfo=dt.UTC), tick=False)

    def hit() -> bool:
        return rate_limit_exceeded(request=request, action="test-slide", rate="2/m/ip")

    assert [hit(), hit(), hit()] == [False, False, True]
    time_machine.move_to(dt.datetime(2027, 3, 1, 8, 0, 40, tzinfo=dt.UTC), tick=False)
    assert hit() is True  # refused again, and not counted
    time_machine.move_to(dt.datetime(2027, 3, 1, 8, 1, 1, tzinfo=dt.UTC), tick=False)
    assert [hit(), hit(), hit()] == [False, False, True]


def test_limits_of_several_rates_and_of_a_person(rf) -> None:  # type: ignore[no-untyped-def]
    request = _request(remote="203.0.113.52")
    both = [
        rate_limit_exceeded(request=request, action="test-both", rate="3/m/ip,2/h/ip")
        for _ in range(3)
    ]
    assert both == [False, False, True]
    first, second = UserFactory.build(pk=901), UserFactory.build(pk=902)
    hits = [
        rate_limit_exceeded(request=request, action="test-user", rate="1/m/user", user=user)
        for user in (first, second, first)
    ]
    assert hits == [False, False, True]


def test_hits_at_the_same_instant_are_counted_one_after_the_other() -> None:
    """Twelve requests of one address at once against a limit of 5, on Redis (the cache every
    app process shares at scale): exactly 5 get in, without a lock to wait for."""
    if not isinstance(caches["default"], RedisCache):
        pytest.skip("Redis's transaction: set REDIS_URL")
    request = _request(remote="203.0.113.53")
    barrier = threading.Barrier(12)
    results: list[bool] = []

    def hit() -> None:
        barrier.wait()
        results.append(rate_limit_exceeded(request=request, action="test-burst", rate="5/m/ip"))
        # Each thread has its own cache and so its own connections: closed with the thread.
        for pool in caches["default"]._cache._pools.values():
            pool.disconnect()

    threads = [threading.Thread(target=hit) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 5 + [True] * 7


def test_a_check_is_one_redis_round_trip(redis_round_trips) -> None:  # type: ignore[no-untyped-def]
    """What the start of a contest attempt pays for its limit in a rush: one round trip, under
    the limit or refused (the refused hit is taken back in the same script)."""
    request = _request(remote="203.0.113.54")
    counts = []
    for _ in range(3):
        before = redis_round_trips()
        rate_limit_exceeded(request=request, action="test-trips", rate="2/m/ip,10/h/ip")
        counts.append(redis_round_trips() - before)
    assert counts == [1, 1, 1]


@pytest.fixture
def live_exchange(site):  # type: ignore[no-untyped-def]
    from moduong.community.models import ExchangePage

    return ExchangePage.objects.get(slug="dua-sach-ve-voi-thieu-nhi-vung-cao")
