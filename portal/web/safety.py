"""Small guards for values that come from the browser."""

from urllib.parse import urlsplit


def safe_next_url(target: str | None) -> str | None:
    """Only a path on this site: no scheme, no host, no protocol-relative '//' trick."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


# Control characters (CR, LF, ...) and Unicode line breaks, written out so that text from the
# browser cannot start a forged line in the log.
_LOG_ESCAPES = {code: f"\\x{code:02x}" for code in (*range(32), 127, 0x85)}
_LOG_ESCAPES.update({0x2028: "\\u2028", 0x2029: "\\u2029"})


def log_safe(value: str | None, limit: int = 100) -> str:
    """Browser input made fit for one log line: no line breaks, at most `limit` characters."""
    return (value or "")[:limit].translate(_LOG_ESCAPES)
