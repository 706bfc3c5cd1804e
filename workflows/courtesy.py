"""Courtesies around a proposal: salutations, greetings, closings, self-introductions,
signature blocks and contact lines, and the proposal sentences left when they are taken away.

The original message stays in the transcript for staff; the record holds what is left.
"""

from __future__ import annotations

import re

from workflows.contacts import EMAIL_IN_TEXT, PHONE_IN_TEXT
from workflows.names import organisation
from workflows.orgtypes import named_by_suffix
from workflows.people import person_name
from workflows.plain import base, strip_fillers

SEPARATOR = re.compile(r"[-‐―─━_=*~〜・]{3,}|--")
_LINE_SALUTATION = re.compile(
    r"(?:ご担当者?(?:様|さま)?|ご担当者各位|御中|各位|様|さま)[、,。:]?$|"
    r"^(?:dear|to whom it may concern)(?![a-z])",
    re.I,
)
_GREETING_LEAD = re.compile(
    r"^(?:(?:平素|日頃|日ごろ|いつも)(?:より|は|から)?(?:大変|格別の|ひとかたならぬ|たいへん)?"
    r"(?:お世話に(?:なっております|なりまして)|ご愛顧[^。]{0,20}|お引き?立て[^。]{0,20}|"
    r"ご高配[^。]{0,20})(?:誠に)?(?:ありがとうございます|厚く御礼申し上げます)?|"
    r"いつもお世話になっております|お世話になっております|お世話になります|はじめまして|初めまして|"
    r"こんにちは|こんばんは|おはようございます|お疲れ様です|お疲れさまです|突然のご連絡失礼いたします|"
    r"突然のご連絡失礼します|突然のご連絡申し訳ございません|"
    r"(?:初めて|はじめて)ご連絡(?:いたします|差し上げます|させていただきます)|"
    r"拝啓|謹啓|前略|(?:(?:hello|hi|hey)(?: there| all| everyone| team| [A-Z][\w\-]{0,20}"
    r"(?: [A-Z][\w\-]{0,20}){0,3}(?=,))?|"
    r"good (?:morning|afternoon|evening)|greetings|"
    r"i hope (?:this|you are|you're|all is)[a-z ]{0,30}well)(?![A-Za-z]))[、,!！。.\s]*",
    re.I,
)
_CLOSING = re.compile(
    r"よろしくお願い|宜しくお願い|ご検討(?:の程|のほど)|何卒|以上です|以上、|敬具|草々|謹白|かしこ$|"
    r"^(?:best|kind|warm|warmest)?\s?regards|^sincerely|^thank you|^thanks|^cheers|^yours",
    re.I,
)
_META = re.compile(
    r"(?:ご)?提案(?:を|が)?(?:したい|させていただきたい|させてください|があります|がございます|したく)"
    r"(?:です|と思います|と考えています|と思っています)?(?:[、,]?(?:ご連絡|連絡)(?:いたしました|しました|差し上げました))?|"
    r"(?:hello,? |hi,? )?(?:i|we)(?:'d| would) like to (?:make|submit|send) (?:a|our) proposal"
    r"(?: (?:to|on behalf of|for) [a-z ]{1,40})?|"
    r"(?:i|we)(?:'d| would) like to propose something(?: to [a-z ]{1,40})?|"
    r"(?:i|we) have a proposal|(?:a )?proposal (?:for|to) (?:the )?[a-z ]{1,40}"
    r"(?: from (?:a |an |the )?[a-z ]{1,40})?|"
    r"(?:i|we) have an idea for a (?:project|proposal|collaboration)"
    r"(?: (?:with|for) [a-z ]{1,40})?|"
    # "I want to propose something for the Minato Mirai area", "I'd like to put forward a joint
    # project": announcing a proposal without saying what it is.
    r"(?:good (?:morning|afternoon|evening),? )?"
    r"(?:i|we)(?:'d| would| want to| wish to)(?: like to)? (?:join (?:and|&) )?"
    r"(?:propose|suggest|put forward|submit|share|bring) "
    r"(?:something|an idea|a (?:joint |new |small )?(?:project|idea|proposal|plan))"
    r"(?: (?:for|in|with|to|about|around|at) (?:the )?[a-z ]{1,40})?|"
    # "I'm from a university and we'd like to propose a joint project with your members",
    # "we want to propose a project about EV charging": an announcement, not the proposal.
    r"(?:hello,? |hi,? )?(?:i'?m from [a-z ]{1,40}(?:,| and) )?"
    r"(?:i|we)(?:'d| would| want to| wish to| hope to)(?: like to)? (?:propose|suggest|discuss) "
    r"(?:a |an |our )?(?:joint |new |small |possible )?"
    r"(?:project|idea|collaboration|partnership|proposal)"
    r"(?: (?:with|to) [a-z ]{1,40}| (?:about|on|for|regarding) [\w\- ]{1,40})?",
    re.I,
)
_INTRO_EN = re.compile(r"(?:my name is|i am|i'm|this is|we are|we're)(?![A-Za-z])", re.I)
_ACTION_EN = re.compile(
    r"(?<![A-Za-z])(?:propose|plan|planning|would|will|want|like|install|provide|run|offer|hope)(?![A-Za-z])",
    re.I,
)
_INTRO_JA_END = tuple(
    (
        "と申します と言います といいます でございます です が担当です が担当いたします "
        "が担当します と申す者です"
    ).split()
)
_INTRO_STRONG = tuple(
    (
        "と申します と言います といいます でございます が担当です が担当いたします "
        "が担当します と申す者です"
    ).split()
)
_CONTACT_LABEL = re.compile(
    r"連絡先|TEL|電話|携帯|メール|E-?mail|Mail|FAX|Phone|Mobile|Contact|URL|〒|住所", re.I
)
LABELLED = re.compile(
    r"[\s【\[(]{0,3}(会社名|社名|団体名|法人名|組織名|事業者名|所属|部署名?|所属部署|氏名|お名前|名前|"
    r"担当者名?|担当|電話番号|電話|携帯|TEL|E-?mail|Mail|メールアドレス|メール|Company|"
    r"Organi[sz]ation|Department|Dept\.?|Division|Name|Contact person|Contact|Phone|Mobile|Tel)"
    r"[\s】\])]{0,3}(?:[:：]|\s)\s{0,3}",
    re.I,
)


