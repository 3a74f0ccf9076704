"""The settings' own rules, beyond reading the environment."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from notifications.settings import NotifySettings
from workflows.runtime.settings import Settings


def test_the_base_url_is_read_from_the_same_variable_as_the_mail_links(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DHRFLOW_BASE_URL", "https://dhrflow.bcsp.test/")
    assert Settings(_env_file=None).base_url == "https://dhrflow.bcsp.test"  # no slash doubled in a link
    assert NotifySettings(_env_file=None).base_url.rstrip("/") == Settings(_env_file=None).base_url
    monkeypatch.delenv("DHRFLOW_BASE_URL")
    assert Settings(_env_file=None).base_url == NotifySettings(_env_file=None).base_url == "http://127.0.0.1:8000"


@pytest.mark.parametrize("bad", ["dhrflow.bcsp.test", "javascript:alert(1)", "https://", "https://a@evil.example"])
def test_a_base_url_that_is_no_web_address_is_refused(bad: str) -> None:
    with pytest.raises(ValidationError, match="DHRFLOW_BASE_URL"):
        Settings(_env_file=None, base_url=bad)
