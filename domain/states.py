"""The states an action moves through and the events that move it."""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    OPEN = "open"
    EVIDENCE_SUBMITTED = "evidence_submitted"
    COMMISSIONER_VERIFIED = "commissioner_verified"
    PARTNERSHIP_ASSURED = "partnership_assured"
    WITHDRAWN = "withdrawn"

    @property
    def is_final(self) -> bool:
        return self in (State.PARTNERSHIP_ASSURED, State.WITHDRAWN)


class Event(StrEnum):
    SUBMIT_EVIDENCE = "submit_evidence"
    VERIFY = "verify"
    REJECT = "reject"
    ASSURE = "assure"
    WITHDRAW = "withdraw"
    RECORD_PROGRESS = "record_progress"
