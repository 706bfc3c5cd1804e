"""Questions a member or proposer asks first, routed to the document that answers them.

Written blind, like the personas: each question is asked as someone would ask it, and the
reply must cite the sample document that holds the answer (its URL) rather than start the
intake, route to a status check or hand off. Open findings are in /tmp/routing-findings.md
(issue 10) and are xfail(strict=True) here until fixed.
"""

# ruff: noqa: E501 - the questions read better whole than wrapped

from __future__ import annotations

import re

import pytest

from workflows import Desk, Incoming

pytestmark = pytest.mark.personas
BASE = "https://sample.madoguchi.invalid/"

# (platform, question, the URL part the answer must cite, open finding or "")
QUESTIONS: list[tuple[str, str, str, str]] = [
    (
        "zerocarbon",
        "会員になるには？",
        "zerocarbon/apply",
        "R1: 会員 not matched to 参加の申込方法",
    ),
    (
        "zerocarbon",
        "会員になるにはどうすればいいですか",
        "zerocarbon/apply",
        "R1: 会員 not matched to 参加の申込方法",
    ),
    (
        "zerocarbon",
        "Can we change our participation tier later?",
        "zerocarbon/",
        "",
    ),
    (
        "zerocarbon",
        "事務局の電話番号を教えてください",
        "zerocarbon/apply",
        "R3: the secretariat's phone not found",
    ),
    (
        "zerocarbon",
        "提案したら返事はいつ来ますか",
        "zerocarbon/proposals",
        "R4: routed to a status check",
    ),
    ("zerocarbon", "申込の締切はいつですか", "zerocarbon/apply", ""),
    ("zerocarbon", "How do I join the consortium?", "zerocarbon/faq#english", ""),
    ("zerocarbon", "What are the tiers?", "zerocarbon/", ""),
    (
        "zerocarbon",
        "脱炭素のこと何も知らないけど参加して大丈夫？",
        "zerocarbon/faq#beginner",
        "R19: answered from faq#merit, not faq#beginner (regression 22:20)",
    ),
    ("zerocarbon", "コンソーシアムに入るメリットって何ですか", "zerocarbon/faq#merit", ""),
    ("kyoso-front", "返事はいつ来ますか", "kyoso-front/faq#time", ""),
    ("kyoso-front", "提案内容は公開されますか", "kyoso-front/", ""),
    ("kyoso-front", "提案した内容って公開されちゃいますか？", "kyoso-front/", ""),
    (
        "kyoso-front",
        "Will my proposal be made public?",
        "kyoso-front/",
        "R7: no answer across languages (fixed at 21:45, back at 21:56)",
    ),
    (
        "kyoso-front",
        "提案するのに費用はかかりますか？",
        "kyoso-front/cost",
        "R19: answered from not-accepted ('詳しくは費用負担の考え方'), not kf-cost (regression 22:20)",
    ),
    (
        "kyoso-front",
        "Does it cost anything to submit a proposal?",
        "kyoso-front/cost",
        "R8: starts the intake",
    ),
    ("kyoso-front", "How long until I hear back?", "kyoso-front/faq#", "R9: no answer"),
    ("kyoso-front", "個人でも提案できますか", "kyoso-front/faq#who", ""),
    ("kyoso-front", "市外の会社でも提案できる？", "kyoso-front/faq#who", ""),
    (
        "kyoso-front",
        "提案したあとの流れを教えてください",
        "kyoso-front/process",
        "R11: asks 「どちらのご用件ですか」 (status or question) since 22:10; answered at 21:20",
    ),
    (
        "kyoso-front",
        "営業の提案は受け付けてもらえますか",
        "kyoso-front/not-accepted",
        "",
    ),
    ("kyoso-front", "Can I make a proposal in English?", "kyoso-front/faq#english", ""),
    ("kyoso-front", "市のロゴを使ってもいいですか", "kyoso-front/faq#logo", ""),
    ("kyoso-front", "テーマ型募集の締切はいつですか", "kyoso-front/theme-call", ""),
]


def _cases() -> list[object]:
    cases: list[object] = []
    for platform, question, cited, finding in QUESTIONS:
        marks = [pytest.mark.xfail(strict=True, reason=finding)] if finding else []
        cases.append(pytest.param(platform, question, cited, id=question, marks=marks))
    return cases


@pytest.mark.parametrize(("platform", "question", "cited"), _cases())
def test_a_first_question_is_answered_from_its_document(
    desk: Desk, platform: str, question: str, cited: str
) -> None:
    replies = desk.handle(Incoming(platform, "routing", "member", question))
    heard = "\n".join(r.fallback_text() for r in replies)
    # Cited as the answer's source, not named as the "closest document" of a hand-off.
    source = re.compile(r"(出典|Source)\s*[:：][^\n]*" + re.escape(BASE + cited))
    assert source.search(heard), heard