def lines_of(text: str) -> list[str]:
    """The text's lines, each in its plain form (`base`)."""
    return base(text).split("\n")


def signature_start(lines: list[str]) -> int:
    """Index of the first line of the signature block (len(lines) when there is none)."""
    body_seen = False
    for i, line in enumerate(lines):
        if SEPARATOR.fullmatch(line.strip()) and body_seen:
            return i
        if line.strip():
            body_seen = True
    for i in range(len(lines) - 1, -1, -1):
        closing = _CLOSING.search(lines[i])
        if closing and len(lines[i]) <= 60 and i < len(lines) - 1:
            return i + 1  # a closing line, then lines that are not body: the signature
    return _last_block(lines)


SIGNATURE_LINES = 8  # a signature block is a few short lines


def _last_block(lines: list[str]) -> int:
    """The last paragraph when it reads as a signature (short lines, no sentence, a contact
    line among them): 「大野 千尋 / NPO法人… / 携帯：… / メール：…」 after a blank line."""
    blank = max((i for i, line in enumerate(lines) if not line.strip()), default=-1)
    block = [line.strip() for line in lines[blank + 1 :] if line.strip()]
    if blank < 1 or not 2 <= len(block) <= SIGNATURE_LINES:
        return len(lines)
    short = all(len(line) <= 40 and not line.endswith(("。", ".")) for line in block)
    contact = any(_is_contact_line(line) for line in block)
    return blank + 1 if short and contact else len(lines)


