"""The proposal's fields, once: where each goes in the record, how it is asked and read.

Intake, review and the desk are derived from this table; adding a field touches this file,
the texts and the record model.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from knowledge import Platform
from workflows.choices import Option
from workflows.record import CostModel, OrganisationType, Role


class Kind(StrEnum):
    """How an answer to a field is read."""

    TEXT = "text"
    CHOICE = "choice"
    MULTI = "multi"
    EMAIL = "email"
    PHONE = "phone"
    NUMBER = "number"
    CONSENT = "consent"


@dataclass(frozen=True)
class FieldSpec:
    """One proposal field.

    Attributes:
        key: the slot name, also the question's text key (`ask.<key>`) and its display name.
        record: the record path (section, field) the value is filed under.
        kind: how an answer is read.
        options: the choices offered (with the synonyms people use), for choice kinds.
        limit: longest accepted value, in characters (0: no limit).
        skippable: whether the proposer may leave it out (the record allows None).
        undecided: whether 「未定」 is an answer (the record then holds None).
        example: an example answer (ja, en), shown after two misses.
    """

    key: str
    record: tuple[str, str]
    kind: Kind = Kind.TEXT
    options: tuple[Option, ...] = ()
    limit: int = 0
    skippable: bool = False
    undecided: bool = False
    example: tuple[str, str] = ("", "")


def _option(value: str, *names: str) -> Option:
    return Option(value=value, names=names)


# fmt: off
ORGANISATION_TYPES = (
    _option(
        OrganisationType.COMPANY,
        "企業", "会社", "株式会社", "有限会社", "合同会社", "民間企業", "事業者", "(株)", "kk",
        "company", "business", "corporation", "firm", "private company", "startup",
        "かいしゃ", "きぎょう", "かぶしきがいしゃ", "みんかん",
    ),
    _option(
        OrganisationType.NPO,
        "npo", "npo法人", "特定非営利活動法人", "非営利団体", "非営利", "nonprofit", "non-profit",
        "ngo", "えぬぴーおー", "ひえいり",
    ),
    _option(
        OrganisationType.UNIVERSITY,
        "大学・研究機関", "大学", "研究機関", "研究所", "高専", "学校法人", "大学院", "研究室",
        "university", "college", "research institute", "research institution", "academic",
        "laboratory", "だいがく", "けんきゅうきかん",
    ),
    _option(
        OrganisationType.ASSOCIATION,
        "団体・協会", "団体", "協会", "一般社団法人", "社団法人", "財団法人", "財団", "組合",
        "自治会", "町内会", "協議会", "association", "foundation", "society", "cooperative",
        "だんたい", "きょうかい",
    ),
    _option(
        OrganisationType.FINANCIAL,
        "金融機関", "銀行", "信用金庫", "信金", "信用組合", "証券会社", "bank",
        "financial institution", "credit union", "ぎんこう", "きんゆうきかん",
    ),
    _option(
        OrganisationType.SOLE_PROPRIETOR,
        "個人事業主", "個人事業", "フリーランス", "個人", "自営業", "freelance", "freelancer",
        "sole proprietor", "self-employed", "individual", "こじん", "こじんじぎょうぬし",
    ),
    _option(
        OrganisationType.OTHER,
        "その他", "自治体", "役場", "市役所", "町役場", "村役場", "区役所", "県庁", "行政機関",
        "other", "none of these", "municipality", "local government", "city hall",
    ),
)

COST_MODELS = (
    _option(
        CostModel.NO_COST,
        "市の費用負担なし", "費用負担なし", "負担なし", "市の負担なし", "市の負担はありません",
        "費用はかかりません", "予算は不要", "予算不要", "予算はいりません", "無償", "無料",
        "no cost", "no cost to the city", "free of charge", "free", "costs nothing",
        "no budget needed",
    ),
    _option(
        CostModel.PROPOSER_BEARS,
        "実費は提案者が負担", "提案者が負担", "提案者負担", "自社負担", "当社負担", "弊社負担",
        "自己負担", "自費", "自前", "持ち出し", "うちもち", "うち持ち", "うちで持ちます",
        "うちが持ちます", "うちで持つ", "on us", "it's on us", "all on us",
        "うちで負担",
        "当社が負担", "弊社が負担", "自分たちで負担", "私たちが負担", "こちらで負担",
        "こちらで持ちます", "we bear the actual costs", "we bear", "we cover", "we will cover",
        "we pay", "we will pay", "ourselves", "our own cost", "our own expense", "at our expense",
        "our own budget",
    ),
    _option(
        CostModel.NEEDS_BUDGET,
        "市の予算が必要", "予算が必要", "市の予算で", "市に払って", "委託", "予算措置",
        "needs city budget", "city budget", "the city pays", "city to pay", "city would pay",
        "funding from the city",
    ),
)

ROLES = (
    _option(Role.VENUE, "会場", "会場・実証の場の提供", "場所", "実証の場", "フィールド", "venue",
            "test field", "site"),
    _option(Role.PUBLICITY, "広報", "広報への協力", "周知", "告知", "宣伝", "publicity",
            "promotion", "spread the word", "spreading the word"),
    _option(Role.DATA, "データ", "データの提供", "data", "open data"),
    _option(Role.INTRODUCTIONS, "紹介", "関係者の紹介", "つなぎ", "introductions", "introduce"),
    _option(Role.PERMITS, "許認可", "許認可・調整", "調整", "許可", "permits", "coordination"),
    _option(Role.CO_HOSTING, "共催", "co-hosting", "co-host"),
    _option(Role.OTHER, "その他", "特になし", "なし", "ありません", "other", "none", "nothing"),
)

YES_NO = (
    _option(
        "yes",
        "はい", "同意", "同意します", "同意いたします", "同意する", "了解", "了承", "承知",
        "承諾", "大丈夫", "問題ありません", "確認しました", "ええ", "うん", "ok", "okay", "yes",
        "yep", "sure", "agree", "i agree", "agreed", "i do", "of course", "すべて同意",
        "どういします", "どういいたします",
    ),
    _option(
        "no",
        "いいえ", "同意しません", "同意できません", "同意しない", "いや", "だめ", "嫌です",
        "no", "nope", "disagree", "i don't agree", "i do not agree", "don't agree", "not agree",
    ),
)

CONFIRM = (
    _option(
        "submit",
        "提出する", "提出", "提出します", "提出して", "提出お願いします", "送信", "送って",
        "この内容で", "これで", "これでお願いします", "はい", "お願いします", "ok", "yes",
        "file it", "file", "submit", "send it", "send", "go ahead", "looks good",
        "ていしゅつ", "ていしゅつします", "ていしゅつする", "ていしゅつで",
    ),
    _option(
        "edit",
        "修正する", "修正", "直す", "直したい", "変更", "訂正", "いいえ", "change something",
        "change", "edit", "fix", "correct", "no",
    ),
    _option("cancel", "やめる", "やめます", "取り消し", "キャンセル", "cancel", "withdraw"),
)

BUDGET = (
    _option(
        "rework",
        "費用をかけない形で続ける", "続ける", "続けます", "組み直す", "組み直します",
        "費用をかけない",
        "はい", "continue", "rework", "yes", "go on", "without public money",
    ),
    _option(
        "stop", "提案をやめる", "やめる", "やめます", "取り下げ", "withdraw", "stop", "no",
        "いいえ",
    ),
)

RESUME = (
    _option("continue", "続ける", "続きから", "続けます", "はい", "continue", "resume",
            "yes"),
    _option("restart", "最初から", "やり直す", "新しく", "やり直し", "start over",
            "restart", "new"),
)

FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("organisation.name", ("proposer", "organisation_name"), limit=200,
              example=("株式会社ミナトリサイクル", "Harbour Mobility Inc.")),
    FieldSpec("organisation.type", ("proposer", "organisation_type"), Kind.CHOICE,
              ORGANISATION_TYPES, example=("NPO法人です", "A company")),
    FieldSpec("contact.name", ("proposer", "contact_name"), limit=100,
              example=("山田太郎", "Taro Yamada")),
    FieldSpec("contact.email", ("proposer", "email"), Kind.EMAIL,
              example=("taro@example.jp", "taro@example.com")),
    FieldSpec("content.title", ("content", "title"), limit=120,
              example=("公園でのペットボトル回収実証", "Shared e-bike pilot in city parks")),
    FieldSpec("content.summary", ("content", "summary"),
              example=("公園に回収ボックスを置き、ペットボトルを回収・再生する実証です。",
                       "A pilot of shared e-bikes at city parks to cut car trips.")),
    FieldSpec("content.problem", ("content", "problem"), skippable=True,
              example=("ごみの分別が進まないこと。", "Congestion near the stations.")),
    FieldSpec("content.activities", ("content", "activities"), skippable=True,
              example=("回収ボックスの設置と運営を当社が行います。",
                       "We install and run the bikes and the app.")),
    FieldSpec("content.municipality_roles", ("content", "municipality_roles"), Kind.MULTI,
              ROLES, skippable=True, example=("1,2（会場と広報）", "1,2 (venue and publicity)")),
    FieldSpec("content.cost_model", ("content", "cost_model"), Kind.CHOICE, COST_MODELS,
              example=("費用は当社が負担します", "We cover all the costs ourselves")),
    FieldSpec("proposer.membership_tier", ("proposer", "membership_tier"), Kind.CHOICE,
              skippable=True, undecided=True, example=("Bでお願いします", "B, please")),
    FieldSpec("consents", ("consents", "all"), Kind.CONSENT, YES_NO,
              example=("はい、同意します", "Yes, I agree to all three")),
)
EXTRA = (
    FieldSpec("organisation.corporate_number", ("proposer", "corporate_number"), Kind.NUMBER),
    FieldSpec("organisation.location", ("proposer", "location"), limit=100),
    FieldSpec("contact.phone", ("proposer", "phone"), Kind.PHONE),
    FieldSpec("contact.department", ("proposer", "contact_department"), limit=100),
    FieldSpec("contact.title", ("proposer", "contact_title"), limit=60),
    FieldSpec("content.period", ("content", "period"), limit=100),
)
# fmt: on
SPECS: dict[str, FieldSpec] = {spec.key: spec for spec in (*FIELDS, *EXTRA)}
ASKING_ORDER: tuple[str, ...] = tuple(spec.key for spec in FIELDS)
# Facts a later message may restate differently: the proposer is asked before one changes.
CONFIRM_CHANGES = ("contact.email", "contact.phone", "organisation.corporate_number")
# Facts read from every answer, whatever was asked ("…, phone 045-…" keeps the phone). What a
# proposal asks for (roles, costs, problem) is read only from the proposal's own message: in a
# title like 「空き部屋を使った…」 it would be a guess.
FACTS = (
    "organisation.name",
    "organisation.type",
    "organisation.corporate_number",
    "organisation.location",
    "contact.name",
    "contact.email",
    "contact.phone",
    "contact.department",
    "contact.title",
    "content.period",
)
# Filled from what people say, never asked: shown in the read-back after the asked fields.
NOTED = (
    "organisation.corporate_number",
    "organisation.location",
    "contact.department",
    "contact.title",
    "contact.phone",
    "content.period",
)
LIMITS: dict[str, int] = {spec.key: spec.limit for spec in SPECS.values() if spec.limit}


def wanted(platform: Platform) -> list[str]:
    """The platform's required fields in asking order (plus the tier where it has tiers)."""
    required = set(platform.required_fields)
    if platform.membership_tiers:
        required.add("proposer.membership_tier")
    return [key for key in ASKING_ORDER if key in required]


