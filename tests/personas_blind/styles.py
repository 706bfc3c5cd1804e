"""Default answers in a persona's own words, and how a person finds its choice on a menu."""

from __future__ import annotations

import re

from tests.personas_blind.model import UNDECIDED, Facts
from tests.personas_blind.reader import fold
from workflows import Outgoing

# What each value's button must say for a person to recognise it (the persona's own idea).
VALUE_WORDS: dict[str, str] = {
    "company": r"企業|会社|company|business",
    "npo": r"npo|非営利",
    "university": r"大学|研究機関|universit|research",
    "association": r"団体|協会|組合|association",
    "financial": r"金融|銀行|financial|bank",
    "sole_proprietor": r"個人事業|sole|self-employed|freelanc",
    "other": r"その他|other",
    "no_cost": r"負担なし|費用なし|かからない|no cost|free of charge|nothing",
    "proposer_bears": r"提案者|自己負担|自社|proposer|ourselves|we (pay|bear|cover)",
    "venue": r"会場|場所|実証の場|venue|site|place",
    "publicity": r"広報|周知|publicity|promot",
    "data": r"データ|data",
    "introductions": r"紹介|つなぎ|introduc",
    "permits": r"許認可|調整|permit|permission",
    "co_hosting": r"共催|co-?host",
    "yes": r"^(はい|yes|同意)",
    "submit": r"提出|submit|file",
    "continue": r"続け|続き|continue|resume",
    "undecided": r"未定|決めていない|わからない|undecided|not (yet )?decided|later",
}
TIER_LABEL = r"^\s*{tier}\s*[:：（(\s]|^\s*{tier}\s*$"

# A neutral polite answer when the persona's own words for a topic are not written out.
DEFAULTS: dict[str, dict[str, str]] = {
    "ja": {
        "org_name": "{organisation}です。",
        "contact_name": "{contact}です。",
        "email": "{email}です。",
        "phone": "{phone}です。",
        "title": "{title}",
        "consents": "はい、同意します。",
        "confirm": "提出します。",
        "stale": "続きからお願いします。",
        "yes": "はい、お願いします。",
        "no": "いいえ、そのままでお願いします。",
        "lost": "すみません、何を答えればいいのかわかりません。",
        "no_edit": "いえ、修正はありません。このまま提出してください。",
        "budget": "市の費用は使わない形で進めます。",
        "undecided": "まだ決めていません。",
        "propose": "提案したいです。",
        "decline": "いいえ、大丈夫です。提案を続けたいです。",
    },
    "en": {
        "org_name": "{organisation}",
        "contact_name": "{contact}",
        "email": "{email}",
        "phone": "{phone}",
        "title": "{title}",
        "consents": "Yes, I agree.",
        "confirm": "Submit it, please.",
        "stale": "Let's continue where we left off.",
        "yes": "Yes, please.",
        "no": "No, keep it as it was.",
        "lost": "Sorry, I'm not sure what you need from me.",
        "no_edit": "Nothing to change, please just file it.",
        "budget": "We'll go ahead without any money from the city.",
        "undecided": "Not decided yet.",
        "propose": "I'd like to make a proposal.",
        "decline": "No, thank you. I'd like to go on with my proposal.",
    },
}
TYPE_WORDS: dict[str, dict[str, str]] = {
    "ja": {
        "company": "企業です",
        "npo": "NPO法人です",
        "university": "大学です",
        "association": "一般社団法人です",
        "financial": "金融機関です",
        "sole_proprietor": "個人事業主です",
        "other": "その他です",
    },
    "en": {
        "company": "A company",
        "npo": "An NPO",
        "university": "A university",
        "association": "An association",
        "financial": "A bank",
        "sole_proprietor": "Sole proprietor",
        "other": "Other",
    },
}
COST_WORDS = {
    "ja": {"no_cost": "市の費用はかかりません", "proposer_bears": "費用はこちらで負担します"},
    "en": {"no_cost": "It costs the city nothing", "proposer_bears": "We pay the costs ourselves"},
}


def wanted_values(topic: str, facts: Facts) -> list[str]:
    """The menu values this persona means for a choice topic (empty for free text)."""
    if topic == "org_type":
        return [facts.org_type]
    if topic == "cost":
        return [facts.cost]
    if topic == "roles":
        return list(facts.roles or ("other",))
    if topic == "consents":
        return ["yes"]
    if topic == "confirm":
        return ["submit"]
    if topic == "stale":
        return ["continue"]
    if topic == "tier":
        return [facts.tier or UNDECIDED]
    return []


def matches(value: str, label: str) -> bool:
    if value in ("A", "B", "C"):
        return bool(re.search(TIER_LABEL.format(tier=value), label, re.IGNORECASE))
    pattern = VALUE_WORDS.get(value)
    return bool(pattern and re.search(pattern, fold(label)))


def choice_numbers(reply: Outgoing | None, values: list[str]) -> list[int]:
    """The button numbers (1-based) a person would pick for `values`, as far as found."""
    if reply is None:
        return []
    found = []
    for value in values:
        for number, choice in enumerate(reply.choices, start=1):
            if matches(value, choice.label):
                found.append(number)
                break
    return found


def choice_labels(reply: Outgoing | None, values: list[str]) -> list[str]:
    """The button labels for `values`, as shown."""
    if reply is None:
        return []
    return [reply.choices[n - 1].label for n in choice_numbers(reply, values)]


def plain(topic: str, facts: Facts, lang: str) -> str | None:
    """The bare value for a free-text topic (a second try, said plainly)."""
    bare = {
        "org_name": facts.organisation,
        "contact_name": facts.contact,
        "email": facts.email,
        "phone": facts.phone,
        "title": facts.title,
        "org_type": TYPE_WORDS[lang].get(facts.org_type),
        "cost": COST_WORDS[lang].get(facts.cost),
    }
    return bare.get(topic)


def default(topic: str, facts: Facts, lang: str) -> str | None:
    """A neutral polite first answer for `topic`, or None when the persona must say it."""
    if topic == "org_type":
        return TYPE_WORDS[lang][facts.org_type]
    if topic == "cost":
        return COST_WORDS[lang][facts.cost]
    if topic == "tier" and facts.tier == UNDECIDED:
        return DEFAULTS[lang]["undecided"]
    if topic == "tier" and facts.tier:
        return facts.tier
    template = DEFAULTS[lang].get(topic)
    if template is None:
        return None
    values = {
        "organisation": facts.organisation,
        "contact": facts.contact,
        "email": facts.email,
        "phone": facts.phone or "",
        "title": facts.title or "",
    }
    return template.format(**values)
