"""Questions by meaning, with or without ？, and "not decided yet" (未定, あとで決めます).

Neither is a value: the desk answers a question from the documents and asks again, and notes a
field as not decided where the platform allows it.
"""

from __future__ import annotations

import re

from workflows.plain import normalise

_SENTENCE_END = re.compile(r"(?<=[。！？!?\n])|(?<=\.)\s+")
# Said to the desk as a question, whatever the punctuation. Endings are tested on the
# sentence without its final punctuation.
_ASK_ENDINGS = (
    "ますか",
    "ですか",
    "でしょうか",
    "ませんか",
    "ましたか",
    "でしたか",
    "のか",
    "んか",
    "るか",
    "いか",
    "かな",
    "かしら",
    "ますかね",
    "ですかね",
    "の?",
    "る?",
    "い?",
)
_ASK_ANYWHERE = re.compile(
    r"教えて(?:ください|下さい|いただけ|頂け)|"
    r"(?<![A-Za-z])(?:i wonder|i was wondering|tell me|let me know|i'?d like to know|"
    r"i want to know|any idea)(?![A-Za-z])",
    re.I,
)
# Asking only at the end of a short sentence: 「住民が知りたい情報を届けます」 asks nothing.
_ASK_SHORT = re.compile(
    r"(?:知りたい|伺いたい|お聞きしたい|お尋ねしたい|教えてほしい|教えて欲しい)(?:です|のですが|んですが)?$|"
    r"^.{0,12}(?:どうすれば|どうしたら|どうやって).{0,12}$"
)
_HOW_TO = re.compile(r"(?:how|what|when|where|why) to(?![A-Za-z])|do-", re.I)
_ASK_OPENING = re.compile(
    r"(?:(?:so|and|also|sorry|hi|hello|excuse me|quick question|one question)[,:!]?\s+){0,2}"
    r"(?:can|could|may|do|does|did|is|are|was|were|will|would|should|shall|how|what|when|"
    r"where|who|whom|which|why|am|have|has)(?![A-Za-z])",
    re.I,
)
# A proposal's own phrasing that only looks like a question: rhetorical, an invitation, a
# request to consider the proposal.
_NOT_ASKING = re.compile(
    r"ではないでしょうか|のではないか|じゃないでしょうか|ではないかと|いかがでしょうか|"
    r"(?:ご検討|ご協力|ご支援|ご確認|お力添え|ご高配)(?:の程|のほど)?(?:を)?(?:いただけ|頂け|願え|くださ)|"
    r"(?:一緒に|共に|ともに|協働|連携)[^。]{0,30}ませんか|"
    # Requests about the conversation itself, which the desk does rather than answers.
    r"英語で|日本語で|前の(?:質問|項目)に戻|"
    r"(?:continue|speak|talk|write|reply) in (?:english|japanese)",
    re.I,
)
_PROPOSING = re.compile(
    r"提案します|提案いたします|ご提案させて|実施します|実施いたします|行います|設置します|開催します|"
    r"(?<![A-Za-z])(?:we propose|we will|we would like to|we plan|we'?d like to)(?![A-Za-z])",
    re.I,
)