def spec(key: str) -> FieldSpec:
    """The spec of field `key`."""
    return SPECS[key]


# What a tier means in people's words, added to the tier whose label or description alone
# holds the trigger: 「オンラインで見るだけ」 is the web-viewing tier, "just the newsletter" the
# mail-only tier.
TIER_WORDS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (
        ("WEB", "視聴", "online", "web viewing"),
        ("オンライン", "ウェブ", "見るだけ", "視聴だけ", "online", "watch online", "web only"),
    ),
    (
        ("メール配信", "newsletter", "mail only"),
        (
            "メルマガ",
            "ニュースレター",
            "メールだけ",
            "メールのみ",
            "情報だけ",
            "newsletter",
            "emails only",
            "just the emails",
            "e-mail updates",
            "email updates",
        ),
    ),
    (
        ("会議に参加", "対面", "in person", "attends"),
        ("対面", "会議に参加", "in person", "attend the meetings", "come to meetings"),
    ),
)


def tier_options(
    tiers: list[tuple[str, str, str]], descriptions: list[str] | None = None
) -> tuple[Option, ...]:
    """Options for a platform's tiers from (id, ja label, en label) and their descriptions."""
    texts = [
        " ".join([ja, en, descriptions[i] if descriptions else ""]).lower()
        for i, (_, ja, en) in enumerate(tiers)
    ]
    options = []
    for i, (tier_id, ja, en) in enumerate(tiers):
        inner = [part.strip(" ()（）:") for part in (ja.split("（", 1)[-1], en.split(":", 1)[-1])]
        said: list[str] = []
        for triggers, words in TIER_WORDS:
            holders = [
                n for n, text in enumerate(texts) if any(w.lower() in text for w in triggers)
            ]
            if holders == [i]:  # only this tier says it
                said.extend(words)
        options.append(Option(value=tier_id, names=(ja, en, *inner, f"tier {tier_id}", *said)))
    return tuple(options)


def record_path_values(slots: dict[str, object]) -> dict[str, dict[str, object]]:
    """The slots arranged by record section (`proposer`, `content`), for building the record."""
    sections: dict[str, dict[str, object]] = {"proposer": {}, "content": {}}
    for key, field_spec in SPECS.items():
        section, name = field_spec.record
        if section in sections:
            sections[section][name] = slots.get(key)
    return sections
