"""How a blind persona reads the desk: the topic of the question, by its words.

Written without looking at the desk's own texts: each topic is the handful of words any clerk
would have to use to ask about it, in Japanese and English. Quoted examples ('A company',
「例：…」) are left out when deciding what is asked, except for a suggested title.
"""

# ruff: noqa: E501 - the word lists read better whole than wrapped

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from workflows import Outgoing

REFERENCE = re.compile(r"\b[A-Z]{2}-\d{4}-\d{5}\b")
QUOTE = re.compile(r"「[^「」\n]{0,200}」|'[^'\n]{0,200}'|\"[^\"\n]{0,200}\"|“[^”\n]{0,200}”")
SOURCE = re.compile(r"(出典|source)\s*[:：]", re.IGNORECASE)
CITATION = re.compile(r"https?://\S+|出典|source", re.IGNORECASE)

# What ends the conversation, read anywhere in the turn.
FILED = re.compile(
    r"受け付けました|受付番号|reference (number )?is|has been filed|is filed|received", re.I
)
REFUSED = re.compile(
    r"お受けでき(ません|かねます)|受け付けでき(ません|かねます)|受付でき(ません|かねます)"
    r"|can(not|'t) (be )?accept|not (something we can )?accept|is not accepted",
    re.I,
)

# (topic, words): the first topic whose words the question uses. Dialogue moves come first,
# because their texts mention fields (a read-back lists them all, the consents name rules).
MOVES: list[tuple[str, str]] = [
    ("resend", r"もう一度(お送り|送って|お願い)|send (that|it) again|try again later"),
    (
        "stale",
        r"(続き|続け|再開|continue|carry on|resume|pick up).*(最初から|はじめから|やり直|新しく|start (over|again|afresh)|new one)",
    ),
    (
        "change",
        r"(に|へ)(変更|変え|訂正|修正|直)(し|して)?(ますか|ましょうか|てよろしい|てもよろしい|でよろしい)|\b(change|update|replace)\b.{1,120}\bto\b.{1,200}\?",
    ),
    (
        "confirm",
        r"提出(しますか|してよろしい|いたしますか|でよろしい)|この内容で(よろしい|提出)|(shall|should|may) i (file|submit)|file (it|this)\?|submit (it|this)\?",
    ),
    (
        "edit_how",
        r"(修正|直し|変更)(したい|する)(点|ところ|箇所|項目)|どこを(修正|直|変更)|what would you like to (change|correct|edit)|which (part|field)",
    ),
    ("consents", r"同意|\bagree|consent"),
    ("which", r"どちら|どれのこと|which (one|of (the|these))|did you mean|do you mean"),
    ("budget", r"予算|調達|public money|procurement|city (would|to) pay|budget"),
    (
        "handoff",
        r"(担当者|職員|スタッフ|事務局の者|staff|a person|someone).{0,40}(おつなぎ|つなぎ|引き継|お伝え|put you through|connect|hand (you |it )?over|pass)",
    ),
]
FIELDS: list[tuple[str, str]] = [
    (
        "restate",
        r"何が変わ|変わる(点|ところ)|変更点|改めて.*(教え|お書き|お聞かせ)|組み直(した|し後)|restate|describe.{0,40}again|what (now )?changes|what will change",
    ),
    (
        "org_type",
        r"種類|種別|どのような団体|どんな団体|業態|kind of organi|type of organi|what kind|which kind",
    ),
    (
        "org_name",
        r"団体名|会社名|組織名|法人名|事業者名|organi[sz]ation'?s? name|name of (your|the) (organi|company)|company name|organi[sz]ation (is it|are you)",
    ),
    (
        "contact_name",
        r"お名前|氏名|ご担当者|担当者(名|の方)|your name|contact person|who (is|will be) (the|our) contact|name of the contact",
    ),
    ("email", r"メール|e-?mail|mail address"),
    ("phone", r"電話|phone|\btel\b"),
    ("title", r"タイトル|件名|題名|\btitle\b"),
    (
        "summary",
        r"概要|要旨|summary|summari[sz]e|outline|describe (the|your) (proposal|idea)|what is (the|your) (proposal|idea)",
    ),
    ("problem", r"課題|困りごと|problem|issue|challenge"),
    (
        "roles",
        r"(市|事務局|自治体|行政|会員).{0,20}(お願い|求め|期待|してほしい|役割)|(ask|want|need|expect) (of |from )?the (city|secretariat)|role",
    ),
    (
        "activities",
        r"何を(行|し|や)|will be done|will your organi[sz]ation do|取組内容|取り組む内容|具体的|活動内容|担うこと|what (will|would) you do|activities|what you (will|would) do|concretely",
    ),
    ("cost", r"費用|経費|コスト|負担|お金|\bcosts?\b|\bpay|fund"),
    (
        "tier",
        r"階層|参加の(形|方法|区分)|参加区分|会員区分|\btier|level of (membership|participation)|participat",
    ),
]
# A line that asks something: the question of the turn is the last such line.
ASKING = re.compile(r"(\?|？|か。?|ください。?|下さい。?|please\.?|ませんか。?)$", re.IGNORECASE)
SUGGESTION = re.compile(
    r"(タイトル|件名|title).*(の案|案は|案：|suggest|how about|これでよければ|いかがでしょう)",
    re.IGNORECASE | re.DOTALL,
)
_MOVES = [(t, re.compile(p, re.IGNORECASE)) for t, p in MOVES]
HANDOFF = next(rule for topic, rule in _MOVES if topic == "handoff")
_FIELDS = [(t, re.compile(p, re.IGNORECASE)) for t, p in FIELDS]
FIELD_TOPICS = [t for t, _ in FIELDS]


