"""/api/v1/contests: the participant's flow for mobile apps (session login, CSRF as the site).

Register once, start (captcha when the site asks for one, rate limit), save answers as they
are chosen, submit, see results. No response carries a correct answer before the round has
closed and allows it."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any, Literal

from captcha.helpers import captcha_image_url
from captcha.models import CaptchaStore
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.renderers import NinjaJSONEncoder
from ninja.security import APIKeyHeader, SessionAuth, django_auth
from pydantic import BaseModel

from moduong.accounts.captcha import captcha_passed
from moduong.accounts.models import User
from moduong.units import selectors as units
from moduong.units.models import Province

from . import conf, selectors, services
from .forms import RegistrationForm
from .models import Attempt
from .paper import Paper
from .services import ContestError, LoginExpired, Participant
from .tickets import Ticket, attempt_token, ticket_read

router = Router(tags=["contests"])


class Plain(BaseModel):
    """Pydantic's own validation, for the payloads of a rush: they are JSON in and dicts out,
    so ninja's per-object attribute lookup (its Schema) would only cost time."""


class ErrorOut(Plain):
    message: str


class RoundOut(Schema):
    id: int
    number: int
    title: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    questions_per_attempt: int
    time_limit_seconds: int
    attempts_allowed: int
    prediction_question: str
    essay_prompt: str
    essay_max_chars: int


class ContestOut(Schema):
    slug: str
    title: str
    intro: str
    rules: str
    prizes: str
    timeline: str
    min_age: int | None
    rounds: list[RoundOut]


class RegistrationIn(Schema):
    full_name: str = Field(max_length=500)
    date_of_birth: str = Field("", max_length=20, description="dd/mm/yyyy or yyyy-mm-dd")
    gender: Literal["", "nam", "nu", "khac"] = Field("", description="nam, nu or khac")
    phone: str = Field("", max_length=200)
    unit: int | None = None
    province: int | None = None
    commune: int | None = None
    id_number: str = Field("", max_length=50)
    consent: bool = False


class OkOut(Plain):
    message: str


class CaptchaOut(Schema):
    key: str
    image_url: str


class StartIn(Plain):
    captcha_key: str = Field("", max_length=100)
    captcha_value: str = Field("", max_length=100)


class OptionOut(Plain):
    id: int
    text: str
    chosen: bool
    correct: bool | None


class QuestionOut(Plain):
    number: int
    id: int
    text: str
    options: list[OptionOut]


class AttemptOut(Plain):
    id: int
    round_id: int
    seq: int
    started_at: dt.datetime
    deadline: dt.datetime
    seconds_left: int
    submitted_at: dt.datetime | None
    score: int | None
    total: int
    duration_ms: int | None
    prediction: int | None
    answers_shown: bool
    questions: list[QuestionOut]
    token: str = Field(
        description="Send it back as the X-Attempt-Token header when saving answers and"
        " submitting; empty once the attempt is submitted"
    )


class AttemptSummaryOut(Schema):
    id: int
    round_id: int
    round_title: str
    seq: int
    started_at: dt.datetime
    submitted_at: dt.datetime | None
    score: int | None
    duration_ms: int | None


class AnswerIn(Plain):
    question_id: int
    option_id: int


class PredictionIn(Plain):
    prediction: int | str | None = Field(
        None, description="a whole number, 0 to 10^12; empty or null clears it"
    )


class SubmitIn(Plain):
    answers: list[AnswerIn] = Field(default_factory=list, max_length=200)
    prediction: int | str | None = Field(None, description="a whole number, 0 to 10^12")
    essay: str = ""


class ResultOut(Plain):
    attempt_id: int
    seq: int
    score: int
    total: int
    duration_ms: int
    submitted_at: dt.datetime
    late: bool
    first_submission: bool


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


class AttemptTokenAuth(APIKeyHeader):
    """The attempt's token (`token` in the start's answer and in the attempt), sent back as the
    `X-Attempt-Token` header when saving and submitting: it stands for the attempt's owner for
    that attempt only, until its deadline, and spares the request the session and the user's
    and attempt's rows (contests.tickets). Without it, the session login is used."""

    param_name = "X-Attempt-Token"

    def _get_key(self, request: HttpRequest) -> str | None:
        # Straight from the environ: `request.headers` would first copy out every header.
        return request.META.get("HTTP_X_ATTEMPT_TOKEN")

    def authenticate(self, request: HttpRequest, key: str | None) -> Ticket | None:
        return ticket_read(key) if key else None


