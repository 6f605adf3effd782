"""Logging in through the real login form (password, then the TOTP code) for a session
cookie that wrk can send."""

import re
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pyotp

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Browser:
    """Just enough of a browser: cookies, redirects, form posts with the CSRF token."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path: str) -> tuple[str, str]:
        with self.opener.open(self.base_url + path, timeout=600) as response:
            return response.geturl(), response.read().decode()

    def post_form(self, path: str, fields: dict, body: bytes | None = None,
                  content_type: str | None = None) -> tuple[str, str]:
        """Posts to `path` with the CSRF token of the page at `path`."""
        _url, page = self.get(path)
        token = _CSRF.search(page).group(1)
        if body is None:
            body = urllib.parse.urlencode({"csrf_token": token, **fields}).encode()
            content_type = "application/x-www-form-urlencoded"
        else:
            body = body.replace(b"__CSRF__", token.encode())
        request = urllib.request.Request(self.base_url + path, data=body,
                                         headers={"Content-Type": content_type})
        with self.opener.open(request, timeout=600) as response:
            return response.geturl(), response.read().decode()

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.cookies)


def log_in(base_url: str, email: str, password: str, totp_secret: str | None) -> Browser:
    browser = Browser(base_url)
    url, _page = browser.post_form("/inloggen", {"email": email, "password": password})
    if totp_secret:
        url, _page = browser.post_form("/inloggen/code",
                                       {"code": pyotp.TOTP(totp_secret).now()})
    if "/inloggen" in url:
        raise RuntimeError(f"logging in as {email} failed (ended on {url})")
    return browser
