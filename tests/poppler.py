"""Reading a PDF back with poppler, as its reader sees it.

Without poppler-utils a test that needs it is skipped with the install command, except in CI
(CI=true), where its absence fails the run: `make test` and `.ci/run` install it.
"""

import os
import shutil
import subprocess

import pytest


def poppler_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        message = f"{name} reads the PDFs: apt-get install poppler-utils"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def pdf_to_text(pdf: bytes) -> str:
    """The text of every page, laid out as printed; pages are separated by a form feed."""
    return subprocess.run([poppler_tool("pdftotext"), "-layout", "-", "-"],  # noqa: S603
                          input=pdf, capture_output=True, check=True).stdout.decode()


def pdf_info(pdf: bytes) -> str:
    return subprocess.run([poppler_tool("pdfinfo"), "-"], input=pdf,  # noqa: S603
                          capture_output=True, check=True).stdout.decode()
