"""The fault suite borrows the web app fixture of the HTTP tests."""

from tests.e2e.conftest import site

__all__ = ["site"]
