"""How a persona reads the desk: what a reply asks, by meaning rather than exact wording.

The desk's sentences change as the dialogue is reworked, so each kind of question is
recognised by the words any phrasing of it must use (in Japanese and English), tried in an
order that keeps the long texts (the consents, the read-back) from being read as one of the
fields they mention.
"""

from __future__ import annotations

import re
import unicodedata

from workflows.io import Outgoing

# (kind, alternatives): the first kind any of whose words a reply uses wins.
_WORDS: list[tuple[str, list[str]]] = [
    ("filed", ["受付番号は", "受け付けました", "reference (number )?is", "is filed", "been filed"]),
    (
        "budget",
        ["(予算|public money|procurement).*(組み直|続けられ|続けます|rework|go on|continue)"],
    ),
    ("refused", ["お受けできません", "cannot be accepted", "cannot accept", "受付できません"]),
    (
        "ask_question",
        ["ご質問をどうぞ", "質問をお書き", "what is your question", "go ahead with your question"],
    ),
    ("cancelled", ["取り消しました", "^cancelled", "入力を取り消"]),
    (
        "stale",
        ["(続き|続け|再開|continue|resume).*(最初から|やり直|start over|start again|new one)"],
    ),
    ("edit_how", ["修正したい点", "what to change", "which part"]),
    (
        "change_confirm",
        [
            "(に|へ)(変更|変え|訂正|修正)(しますか|ますか|してよろしい|でよろしい|しましょうか)",
            r"change (the |your )?\S+( \S+)? to .{1,200}\?",
            r"update (the |your )?\S+( \S+)? to .{1,200}\?",
        ],
    ),
    (
        "confirm",
        [
            "提出しますか",
            "提出してよろしい",
            "shall i file",
            r"file it\?",
            "この内容で",
            "what will be filed",
            "以下の内容",
        ],
    ),
    (
        "ambiguous",
        ["どちら(です|でしょう|になさ)", "which (one|of)", "(did|do) you mean", "どれですか"],
    ),
    (
        "restate",
        [
            "何が変わ",
            "何をどう変え",
            "改めて教え",
            "書き換え",
            "describe (the|your) (proposal|idea) again",
            "replaces the summary",
            "どのように変え",
            "組み直した",
            "組み直し後",
            "how (the idea|it) (will )?work",
            "reworked",
            "変わる点",
            "変更点",
            "変わるところ",
            "what (now )?changes",
            "what will change",
            "restate",
        ],
    ),
    ("consents", ["同意", "agree", "consent"]),
    ("proposer.membership_tier", ["階層", "tier"]),
    (
        "content.municipality_roles",
        [
            r"市(（事務局）|\(事務局\))?に(お願い|求め|期待)",
            "事務局にお願い",
            "お願いしたいこと",
            "市の役割",
            "ask of the city",
            "from the city",
            "need from",
            "city'?s role",
            "role of the city",
        ],
    ),
    ("content.cost_model", ["費用", "コスト", "cost", "負担", "who (will )?pay"]),
    (
        "organisation.type",
        ["種類", "種別", "法人格", "kind of organi", "type of organi", "what kind"],
    ),
    (
        "organisation.name",
        [
            "団体名",
            "会社名",
            "組織名",
            "法人名",
            "団体のお名前",
            "organi[sz]ation'?s? name",
            "name of (your|the) (organi|company)",
            "which (organi[sz]ation|company)",
        ],
    ),
    ("contact.name", ["お名前", "氏名", "担当者名", r"\bname\b"]),
    ("contact.email", ["メール", "e-?mail"]),
    ("contact.phone", ["電話", "phone"]),
    ("content.title", ["タイトル", "件名", "題名", "提案名", "title"]),
    (
        "content.summary",
        [
            "概要",
            "summar",
            "どのような提案",
            "どんな提案",
            "提案の内容",
            "describe",
            "about your proposal",
        ],
    ),
    ("content.problem", ["課題", "problem", "issue"]),
    (
        "content.activities",
        ["具体的", "何を行", "取り?組", "活動", "what exactly", "activities", "what will"],
    ),
    (
        "handoff",
        ["おつなぎ", "つなぎします", "put you through", "pass (it|your question) to staff"],
    ),
    ("answer", ["出典", "Source:", "によると", "^From '"]),
    ("menu", ["ご用件", "窓口です", "choose what you need", r"desk\."]),
]
KINDS: list[tuple[str, re.Pattern[str]]] = [
    (kind, re.compile("|".join(words), re.I | re.S)) for kind, words in _WORDS
]
# A refusal of the answer just given: counted as a re-prompt.
REFUSAL = re.compile(
    r"選択肢の番号か|形が正しくない|もう少し詳しく|長すぎ|number or the words|does not look like|"
    r"a little more|a little long|問題が起きました|something went wrong|読み取れません|"
    r"could not read|何度もお尋ね|keep asking",
    re.I,
)
ANSWERED = re.compile(r"出典|Source:|によると|From '", re.I)
ACKNOWLEDGED = re.compile(r"訂正|変更|変え|更新|is now|changed|updated|change .* to", re.I)
QUOTED = re.compile(r"「([^「」]{2,120})」|\"([^\"]{2,120})\"|'([^']{4,120})'")


def norm(text: str) -> str:
    """NFKC without spaces: how two spellings of one value are compared."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


# A quoted value (a suggested title, an example answer) says nothing about what is asked.
_QUOTED_SPAN = re.compile(
    r"「[^「」]*」|『[^『』]*』|\"[^\"]*\"|(?<![A-Za-z])'[^']{1,200}'(?![A-Za-z])"
)


def kind_of(text: str) -> str | None:
    """The kind of one reply, or None when it asks nothing the persona recognises."""
    text = _QUOTED_SPAN.sub("「」", text)
    for kind, pattern in KINDS:
        if pattern.search(text):
            return kind
    return None


def read(replies: list[Outgoing]) -> tuple[str, Outgoing | None]:
    """What the desk's turn asks: the kind of its last recognisable reply, and that reply.

    Informational replies (an answer with its source, a similar-cases list) give way to a
    question after them; "unknown" when nothing in the turn is recognisable.
    """
    found: tuple[str, Outgoing] | None = None
    for reply in reversed(replies):
        kind = kind_of(reply.fallback_text())
        if kind is None:
            continue
        if kind == "answer":
            found = found or (kind, reply)
            continue
        return kind, reply
    return found if found else ("unknown", replies[-1] if replies else None)


def suggestion(reply: Outgoing | None) -> str | None:
    """A value the desk proposes in quotes (e.g. a suggested title), if any."""
    if reply is None:
        return None
    match = QUOTED.search(reply.text)
    if not match:
        return None
    return next(g for g in match.groups() if g)


def choice_number(reply: Outgoing | None, value: str) -> int | None:
    """The 1-based number of the offered choice whose value (or label) is `value`."""
    if reply is None:
        return None
    for number, choice in enumerate(reply.choices, start=1):
        if value in (choice.value, choice.label):
            return number
    return None


def choice_label(reply: Outgoing | None, value: str) -> str | None:
    """The label the desk shows for the choice `value`, if it offers it."""
    if reply is None:
        return None
    return next((c.label for c in reply.choices if c.value == value), None)
