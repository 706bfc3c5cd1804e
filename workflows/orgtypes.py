"""What kind of organisation people say they are, without a legal form to show it.

「個人でやってます」, 「フリーランスです」, "We're a small NPO called Green Steps": the type, said
without the name; 「はだの温泉旅館組合です！」: a name known by the word it ends with (and the type
that word implies). Every pattern is linear; texts are read up to a bounded length.
"""

from __future__ import annotations

import re

from workflows.plain import normalise
from workflows.record import OrganisationType

__all__ = ["named_by_suffix", "stated_type"]


# 「個人でやってます」, 「フリーランスです」, "I'm self-employed": a type said without a name.
_STATED_TYPE: list[tuple[re.Pattern[str], OrganisationType]] = [
    (
        re.compile(
            r"個人で(?:やって|営んで|経営して|運営して|活動して|事業を|商売を|お店を|店を)|"
            r"個人事業(?:主)?(?:です|で|を|として|の|になります|でやって)|個人経営|個人商店|"
            r"フリーランス(?:です|で|として|の|になります)|フリーで(?:やって|活動)|"
            r"自営(?:業)?(?:です|で|を|として|の|になります|しています|してます)|一人で(?:やって|経営|営んで)|"
            r"(?<![A-Za-z])(?:i'?m (?:a )?(?:freelancer|self-employed|sole (?:proprietor|trader))|"
            r"i am (?:a )?(?:freelancer|self-employed|sole (?:proprietor|trader))|"
            r"(?:as a|just a) (?:freelancer|sole (?:proprietor|trader))|"
            r"i run it (?:on my own|by myself|alone)|one-person business|"
            r"(?:i'?m|i am) (?:a )?freelance(?: \w+)?|it'?s just me|just myself)(?![A-Za-z])",
            re.I,
        ),
        OrganisationType.SOLE_PROPRIETOR,
    ),
    (
        re.compile(r"任意団体|(?<![A-Za-z])(?:voluntary|volunteer) group", re.I),
        OrganisationType.ASSOCIATION,
    ),
]
# "We're an association of small offices", "we are a small NPO": the type after "we are a/an".
_WE_ARE = re.compile(
    r"(?:(?<![A-Za-z])(?:we(?:'re| are)|it'?s|it is|i(?:'m| am) (?:with|from))\s|[,(]\s?)"
    r"(?:an?|the)\s"
    r"(?:(?:small|local|new|young|non-profit|nonprofit|private|regional)\s){0,2}"
    r"(association|npo|ngo|non-?profit|charity|foundation|cooperative|co-op|company|startup|"
    r"business|firm|university|college|research institute|bank|credit union|freelancer)"
    r"(?![A-Za-z])",
    re.I,
)
_WE_ARE_TYPES = {
    "association": OrganisationType.ASSOCIATION,
    "foundation": OrganisationType.ASSOCIATION,
    "cooperative": OrganisationType.ASSOCIATION,
    "co-op": OrganisationType.ASSOCIATION,
    "npo": OrganisationType.NPO,
    "ngo": OrganisationType.NPO,
    "nonprofit": OrganisationType.NPO,
    "non-profit": OrganisationType.NPO,
    "charity": OrganisationType.NPO,
    "company": OrganisationType.COMPANY,
    "startup": OrganisationType.COMPANY,
    "business": OrganisationType.COMPANY,
    "firm": OrganisationType.COMPANY,
    "university": OrganisationType.UNIVERSITY,
    "college": OrganisationType.UNIVERSITY,
    "research institute": OrganisationType.UNIVERSITY,
    "bank": OrganisationType.FINANCIAL,
    "credit union": OrganisationType.FINANCIAL,
    "freelancer": OrganisationType.SOLE_PROPRIETOR,
}
# 「個人でやってます」 is a short clause; a proposal mentions 個人 in other senses.
TYPE_STATEMENT_CHARS = 80


def stated_type(text: str) -> OrganisationType | None:
    """The organisation type a short clause states without naming the organisation."""
    text = normalise(text)
    if len(text) > TYPE_STATEMENT_CHARS:
        return None
    found = next((kind for pattern, kind in _STATED_TYPE if pattern.search(text)), None)
    if found is None and (we_are := _WE_ARE.search(text)):
        found = _WE_ARE_TYPES.get(we_are.group(1).lower())
    return found


# 「はだの温泉旅館組合です！」: a name without a legal form, said as an introduction, known by
# the word it ends with; some of those words say the type too.
_SUFFIX_TYPES: tuple[tuple[str, OrganisationType | None], ...] = (
    ("組合", OrganisationType.ASSOCIATION),
    ("協議会", OrganisationType.ASSOCIATION),
    ("協会", OrganisationType.ASSOCIATION),
    ("振興会", OrganisationType.ASSOCIATION),
    ("自治会", OrganisationType.ASSOCIATION),
    ("町内会", OrganisationType.ASSOCIATION),
    ("実行委員会", OrganisationType.ASSOCIATION),
    ("商店街", OrganisationType.ASSOCIATION),
    ("研究会", OrganisationType.ASSOCIATION),
    ("工務店", None),
    ("商店", None),
    ("工房", None),
    ("事務所", None),
    ("スタジオ", None),
    ("ネットワーク", None),
    ("ネット", None),
    ("ラボ", None),
    ("クラブ", None),
    ("倶楽部", None),
    ("農園", None),
    ("食堂", None),
    ("カフェ", None),
    ("書店", None),
    ("薬局", None),
)
_PARTICLE_AFTER_WORD = re.compile(r"[一-龥々ァ-ヶーA-Za-z0-9](?:は|が|を|に|で|と|も)")
_INTRODUCED = re.compile(
    r"^(?:私たちは|うちは|こちらは)?([^\s、。!！?？]{2,30}?)"
    r"(?:です|でございます|と申します)[!！。]?$"
)


def named_by_suffix(sentence: str) -> tuple[str, OrganisationType | None] | None:
    """(name, type or None) for 「はだの温泉旅館組合です！」, a name known by its last word."""
    found = _INTRODUCED.match(normalise(sentence).strip())
    if not found:
        return None
    name = found.group(1)
    if _PARTICLE_AFTER_WORD.search(name):
        return None  # 「弊社は…組合です」: a sentence, not a name
    for suffix, kind in _SUFFIX_TYPES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name, kind
    return None