# A space after 「です」/「ます」 ends a sentence too (LINE messages use spaces and emoji for 。).
_SENTENCE_SPLIT = re.compile(r"(?<=[。！？!?])|(?<=\.)\s+|(?<=[でま]す)\s+|(?<=[でま]した)\s+")
_JAPANESE_START = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_TITLE_LINE = re.compile(
    r"(?:件名|タイトル|題名|提案名|subject|title|re)\s?[:：]|【(?:件名|タイトル|題名|提案名)】",
    re.I,
)
# A section label at a line's start (「【背景】」): a heading, never stored text.
_SECTION_LABEL = re.compile(r"^\s?【[^【】\n]{1,20}】\s?")


def split_sentences(line: str) -> list[str]:
    """The sentences of one line (Japanese and English), without empty ones."""
    parts = _SENTENCE_SPLIT.split(line)
    return [p.strip() for p in parts if p and p.strip()]


def _is_contact_line(sentence: str) -> bool:
    if EMAIL_IN_TEXT.search(sentence) or PHONE_IN_TEXT.search(sentence):
        rest = PHONE_IN_TEXT.sub("", EMAIL_IN_TEXT.sub("", sentence))
        return bool(_CONTACT_LABEL.search(sentence)) or len(rest.strip(" :：、,。.")) <= 12
    return bool(LABELLED.match(sentence)) and len(sentence) <= 60


def is_introduction(sentence: str) -> bool:
    """ "株式会社Xの山田です", "担当は高橋と申します", "I am John Smith from X Inc."."""
    bare = sentence.rstrip(" 。.!！")
    if len(bare) > 60 or re.search(r"提案|実施|行い|設置|開催|考えて|propose|plan", bare, re.I):
        return False
    if bare.endswith(_INTRO_JA_END):
        if bare.endswith(_INTRO_STRONG) or person_name(bare):
            return True  # "…と申します", or a name after an affiliation
        org = organisation(bare)
        if org:  # "株式会社Xです", not "株式会社Xの製品は安全です"
            return len(strip_fillers(bare.replace(org[0], ""))) <= 6
        if named_by_suffix(bare):  # 「はだの温泉旅館組合です」
            return True
        return re.search(r"担当(?:は|者は|の)", bare) is not None
    if _INTRO_EN.match(bare) and not _ACTION_EN.search(bare):
        return True
    return False


# Keigo around a proposal that states nothing of it: 「つきましては、」 leads a sentence;
# 「以下の提案をお送りします」, 「ご多用のところ恐縮ですが、…幸甚に存じます」 are whole sentences.
_KEIGO_LEAD = re.compile(r"^(?:つきましては|就きましては|さて|早速ですが|さっそくですが)[、,]?\s?")
_KEIGO_ONLY = re.compile(
    r"^(?:以下|下記|次)の(?:とおり|通り)?[、,]?(?:ご)?提案(?:を|内容を)?"
    r"(?:お送り|送付|ご送付|お届け|ご連絡|申し上げ|いたし|致し|させていただき|し)(?:します|いたします|致します|ます)|"
    r"幸甚に存じます|幸いです|幸いに存じます|ご多用のところ|ご多忙のところ|お忙しいところ|恐縮ですが|"
    # 時候の挨拶: 「時下ますますご清栄のこととお慶び申し上げます」, 「陽春の候、…」
    r"^時下|^[^。]{1,8}の候|(?:ご清栄|ご清祥|ご隆盛|ご健勝|ご繁栄|ご発展)[^。]{0,20}"
    r"(?:お慶び|お喜び|お祈り)申し上げます|"
    r"^(?:i|we) (?:work|am working|are working) (?:at|for|in)(?![A-Za-z])|"
    r"^in the [a-z ]{1,40}(?:team|department|division|group|office)[.]?$",
    re.I,
)
# 「さっき書いたけど、…」, 「最初に書いた通りです。」: a pointer back, not proposal text.
_POINTER_LEAD = re.compile(
    r"^(?:さっき|先ほど|最初に|最初|前に|上に|上記に)も?(?:書いた|書きました|言った|お伝えした|送った)"
    r"(?:けど|けれど|が|(?:とおり|通り|どおり)(?:です|ですが)?)?[、,。.!！\s]{0,3}"
)
# A sentence that states the title or the tier (read into those fields, not the summary):
# 「タイトルは「…」です。」, 「参加の階層はA（会議に参加）を希望します。」, "The title is …".
_STATED_ASIDE = re.compile(
    r"^(?:提案の)?(?:タイトル|件名|題名|提案名)(?:は|を)\s?[「『\"].{1,80}[」』\"]"
    r"(?:です|とします|としました|になります|でお願いします|にしました)?[。.!！]?$|"
    r"^(?:参加の)?(?:階層|ティア|会員区分)(?:は|を)\s?[A-Ca-c](?:\s?[(（][^()（）]{0,20}[)）])?"
    r"(?:を|で|に|が)?(?:希望します|希望いたします|でお願いします|お願いします|にします|です|"
    r"いいです|大丈夫です|結構です)?[。.!！]?$|"
    r"^(?:the |our )?(?:proposal )?title (?:is|will be)\s.{1,80}$",
    re.I,
)
KEIGO_CHARS = 80  # a keigo sentence is short; a longer one may carry proposal text too


