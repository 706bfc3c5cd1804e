"""Phrases that hint at what a message is for: features of the intent model, never its verdict.

Each is a linear regular expression over normalised text. The intent classifier
(`workflows.intents`) reads them as features next to the message's meaning; only a few
unambiguous ones (「提案ではなく質問です」, a reference number) decide on their own in the menu.
"""

from __future__ import annotations

import re

__all__ = [
    "COMPLAINT",
    "DESK_QUESTION",
    "GREETING",
    "MY_STATUS",
    "NOT_A_PROPOSAL",
    "THANKS",
    "URL",
    "WISH",
]

# 「いえ、提案ではなく質問です」: a question, whatever the word 提案 says.
NOT_A_PROPOSAL = re.compile(
    r"提案では(?:なく|ありません)|提案じゃな(?:くて|い)|提案はしません|質問だけ|ただの質問|"
    r"not a proposal|just (?:a|have a) question|only a question",
    re.I,
)
# 「先日出した提案どうなりました？」, "any news on the proposal I sent earlier?": the user's own.
MY_STATUS = re.compile(
    r"(?:提案|申請|申し込み|申込|応募|出した|送った|送りました|出しました)[^。？?\n]{0,20}?"
    r"(?:どうなり|どうなっ|その後|状況|進捗|結果|返事|返信|連絡)|"
    r"(?:any news|an update|any update|what happened|status|progress|hear back)[^.?\n]{0,40}?"
    r"\b(?:proposal|application|submission)",
    re.I,
)
# Something the person wants to do with the city: 〜したいと思ってて, 〜してもらえたりしますか.
WISH = re.compile(
    r"たい(?:と|って)?(?:思|おも|考|かんが)|たい(?:です|んです|のです|のですが|んですけど)|"
    r"(?:て|で)(?:もらえ|いただけ)(?:たり|ません|ますか|ないか)|(?:て|で)(?:ほしい|いただきたい)|"
    r"を(?:つくり|作り|始め|はじめ|やり)たい|"
    r"\b(?:we|i)(?: would|'d| want| plan| hope| are planning| are looking)(?: like)? to\b|"
    r"\bwe(?:'d| would) like\b",
    re.I,
)
# A question about the desk or membership, not a proposal.
DESK_QUESTION = re.compile(
    r"会員|入会|会費|年会費|申し?込み方|申込|締め?切り|期限|審査|手続|個人情報|窓口|"
    r"(?:費用|お金)(?:は|が)?(?:かかり|必要)|どうすれば|どうやって|方法|"
    r"\b(?:member(?:ship)?|fee|deadline|how (?:do|can) (?:i|we)|join)\b",
    re.I,
)
URL = re.compile(r"https?://\S+")
GREETING = re.compile(
    r"^(?:こんにち[はわ]|こんばん[はわ]|おはよう|はじめまして|初めまして|お世話に(?:なって|なり)|"
    r"お疲れ様|よろしくお願い|もしもし|どうも|"
    r"(?:hello|hi|hey|hiya|good (?:morning|evening|afternoon)|greetings)(?![A-Za-z]))",
    re.I,
)
THANKS = re.compile(
    r"ありがと|有難う|有り難う|助かり|感謝|サンキュー|あざす|"
    r"(?<![A-Za-z])(?:thanks|thank you|thx|ty|cheers|appreciated?)(?![A-Za-z])",
    re.I,
)
COMPLAINT = re.compile(
    r"遅すぎ|遅い|ひどい|酷い|困り|困って|不満|不親切|失礼|使いにく|使えな|いい加減|たらい回し|"
    r"的外れ|おかしくない|無視|何度も|何回|[!！]{2}|😡|"
    r"(?<![A-Za-z])(?:useless|terrible|rude|frustrat\w*|disappoint\w*|unacceptable|complain\w*|"
    r"waste of time|so slow|makes? no sense)(?![A-Za-z])",
    re.I,
)
