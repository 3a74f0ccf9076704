"""Whether the clock runs: the Prefect server and the flows that sweep, remind and send mail.

``dhrflow serve`` starts the web app first, so the pages answer as soon as the database is ready, and the
clock beside it; it puts a ``ClockStatus`` on the app and marks it once the clock runs. The pages say so.
Should the clock fail, ``serve`` stops the web app with it (one process, one fate), so no page says that.
A web app run on its own (``uvicorn web.app:from_environment``, with workers elsewhere) has none and says
nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass
class ClockStatus:
    running_since: datetime | None = None
    """When the flows began polling for their scheduled runs; ``None`` while starting."""

    @property
    def starting(self) -> bool:
        return self.running_since is None