def _keep(sentence: str) -> str | None:
    """The sentence as part of the proposal, or None when it is not proposal text."""
    if _LINE_SALUTATION.search(sentence) and len(sentence) <= 40:
        return None
    lead = _GREETING_LEAD.match(sentence)
    if lead:
        sentence = sentence[lead.end() :]
    sentence = sentence.strip()
    if not sentence:
        return None
    if _CLOSING.search(sentence) and len(sentence) <= 60:
        return None
    if _is_contact_line(sentence) or is_introduction(sentence):
        return None
    if _META.fullmatch(sentence.rstrip(" 。.!！")) or _STATED_ASIDE.match(sentence):
        return None
    sentence = _KEIGO_LEAD.sub("", _POINTER_LEAD.sub("", sentence))
    keigo = _KEIGO_ONLY.search(sentence)
    if (
        keigo
        and len(sentence) <= KEIGO_CHARS
        and not (keigo.group(0)[:1].isascii() and _ACTION_EN.search(sentence))
    ):
        return None
    return sentence or None


_ENDS = ("です", "ます", "でした", "ました")


def proposal_sentences(text: str) -> str:
    """The proposal sentences only: no salutation, greeting, self-introduction, closing,
    signature or contact lines. "" when nothing of the proposal is left."""
    lines = lines_of(text)
    kept: list[str] = []
    for line in lines[: signature_start(lines)]:
        if _TITLE_LINE.match(line):
            continue  # 「件名：…」 is the title, not the proposal
        line = _SECTION_LABEL.sub("", line)
        for sentence in split_sentences(line):
            found = _keep(sentence)
            if found:
                kept.append(found)
    out = ""
    for sentence in kept:
        if out and not out.endswith(("。", "！", "？")) and not _JAPANESE_START.match(sentence):
            out += " "
        elif out and not out.endswith(("。", "！", "？")):
            # 「…したいです」 then 「費用は…」 (split at a space): a full stop keeps them apart.
            out += " " if out[-1].isascii() else ("。" if out.endswith(_ENDS) else "")
        out += sentence
    return out


def without_courtesies(text: str) -> str:
    """The text without salutation, greeting, closing and signature lines."""
    lines = lines_of(text)
    kept = []
    for line in lines[: signature_start(lines)]:
        sentences = []
        for sentence in split_sentences(line):
            if _LINE_SALUTATION.search(sentence) and len(sentence) <= 40:
                continue
            lead = _GREETING_LEAD.match(sentence)
            sentence = sentence[lead.end() :] if lead else sentence
            if sentence and not (_CLOSING.search(sentence) and len(sentence) <= 60):
                sentences.append(sentence)
        if sentences:
            kept.append("".join(sentences) if not line.isascii() else " ".join(sentences))
    return "\n".join(kept).strip()