def sentences_of(text: str) -> list[str]:
    """The sentences of a text (a line break ends one too), without empty ones."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def _asks(sentence: str) -> bool:
    """Whether one sentence asks something (by its form, not only by its question mark)."""
    if _NOT_ASKING.search(sentence):
        return False
    bare = sentence.rstrip(" 。.!！…")
    if bare.endswith(("?", "？")):
        return True
    if bare.endswith(_ASK_ENDINGS) or _ASK_ANYWHERE.search(bare) or _ASK_SHORT.search(bare):
        return True
    # "How to reduce food waste" is a title; "How do I…" asks.
    return _ASK_OPENING.match(bare) is not None and not _HOW_TO.match(bare)


def is_question(text: str) -> bool:
    """A question by meaning, with or without ？ — not a proposal that contains one.

    A text asks when one of its sentences asks and the asking is not a small part of a
    proposal (a long proposal with one "お借りできますか" in it is still a proposal).
    """
    text = normalise(text)
    if text[:1] in "「『" and text.rstrip("。.")[-1:] in "」』":
        return False  # a quoted title: 「なぜ公園にごみが増えるのか」
    sentences = sentences_of(text)
    asking = [s for s in sentences if _asks(s)]
    if not asking:
        return False
    if len(sentences) <= 2:
        return True
    proposing = [s for s in sentences if s not in asking and _PROPOSING.search(s)]
    return not proposing or 2 * len(asking) >= len(sentences)


_UNDECIDED = re.compile(
    r"未定|未決定|まだ決(?:め|まっ)て(?:い)?(?:ない|ません)|決(?:め|まっ)て(?:い)?(?:ない|ません)|"
    r"決められ(?:ない|ません)|わから(?:ない|ん)|分から(?:ない|ん)|わかりません|分かりません|不明|"
    r"(?:あと|後)(?:で|から|ほど)決め|後ほど|検討中|考え中|調整中|思案中|まだ(?:です|考えて)|"
    r"(?<![A-Za-z])(?:not sure|unsure|undecided|tbd|tbc|to be (?:decided|determined|confirmed)|"
    r"don'?t know|do not know|not decided|haven'?t decided|have not decided|no idea|not yet|"
    r"(?:decide|confirm|tell you|let you know|answer|fill (?:it|this) in) later|"
    r"later,? please|maybe later)(?![A-Za-z])",
    re.I,
)
_LATER_ALONE = re.compile(r"later[.!]?", re.I)
# Asking to leave it open is leaving it open: 「あとで決めてもいいですか」, "Not sure yet, can
# I decide later?". Other questions (「まだ決めていませんが、大丈夫ですか」) stay questions.
_DEFER = re.compile(
    r"(?:あと|後)(?:で|から|ほど)決め|(?<![A-Za-z])(?:not sure yet|"
    r"(?:decide|choose|pick|confirm|answer)(?: [a-z]{1,12}){0,3} later)(?![A-Za-z])",
    re.I,
)
UNDECIDED_CHARS = 40  # "undecided" is a short answer; longer texts say something else


def is_undecided(text: str) -> bool:
    """未定 / まだ決めていません / わからない / あとで決めます / not sure / later, or a question
    asking to decide later (「あとで決めてもいいですか」, "can I decide later?")."""
    text = normalise(text)
    if not text or len(text) > UNDECIDED_CHARS:
        return False
    if is_question(text):
        return _DEFER.search(text) is not None
    return bool(_UNDECIDED.search(text) or _LATER_ALONE.fullmatch(text))


# Words that answer the conversation, not the field: consent, yes/no, giving up, stopping.
_REPLY_ONLY = re.compile(
    r"(?:はい|いいえ|いや|ええ|うん|了解(?:です|しました)?|承知(?:しました|いたしました)|"
    r"同意(?:します|しません|する|しない)?|わかりました|分かりました|大丈夫です|"
    r"(?:やっぱり|やはり|だから|もう)?[、,]?\s?(?:やめ(?:ます|る|たい|ときます|ておきます)|中止(?:します)?|"
    r"もういいです|いいです)|ok|okay|yes|no|sure|i agree|agree|never ?mind)[。.!！…]*",
    re.I,
)
# 「課題って言われても…」: a reaction to the question, not its answer.
_REACTION = re.compile(r"(?:って|と)言われても|(?:と|って)聞かれても|難しい(?:です)?ね|うーん")
# A pointer elsewhere: 「PDFを見て」, 「添付のPDFをご覧ください」, 「PDFの表紙に書いてあります」,
# 「件名に書いたとおり」, 「最初に書いた通りです」, "see the attached PDF", "as I said".
_POINTER = re.compile(
    r"(?:(?:PDF|添付|資料|ファイル|表紙|上記|前述|先ほど|さっき|最初|以前|件名|本文)[^。\n]{0,12}"
    r"(?:ご覧|参照|見て|みて|書いてあ|書いてい|記載|書いた|お送りした)|"
    r"(?:書いた|言った|述べた|記載した|送った|お伝えした)(?:とおり|通り|どおり))"
    r"[ぁ-ん、,…!！ー願下頂致]{0,16}$|"
    r"(?<![A-Za-z])(?:see (?:the )?(?:attached|attachment|pdf|above|file|document)|"
    r"as (?:i|we) (?:said|wrote|mentioned)|(?:it'?s |it is )?in the (?:pdf|attachment|file))",
    re.I,
)
POINTER_CHARS = 40  # a pointer is a short reply; a longer text says something itself


def is_non_answer(text: str) -> bool:
    """Not a value for a free-text field: はい, 同意します, わかりません, やっぱりやめます,
    「課題って言われても…」, or a short pointer elsewhere (「添付のPDFをご覧ください」,
    「件名に書いたとおりでお願いします」)."""
    text = normalise(text).strip(" 、,。.!！…")
    if not text:
        return True
    if _REPLY_ONLY.fullmatch(text) or is_undecided(text):
        return True
    if len(text) <= POINTER_CHARS and (_REACTION.search(text) or _POINTER.search(text)):
        return True
    return False


# 「おまかせします」, 「タイトルを考えてもらえますか」, "could you suggest one?", "pick one for me":
# the proposer asks the desk to propose the value (a title is then suggested).
_SUGGEST = re.compile(
    r"おまかせ|お任せ|任せます|(?:考えて|決めて|つけて|付けて|提案して|出して)(?:ください|下さい|もらえ|"
    r"いただけ|頂け|ほしい|欲しい)|案を(?:ください|下さい|出して|もらえ|いただけ)|いい案|"
    r"(?<![A-Za-z])(?:(?:suggest|propose|pick|choose|come up with|think of|make up|give me)"
    r"(?: \w+){0,2} (?:one|something|a title|a name|it)|(?:you|u) (?:can |could )?(?:pick|choose|"
    r"decide)|up to you|you decide|your (?:call|choice)|any suggestions?)(?![A-Za-z])",
    re.I,
)
SUGGEST_CHARS = 80


def asks_for_suggestion(text: str) -> bool:
    """Whether a short answer asks the desk to suggest the value (「おまかせします」)."""
    text = normalise(text)
    return len(text) <= SUGGEST_CHARS and _SUGGEST.search(text) is not None


# 「何を答えればいいのかわかりません」, "what do you mean?": the question was not understood.
_CONFUSED = re.compile(
    r"何を(?:答え|書け|書い|入力|言え)|意味が(?:わから|分から|わかりません|分かりません)|どういう意味|"
    r"質問の意味|(?:何|なに)を聞かれて|"
    r"(?<![A-Za-z])(?:what do you mean|what does (?:that|this) mean|(?:don'?t|do not) understand "
    r"(?:the|your|this) question|what should i (?:write|answer|say)|not sure what you(?:'re| are) "
    r"asking)(?![A-Za-z])",
    re.I,
)
CONFUSED_CHARS = 80


def is_confused(text: str) -> bool:
    """Whether a short reply says the question was not understood."""
    text = normalise(text)
    return len(text) <= CONFUSED_CHARS and _CONFUSED.search(text) is not None
