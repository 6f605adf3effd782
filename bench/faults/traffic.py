"""Users during a drill: threads sending requests, and what each of them got back."""

import http.client
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field

REQUEST_TIMEOUT = 10
NO_ANSWER_PAUSE = 0.1
# A page that answers with these in place is one a user can read and trust.
SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options")


@dataclass(frozen=True)
class Request:
    """One kind of request: method, path, headers (the session cookie), form body."""

    name: str
    path: str
    headers: dict = field(default_factory=dict)
    form: dict | None = None


@dataclass(frozen=True)
class Answer:
    at: float  # seconds since the load started
    request: str
    status: str  # "200", "503", ..., "no answer" (connection refused or dropped, timeout)
    dutch: bool
    headers: bool


def send(base_url: str, request: Request) -> tuple[str, bool, bool]:
    """Status, whether the page is Dutch, whether the security headers are there."""
    data = urllib.parse.urlencode(request.form).encode() if request.form is not None else None
    http_request = urllib.request.Request(base_url + request.path, data=data,
                                          headers=request.headers)
    try:
        with _OPENER.open(http_request, timeout=REQUEST_TIMEOUT) as response:
            return _judged(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return _judged(error.code, error.headers, error.read())
    except (OSError, http.client.HTTPException):
        return "no answer", False, False


def _judged(status: int, headers, body: bytes) -> tuple[str, bool, bool]:
    text = body[:4000].decode(errors="replace")
    # A page says its language; an HTMX notice (HX-Retarget) is a fragment of a Dutch page.
    dutch = ('lang="nl"' in text or headers.get("Content-Type", "").startswith("application/json")
             or (headers.get("HX-Retarget") is not None and "niet beschikbaar" in text))
    return str(status), dutch, all(name in headers for name in SECURITY_HEADERS)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is an answer in itself (a login that worked)


_OPENER = urllib.request.build_opener(_NoRedirect)


class Load:
    """`threads` users, each sending the requests in turn, until stopped or `seconds` pass."""

    def __init__(self, base_url: str, requests: list[Request], threads: int,
                 seconds: float, pause: float = 0.0):
        self.base_url, self.requests, self.seconds, self.pause = (base_url, requests,
                                                                  seconds, pause)
        self.answers: list[Answer] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._user, args=(n,), daemon=True)
                         for n in range(threads)]
        self.started = 0.0

    def __enter__(self):
        self.started = time.monotonic()
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_exc):
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=REQUEST_TIMEOUT + 5)

    def now(self) -> float:
        return time.monotonic() - self.started

    def _user(self, n: int):
        turn = n
        while not self._stop.is_set() and self.now() < self.seconds:
            request = self.requests[turn % len(self.requests)]
            turn += 1
            at = self.now()
            status, dutch, headers = send(self.base_url, request)
            with self._lock:
                self.answers.append(Answer(round(at, 2), request.name, status, dutch, headers))
            # A refused connection comes back at once: do not spin on it.
            time.sleep(max(self.pause, NO_ANSWER_PAUSE if status == "no answer" else 0))


def tally(answers: list[Answer], since: float = 0.0, until: float = float("inf")) -> dict:
    """Counts by status (and, for errors, whether they were Dutch with security headers)."""
    chosen = [a for a in answers if since <= a.at < until]
    errors = [a for a in chosen if a.status not in ("200", "302", "no answer")]
    return {"requests": len(chosen),
            "by_status": dict(sorted(Counter(a.status for a in chosen).items())),
            "errors_dutch_with_headers": sum(a.dutch and a.headers for a in errors),
            "errors_other": sum(not (a.dutch and a.headers) for a in errors)}


def first_success_after(answers: list[Answer], moment: float, ok=("200", "302")) -> float | None:
    """Seconds from `moment` to the first good answer to a request sent after it."""
    later = [a.at for a in answers if a.at >= moment and a.status in ok]
    return round(min(later) - moment, 2) if later else None


def recovery_seconds(answers: list[Answer], moment: float, ok=("200", "302")) -> float | None:
    """Seconds from `moment` (the fault ended) to the first good answer after which no
    request failed; None when none came."""
    bad = [a.at for a in answers if a.at >= moment and a.status not in ok]
    since = max(bad, default=moment)
    good = [a.at for a in answers if a.at >= since and a.status in ok]
    return round(min(good) - moment, 2) if good else None
