"""How each style of persona puts a fact into words."""

from __future__ import annotations

from tests.personas.profiles import UNDECIDED, Facts

TYPE_WORDS = {
    "ja": {
        "company": "株式会社",
        "npo": "NPO法人",
        "university": "大学",
        "association": "一般社団法人",
        "financial": "金融機関",
        "sole_proprietor": "個人事業主",
        "other": "その他",
    },
    "en": {
        "company": "A company",
        "npo": "An NPO",
        "university": "A university",
        "association": "An association",
        "financial": "A bank",
        "sole_proprietor": "A sole proprietor",
        "other": "Something else",
    },
}
ROLE_WORDS = {
    "ja": {
        "venue": "会場の提供",
        "publicity": "広報への協力",
        "data": "データの提供",
        "introductions": "関係者の紹介",
        "permits": "許認可の調整",
        "co_hosting": "共催",
        "other": "特になし",
    },
    "en": {
        "venue": "a venue",
        "publicity": "publicity",
        "data": "data",
        "introductions": "introductions",
        "permits": "help with permits",
        "co_hosting": "co-hosting",
        "other": "nothing in particular",
    },
}
COST_WORDS = {
    "ja": {
        "no_cost": "市の費用負担はありません",
        "proposer_bears": "実費はこちらで負担します",
        "needs_budget": "市の予算でお願いしたいです",
    },
    "en": {
        "no_cost": "No cost to the city",
        "proposer_bears": "We cover all the costs ourselves",
        "needs_budget": "The city would pay",
    },
}
# Per style: field -> template over {v} (the value in words).
TEMPLATES: dict[str, dict[str, str]] = {
    "keigo": {
        "organisation.name": "{v}でございます。",
        "organisation.type": "{v}でございます。",
        "contact.name": "{v}と申します。",
        "contact.email": "{v} にてお願いいたします。",
        "contact.phone": "{v} にてお願いいたします。",
        "content.title": "「{v}」でお願いいたします。",
        "content.municipality_roles": "{v}をお願いできればと存じます。",
        "content.cost_model": "{v}。",
        "proposer.membership_tier": "{v}でお願いいたします。",
        "consents": "はい、同意いたします。",
        "submit": "提出をお願いいたします。",
        "no_phone": "電話番号は控えさせてください。",
    },
    "casual": {
        "organisation.name": "{v}です！",
        "organisation.type": "{v}です😊",
        "contact.name": "{v}です〜",
        "contact.email": "{v} です📧",
        "contact.phone": "{v} です📞",
        "content.title": "タイトルは「{v}」で！",
        "content.municipality_roles": "{v}をお願いしたいです🙏",
        "content.cost_model": "{v}👍",
        "proposer.membership_tier": "{v}でお願いします🙏",
        "consents": "はい、同意します👍",
        "submit": "提出します🙏",
        "no_phone": "電話はなしで大丈夫です🙆",
    },
    "plain": {
        "organisation.name": "{v}です。",
        "organisation.type": "{v}です。",
        "contact.name": "{v}です。",
        "contact.email": "メールは {v} でお願いします。",
        "contact.phone": "電話は {v} です。",
        "content.title": "タイトルは「{v}」です。",
        "content.municipality_roles": "{v}をお願いしたいです。",
        "content.cost_model": "{v}。",
        "proposer.membership_tier": "{v}にします。",
        "consents": "はい、同意します。",
        "submit": "提出する",
        "no_phone": "電話番号はなしでお願いします。",
    },
    "bare": {"consents": "はい", "no_phone": "なし"},
    "en": {
        "organisation.name": "We are {v}.",
        "organisation.type": "{v}.",
        "contact.name": "My name is {v}.",
        "contact.email": "It's {v}",
        "contact.phone": "My phone number is {v}.",
        "content.title": "The title is: {v}",
        "content.municipality_roles": "We'd like {v} from the city.",
        "content.cost_model": "{v}.",
        "proposer.membership_tier": "{v} please.",
        "consents": "Yes, I agree to all three.",
        "submit": "File it",
        "no_phone": "I'd rather not give a phone number.",
    },
    "en_bare": {"consents": "yes", "no_phone": "none"},
}
UNDECIDED_WORDS = {"ja": "未定です", "en": "Not sure yet"}


def value_words(field: str, facts: Facts, lang: str) -> str:
    """The fact for `field`, in the persona's language (no style yet)."""
    if field == "organisation.name":
        return facts.organisation
    if field == "organisation.type":
        return TYPE_WORDS[lang][facts.organisation_type]
    if field == "contact.name":
        return facts.contact
    if field == "contact.email":
        return facts.email
    if field == "contact.phone":
        return facts.phone or ""
    if field == "content.title":
        return facts.title or ""
    if field == "content.summary":
        return facts.summary
    if field == "content.problem":
        return facts.problem
    if field == "content.activities":
        return facts.activities
    if field == "content.municipality_roles":
        joiner = "と" if lang == "ja" else " and "
        return joiner.join(ROLE_WORDS[lang][r] for r in facts.roles or ("other",))
    if field == "content.cost_model":
        return COST_WORDS[lang][facts.cost_model]
    if field == "proposer.membership_tier":
        return UNDECIDED_WORDS[lang] if facts.tier == UNDECIDED else str(facts.tier)
    return ""


def in_style(field: str, facts: Facts, *, style: str, lang: str) -> str:
    """The fact for `field` as a persona of `style` writes it."""
    if field == "contact.phone" and not facts.phone:
        return TEMPLATES[style].get("no_phone", "なし" if lang == "ja" else "none")
    value = value_words(field, facts, lang)
    if field == "proposer.membership_tier" and facts.tier == UNDECIDED:
        return value
    template = TEMPLATES[style].get(field, "{v}")
    return template.format(v=value)
