"""Per-attempt public ids for choices and matching items: an HMAC of the attempt's secret, the question
and the authored id, so ids say nothing about the key (authors often write the right answer first as
"a") and an id seen in another learner's attempt matches nothing in yours.

Stored responses keep the authored ids (grading, statistics and regrade read them); ids are
translated at the edges: the public view and saved responses going out, posted answers coming in.
"""
from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

PUBLIC_ID_LENGTH = 12  # hex digits: 48 bits, no collision among a question's few dozen choices


class PublicIds:
    """The id translation of one question in one attempt; `secret=None` keeps authored ids (author previews)."""

    def __init__(self, secret: str | None, question_id: int | str = "") -> None:
        self.secret, self.question_id = secret, question_id

    def public(self, authored: str) -> str:
        if self.secret is None:
            return authored
        message = f"{self.question_id}:{authored}".encode("utf-8")
        return "o" + hmac.new(self.secret.encode("utf-8"), message, hashlib.sha256).hexdigest()[:PUBLIC_ID_LENGTH]

    def authored(self, public: str, candidates: Iterable[str]) -> str | None:
        """The authored id among `candidates` whose public id is `public`; None when none is."""
        return next((candidate for candidate in candidates if self.public(candidate) == public), None)


AUTHORED_IDS = PublicIds(None)
