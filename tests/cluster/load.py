"""The load a fault meets: readers (home, an article, search) and the contest rush (start, save
an answer, submit) against lb, each request recorded with its time, status and whether its
page was Vietnamese. A participant whose request failed retries it, as a person would; a
submission counts as acknowledged only when the server answered 200 with first_submission."""

from __future__ import annotations

import http.client
import json
import random
import threading
import time
from dataclasses import dataclass, field

from .cluster import HOSTS

SLUG = "cuoc-thi-cum-may"  # seed.SLUG (seed.py runs inside the cluster's Django only)

CSRF = "clustercsrfclustercsrfclustercsr"  # 32 characters: Django's unmasked secret
SEARCH = "/tim-kiem/?q=kinh+t%E1%BA%BF"


@dataclass
class Outcome:
    at: float  # time.monotonic() when the answer came
    kind: str  # home, article, search, start, save, submit
    status: int  # 0: no HTTP answer at all
    vietnamese: bool  # the answer is a page in Vietnamese (or the API's JSON)
    detail: str = ""

    @property
    def failed(self) -> bool:
        return not 200 <= self.status < 400


def request(
    method: str, path: str, *, session: str = "", body: object = None, token: str = ""
) -> tuple[int, bytes, dict[str, str]]:
    conn = http.client.HTTPConnection(HOSTS["lb"], 80, timeout=30)
    headers = {"Host": HOSTS["lb"]}
    if session:
        headers["Cookie"] = f"sessionid={session}; csrftoken={CSRF}"
        headers["X-CSRFToken"] = CSRF
    if token:
        headers["X-Attempt-Token"] = token
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    try:
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        return response.status, response.read(), {k.lower(): v for k, v in response.getheaders()}
    finally:
        conn.close()


def is_vietnamese(status: int, body: bytes, headers: dict[str, str]) -> bool:
    """A page in Vietnamese (nginx's own or the app's), or the API's JSON with its message."""
    if "json" in headers.get("content-type", ""):
        return True
    text = body[:4000].decode("utf-8", "replace")
    return 'lang="vi"' in text


@dataclass
class Load:
    sessions: list[str]
    article: str
    outcomes: list[Outcome] = field(default_factory=list)
    acknowledged: set[int] = field(default_factory=set)
    # attempt id -> (session, token, question ids and options)
    open_attempts: dict[int, tuple[str, str, list[tuple[int, list[int]]]]] = field(
        default_factory=dict
    )
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)
    threads: list[threading.Thread] = field(default_factory=list)

    def _record(self, kind: str, method: str, path: str, **kwargs: object) -> tuple[int, bytes]:
        try:
            status, body, headers = request(method, path, **kwargs)  # type: ignore[arg-type]
            outcome = Outcome(time.monotonic(), kind, status, is_vietnamese(status, body, headers))
            if outcome.failed:
                outcome.detail = body[:300].decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as error:
            status, body = 0, b""
            outcome = Outcome(time.monotonic(), kind, 0, False, repr(error))
        with self.lock:
            self.outcomes.append(outcome)
        return status, body

    def reader(self) -> None:
        pages = [("home", "/"), ("article", self.article), ("search", SEARCH)]
        while not self.stop.is_set():
            kind, path = random.choice(pages)
            self._record(kind, "GET", path)

    def participant(self, session: str) -> None:
        while not self.stop.is_set():
            status, body = self._record(
                "start",
                "POST",
                f"/api/v1/contests/{SLUG}/rounds/1/attempts",
                session=session,
                body={},
            )
            if status != 201:
                time.sleep(0.2)
                continue
            data = json.loads(body)
            attempt, token = data["id"], data["token"]
            questions = [(q["id"], [o["id"] for o in q["options"]]) for q in data["questions"]]
            with self.lock:
                self.open_attempts[attempt] = (session, token, questions)
            for question, options in random.sample(questions, 3):
                self._record(
                    "save",
                    "PUT",
                    f"/api/v1/contests/attempts/{attempt}/answers",
                    session=session,
                    body={"question_id": question, "option_id": random.choice(options)},
                    token=token,
                )
            answers = [{"question_id": q, "option_id": random.choice(o)} for q, o in questions]
            # Submitted until the server answers: a participant whose page failed presses again.
            for _ in range(100):
                status, body = self._record(
                    "submit",
                    "POST",
                    f"/api/v1/contests/attempts/{attempt}/submit",
                    session=session,
                    body={"answers": answers, "prediction": random.randint(0, 9999)},
                    token=token,
                )
                if status == 200:
                    with self.lock:
                        self.open_attempts.pop(attempt, None)
                        if json.loads(body).get("first_submission"):
                            self.acknowledged.add(attempt)
                    break
                if 400 <= status < 500 or self.stop.is_set():  # refused: pressing again won't help
                    break
                time.sleep(0.2)

    def begin(self, readers: int, participants: int) -> None:
        self.stop.clear()
        chosen = random.sample(self.sessions, participants)
        self.threads = [threading.Thread(target=self.reader) for _ in range(readers)]
        self.threads += [threading.Thread(target=self.participant, args=(s,)) for s in chosen]
        for thread in self.threads:
            thread.start()

    def end(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(60)