attempt_token_auth = AttemptTokenAuth()


class SessionParticipantAuth(SessionAuth):
    """The start's login from the session: the user's id as Django's login keeps it in the
    session, without reading the user's row (21 % of a start's CPU through the ORM). What
    Django's login from the session checks on that row is checked by the start's one INSERT
    instead: it refuses an account that is not active, and returns the account's password
    hash, against which the session's hash is then checked (`_login_check`), so that a new
    password still ends the other sessions. CSRF is checked as for any session request
    (ninja's SessionAuth, whose `_get_key` does it)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Participant | None:
        session = request.session
        try:
            user_id = int(session[SESSION_KEY])
        except (KeyError, TypeError, ValueError):
            return None
        if session.get(
            BACKEND_SESSION_KEY
        ) not in settings.AUTHENTICATION_BACKENDS or not session.get(HASH_SESSION_KEY):
            return None
        return Participant(user_id)


session_participant_auth = SessionParticipantAuth()


def _login_check(request: HttpRequest, user_id: int) -> Callable[[str], bool]:
    """Whether the session's login still holds against the account's current password hash,
    as django.contrib.auth.get_user decides it (a hash made with a fallback secret key is
    renewed with the current one)."""

    def check(password: str) -> bool:
        account = User(pk=user_id, password=password)
        session_hash = request.session.get(HASH_SESSION_KEY) or ""
        current = account.get_session_auth_hash()
        if constant_time_compare(session_hash, current):
            return True
        if any(
            constant_time_compare(session_hash, fallback)
            for fallback in account.get_session_auth_fallback_hash()
        ):
            request.session.cycle_key()
            request.session[HASH_SESSION_KEY] = current
            return True
        return False

    return check


def _answering(request: HttpRequest) -> dict[str, Any]:
    """Who answers: the attempt's ticket (the services refuse it for any other attempt),
    else the logged-in user."""
    auth = request.auth  # type: ignore[attr-defined]
    return {"ticket": auth} if isinstance(auth, Ticket) else {"user": auth}


def _sent(payload: dict[str, Any], status: int = 200) -> HttpResponse:
    """A success of the requests of a rush (start, save, submit), built here as ninja would
    render it: the payload is ours and fixed, and checking it against its schema on every
    request only costs time (test_api checks each answer against its schema)."""
    return JsonResponse(payload, encoder=NinjaJSONEncoder, status=status)


def _refuse(error: ContestError) -> HttpError:
    status = {"not_found": 404, "limit": 409, "submitted": 409, "late": 409}.get(error.code, 400)
    return HttpError(status, error.message)


def _contest(slug: str) -> Any:
    contest = selectors.contest_get_published(slug=slug)
    if contest is None:
        raise HttpError(404, _("This contest does not exist."))
    return contest


@router.get("", response=list[ContestOut], summary="Published contests")
def contest_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_contest_payload(c) for c in selectors.contest_list_published()[:50]]


def _contest_payload(contest: Any) -> dict[str, Any]:
    return {
        "slug": contest.slug,
        "title": contest.title,
        "intro": contest.intro,
        "rules": contest.rules,
        "prizes": contest.prizes,
        "timeline": contest.timeline,
        "min_age": contest.min_age,
        "rounds": selectors.round_list(contest=contest),
    }


@router.get("/attempts", response=list[AttemptSummaryOut], auth=django_auth)
def attempt_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": a.pk,
            "round_id": a.round_id,
            "round_title": a.round.title,
            "seq": a.seq,
            "started_at": a.started_at,
            "submitted_at": a.submitted_at,
            "score": a.score,
            "duration_ms": a.duration_ms,
        }
        for a in selectors.attempt_list_own(user=_user(request))[:200]
    ]


class PlaceOut(Schema):
    id: int
    name: str


@router.get(
    "/communes",
    response={200: list[PlaceOut], 404: ErrorOut},
    summary="Communes of a province (current list), for the registration form",
)
def communes(request: HttpRequest, province: int) -> list[dict[str, Any]]:
    found = Province.objects.filter(pk=province).first()
    if found is None:
        raise HttpError(404, _("Please choose a province from the list."))
    return [{"id": c.pk, "name": c.name} for c in units.communes_list(province=found)]


@router.get("/captcha", response=CaptchaOut, summary="A new captcha for starting an attempt")
def captcha_new(request: HttpRequest) -> dict[str, str]:
    key = CaptchaStore.generate_key()
    return {"key": key, "image_url": request.build_absolute_uri(captcha_image_url(key))}


@router.get("/attempts/{attempt_id}", response={200: AttemptOut, 404: ErrorOut}, auth=django_auth)
def attempt_detail(request: HttpRequest, attempt_id: int) -> dict[str, Any]:
    attempt = selectors.attempt_get_own(user=_user(request), attempt_id=attempt_id)
    if attempt is None:
        raise HttpError(404, _("This attempt does not exist or is not yours."))
    return _attempt_payload(attempt)


def _attempt_payload(attempt: Attempt, paper: Paper | None = None) -> dict[str, Any]:
    view = selectors.attempt_view(attempt=attempt, paper=paper)
    return {
        "id": attempt.pk,
        "round_id": attempt.round_id,
        "seq": attempt.seq,
        "started_at": attempt.started_at,
        "deadline": attempt.deadline,
        "seconds_left": view.seconds_left,
        "token": "" if attempt.submitted_at is not None else attempt_token(attempt),
        "submitted_at": attempt.submitted_at,
        "score": attempt.score,
        "total": len(view.questions),
        "duration_ms": attempt.duration_ms,
        "prediction": attempt.prediction,
        "answers_shown": view.show_answers,
        "questions": [
            {
                "number": q.number,
                "id": q.id,
                "text": q.text,
                "options": [
                    {"id": o.id, "text": o.text, "chosen": o.chosen, "correct": o.correct}
                    for o in q.options
                ],
            }
            for q in view.questions
        ],
    }


def _started_body(attempt: Attempt, paper: Paper) -> bytes:
    """`_attempt_payload` of an attempt just started, encoded straight from its draw and the
    paper: nothing is chosen yet and no answer is shown (it is not submitted), so each of its
    questions is the paper's own encoding (Paper.shown) with the options in the attempt's
    order (test_api compares the whole with ninja's rendering of the same attempt)."""
    head = {
        "id": attempt.pk,
        "round_id": attempt.round_id,
        "seq": attempt.seq,
        "started_at": attempt.started_at,
        "deadline": attempt.deadline,
        "seconds_left": max(0, int((attempt.deadline - attempt.started_at).total_seconds())),
        "token": attempt_token(attempt),
        "submitted_at": None,
        "score": None,
        "total": len(attempt.questions),
        "duration_ms": None,
        "prediction": None,
        "answers_shown": False,
    }
    shown = paper.shown
    questions = []
    for number, (qid, order) in enumerate(attempt.questions, start=1):
        members, options = shown[qid]
        questions.append(
            b'{"number":%d,%s,"options":[%s]}'
            % (number, members, b",".join(options[oid] for oid in order))
        )
    encoded = json.dumps(head, cls=NinjaJSONEncoder).encode()
    return b'%s,"questions":[%s]}' % (encoded[:-1], b",".join(questions))


@router.put(
    "/attempts/{attempt_id}/answers",
    response={200: OkOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    auth=[attempt_token_auth, django_auth],
    summary="Save one chosen option",
    url_name="contest_answer_save",
)
def answer_save(request: HttpRequest, attempt_id: int, payload: AnswerIn) -> HttpResponse:
    try:
        services.attempt_answer_save(
            **_answering(request),
            attempt_id=attempt_id,
            question_id=payload.question_id,
            option_id=payload.option_id,
        )
    except ContestError as error:
        raise _refuse(error) from error
    return _sent({"message": _("Saved")})


@router.put(
    "/attempts/{attempt_id}/prediction",
    response={200: OkOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    auth=[attempt_token_auth, django_auth],
    summary="Save the prediction as it is typed",
    url_name="contest_prediction_save",
)
def prediction_save(request: HttpRequest, attempt_id: int, payload: PredictionIn) -> HttpResponse:
    try:
        services.attempt_prediction_save(
            **_answering(request), attempt_id=attempt_id, prediction=payload.prediction
        )
    except ContestError as error:
        raise _refuse(error) from error
    return _sent({"message": _("Saved")})


@router.post(
    "/attempts/{attempt_id}/submit",
    response={200: ResultOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    auth=[attempt_token_auth, django_auth],
    summary="Submit (a repeated submit returns the first result)",
)
def attempt_submit(request: HttpRequest, attempt_id: int, payload: SubmitIn) -> HttpResponse:
    try:
        result = services.attempt_submit(
            **_answering(request),
            attempt_id=attempt_id,
            answers=[(a.question_id, a.option_id) for a in payload.answers],
            prediction=payload.prediction,
            essay=payload.essay,
        )
    except ContestError as error:
        raise _refuse(error) from error
    return _sent(
        {
            "attempt_id": result.attempt_id,
            "seq": result.seq,
            "score": result.score,
            "total": result.total,
            "duration_ms": result.duration_ms,
            "submitted_at": result.submitted_at,
            "late": result.late,
            "first_submission": result.first,
        }
    )


@router.get("/{slug}", response={200: ContestOut, 404: ErrorOut})
def contest_detail(request: HttpRequest, slug: str) -> dict[str, Any]:
    return _contest_payload(_contest(slug))


@router.post(
    "/{slug}/registration",
    response={200: OkOut, 400: ErrorOut, 404: ErrorOut},
    auth=django_auth,
    summary="Fill in the contest's registration fields (once)",
)
def register(request: HttpRequest, slug: str, payload: RegistrationIn) -> dict[str, str]:
    contest = _contest(slug)
    data = payload.dict()
    data["consent"] = "on" if data["consent"] else ""
    form = RegistrationForm({k: v for k, v in data.items() if v is not None}, contest=contest)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        label = form.fields[field].label if field in form.fields and field != "consent" else ""
        raise HttpError(400, f"{label}: {errors[0]}" if label else str(errors[0]))
    try:
        services.participant_register(contest=contest, user=_user(request), **form.service_kwargs())
    except ContestError as error:
        raise _refuse(error) from error
    return {"message": _("Your registration has been saved. Good luck!")}


@router.post(
    "/{slug}/rounds/{number}/attempts",
    response={201: AttemptOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut, 429: ErrorOut},
    auth=session_participant_auth,
    summary="Start an attempt",
)
def attempt_start(request: HttpRequest, slug: str, number: int, payload: StartIn) -> HttpResponse:
    user: Participant = request.auth  # type: ignore[attr-defined]
    # The limit first: every guess at a captcha is a start tried and counted. The round's id
    # and its paper's version are read in the same round trip to the cache.
    reads = selectors.start_reads(slug=slug, number=number)
    hit = services.attempt_start_rate_take(request=request, user=user, reads=reads.keys)
    if hit is None:
        raise HttpError(429, _("Too many attempts started in a short time. Please wait a minute."))
    round_id = selectors.round_id_published(
        slug=slug, number=number, cached=hit.read.get(reads.round_key)
    )
    if round_id is None:
        hit.undo()  # no start was tried
        raise HttpError(404, _("This round does not exist."))
    version = (
        hit.read.get(reads.version_key)
        if reads.version_key and reads.guessed_round == round_id
        else None
    )
    login_check = _login_check(request, user.pk)
    try:
        if conf.start_captcha() and not captcha_passed(
            key=payload.captcha_key, answer=payload.captcha_value
        ):
            # A withdrawn session's guesses must not use up its owner's starts: the login
            # is checked (the user's row read) before the guess is counted against them.
            if not services.attempt_start_login_holds(user_id=user.pk, login_check=login_check):
                raise LoginExpired()
            raise HttpError(
                400, _("The verification code is wrong or has expired. Please type the new one.")
            )
        # One read of the paper's version for the start and its answer alike.
        paper = services.round_paper_load(round_id=round_id, version=version)
        attempt = services.attempt_start(
            user=user, round_id=round_id, paper=paper, login_check=login_check
        )
    except LoginExpired as error:
        # Not the person's start: it is not counted against them. And as Django's login
        # from the session does with a withdrawn session: it ends.
        hit.undo()
        request.session.flush()
        raise AuthenticationError() from error
    except ContestError as error:
        raise _refuse(error) from error
    return HttpResponse(_started_body(attempt, paper), content_type="application/json", status=201)