def fold(text: str) -> str:
    """NFKC, one line of spaces, case-folded: how a reader compares words."""
    return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()


def unquoted(text: str) -> str:
    """The text with quoted examples taken out."""
    return QUOTE.sub(" ", text)


def _first(rules: list[tuple[str, re.Pattern[str]]], text: str) -> str | None:
    return next((topic for topic, rule in rules if rule.search(text)), None)


def _by_choices(reply: Outgoing) -> str | None:
    """A menu is read by what its buttons say."""
    labels = fold(" / ".join(c.label for c in reply.choices))
    if not labels:
        return None
    if re.search(r"提案", labels) and re.search(r"質問|問い合わせ|状況", labels):
        return "menu"
    if re.search(r"proposal", labels) and re.search(r"\bask|status|question", labels):
        return "menu"
    if re.search(r"提出|submit|file", labels):
        return "confirm"
    if re.search(r"続け|continue|resume", labels) and re.search(r"最初|やり直|start|new", labels):
        return "stale"
    if re.search(r"企業|company", labels) and re.search(r"npo", labels):
        return "org_type"
    if re.search(r"広報|publicity|会場|venue", labels):
        return "roles"
    if re.search(r"負担|cost|費用", labels):
        return "cost"
    if re.search(r"(^|/ )a[\s:：（(]", labels) and re.search(r"(^|/ )b[\s:：（(]", labels):
        return "tier"
    return None


def topic_of(replies: Sequence[Outgoing]) -> tuple[str, Outgoing | None]:
    """What the desk's turn asks the persona: a topic and the reply that asks it."""
    if not replies:
        return "silence", None
    whole = "\n".join(r.fallback_text() for r in replies)
    last = replies[-1]
    if REFERENCE.search(whole) and FILED.search(whole):
        return "filed", last
    lines_all = [line for line in last.text.splitlines() if line.strip()]
    if not last.choices and SOURCE.search(last.text) and lines_all:
        if not ASKING.search(lines_all[-1].strip()):  # an answer from the documents, no question
            return "doc_answer", last
    handing = HANDOFF.search(fold(unquoted(last.text)))
    if not handing and QUOTE.search(last.text) and SUGGESTION.search(fold(last.text)):
        return "title_suggest", last
    text = unquoted(last.text)
    lines = [line for line in text.splitlines() if line.strip()]
    asking = [line for line in lines if ASKING.search(line.strip())]
    line = asking[-1] if asking else (lines[-1] if lines else "")
    candidates = [fold(line), fold(text)]
    for candidate in candidates:
        moved = _first(_MOVES, candidate)
        if moved:
            return moved, last
    if REFUSED.search(whole):
        return "refused", last
    by_buttons = _by_choices(last)
    if by_buttons:
        return by_buttons, last
    for candidate in candidates:
        topic = _first(_FIELDS, candidate)
        if topic:
            return topic, last
    return "unknown", last


def answered_with_citation(whole: str, words: Sequence[str]) -> bool:
    """Whether a turn answers a question from the documents: a citation and one of `words`."""
    folded = fold(whole)
    return bool(CITATION.search(whole)) and any(fold(w) in folded for w in words)


def japanese(text: str) -> bool:
    """Whether the text has kana or kanji (outside quotes and links)."""
    bare = re.sub(r"https?://\S+", " ", unquoted(text))
    return bool(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", bare))
