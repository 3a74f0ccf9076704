"""Who a recommendation is addressed to: an agency of the plan, or a national body.

The national bodies are data (``NATIONAL_BODIES``): each with the name dhrflow writes, its abbreviation, and
other spellings people use. An addressee given by a person or read from a plan is normalised to the body's
name ("DHSC", "Dept of Health" and "department of health and social care" are all "Department of Health and
Social Care"), or to the plan's own agency name; anything else is kept as typed (a regional body, say), so
nothing a person writes is lost.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class NationalBody:
    name: str
    abbreviation: str = ""
    aliases: tuple[str, ...] = ()


NATIONAL_BODIES: tuple[NationalBody, ...] = (
    NationalBody("Home Office", "HO"),
    NationalBody(
        "Department of Health and Social Care",
        "DHSC",
        ("Department of Health", "Dept of Health", "Dept of Health and Social Care", "DoH", "DH"),
    ),
    NationalBody("Ministry of Justice", "MoJ"),
    NationalBody("NHS England", "NHSE", ("NHS England and NHS Improvement", "NHSEI")),
    NationalBody("Department for Education", "DfE", ("Dept for Education",)),
    NationalBody("Department for Work and Pensions", "DWP"),
    NationalBody(
        "Ministry of Housing, Communities and Local Government",
        "MHCLG",
        ("Department for Levelling Up, Housing and Communities", "DLUHC"),
    ),
    NationalBody("Crown Prosecution Service", "CPS"),
    NationalBody("HM Prison and Probation Service", "HMPPS", ("Probation Service", "National Probation Service")),
    NationalBody("National Police Chiefs' Council", "NPCC"),
    NationalBody("College of Policing", "CoP"),
    NationalBody("Domestic Abuse Commissioner", "DAC", ("Office of the Domestic Abuse Commissioner",)),
    NationalBody("Care Quality Commission", "CQC"),
    NationalBody("Welsh Government", "WG"),
    NationalBody("General Medical Council", "GMC"),
    NationalBody("Royal College of General Practitioners", "RCGP"),
)
"""National bodies recommendations are addressed to, by the name dhrflow writes."""


def _key(text: str) -> str:
    """A spelling's key: case, punctuation and "the" ignored, "&" read as "and"."""
    words = re.findall(r"[a-z0-9]+", text.casefold().replace("&", " and "))
    return " ".join(w for w in words if w != "the")


def _spellings() -> dict[str, str]:
    found: dict[str, str] = {}
    for body in NATIONAL_BODIES:
        for spelling in (body.name, body.abbreviation, *body.aliases):
            if spelling:
                found[_key(spelling)] = body.name
    return found


_BY_SPELLING = _spellings()


def normalise(text: str, agencies: Iterable[str] = ()) -> str:
    """The addressee ``text`` names: a national body's name, one of ``agencies`` (the plan's, as spelled
    there), or ``text`` itself with its spaces tidied; "" for nothing."""
    tidy = " ".join(text.split())
    key = _key(tidy)
    if not key:
        return ""
    return _BY_SPELLING.get(key) or _agency_named(key, agencies) or tidy


def is_national_body(name: str) -> bool:
    return _key(name) in _BY_SPELLING


_LEADING = re.compile(
    r"^\s*(?:recommendations?\s*[\d.,\sand]*[.:)]?\s*|\d+(?:\.\d+)*[.:)]?\s*)?(?:that\s+)?(?P<who>.{2,120}?)\s+"
    r"(?:should|must|to|will|shall|is\s+to|are\s+to|needs?\s+to|ought\s+to|ensures?|implements?|reviews?|"
    r"develops?|considers?|provides?|establish(?:es)?|commissions?|updates?|issues?)\s",
    re.IGNORECASE,
)


def _agency_named(key: str, agencies: Iterable[str]) -> str:
    """The agency ``key`` names: by its name, or by the abbreviation its name ends with ("... (BSMHFT)")."""
    for agency in agencies:
        short = re.search(r"\(([^()]+)\)\s*$", agency)
        if _key(agency) == key or (short is not None and _key(short.group(1)) == key):
            return agency
    return ""


def read_addressee(text: str, agencies: Iterable[str] = ()) -> str:
    """The body a recommendation's own words address ("The Home Office should ...", "NHS England to ...",
    "Recommendation 3: DHSC must ...", "BSMHFT ensure that ..."): a national body or an agency of the plan;
    "" when the words name neither (never a guess from the middle of a sentence)."""
    match = _LEADING.match(text)
    if match is None:
        return ""
    key = _key(match.group("who").strip(" ,;:"))
    return _BY_SPELLING.get(key) or _agency_named(key, agencies)
