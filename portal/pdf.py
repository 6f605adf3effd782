"""HTML to PDF with WeasyPrint, fetching nothing but the portal's own static files.

Templates refer to static files by `url_for('static', ...)` paths; they resolve against
BASE_URL, an address that exists nowhere, and the fetcher reads them from the static folder.
Any other address (`file:`, another host, a path outside static/) is refused, so a statement
can never pull in a local file or make the server call out.
"""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import current_app
from weasyprint import HTML

BASE_URL = "https://portal.invalid/"


class RefusedURL(ValueError):
    """A statement asked for something other than one of the portal's static files."""


def static_fetcher(static_folder: str, static_url_path: str):
    root = Path(static_folder).resolve()
    prefix = BASE_URL.rstrip("/") + static_url_path.rstrip("/") + "/"

    def fetch(url: str, *args, **kwargs) -> dict:
        parts = urlsplit(url)
        if not url.startswith(prefix) or parts.query or parts.fragment:
            raise RefusedURL(f"refused: {url[:100]}")
        path = (root / unquote(parts.path[len(urlsplit(prefix).path):])).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            raise RefusedURL(f"refused: {url[:100]}")
        return {"string": path.read_bytes(), "mime_type": mimetypes.guess_type(path.name)[0],
                "redirected_url": url}

    return fetch


def _document(html: str) -> HTML:
    app = current_app
    folder, url_path = app.static_folder, app.static_url_path
    if folder is None or url_path is None:  # Flask's types allow an app without static files
        raise RuntimeError("the portal serves its static folder")
    fetcher = static_fetcher(folder, url_path)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)


def render_pdf(html: str) -> bytes:
    return _document(html).write_pdf(pdf_variant="pdf/ua-1")


def write_pdf(html: str, target: Path) -> None:
    """`render_pdf` into a file, so that a statement's parts need not all be in memory."""
    _document(html).write_pdf(target, pdf_variant="pdf/ua-1")


def page_count(html: str) -> int:
    """The pages `html` lays out to (the layout is done and dropped again)."""
    return len(_document(html).render().pages)
