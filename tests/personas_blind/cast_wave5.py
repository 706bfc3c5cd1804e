"""A fifth wave of blind personas, written at 22:18 after waves 1-4 were fixed and run once
before anyone saw them: the last holdout of the session (22:19 UTC: 6/6 filed, 2/6 clean,
4 re-prompts, 1 redundant question, fields 56/60).
"""

# ruff: noqa: E501 - a persona's words read better whole than wrapped

from __future__ import annotations

from tests.personas_blind.model import UNDECIDED, Aside, Facts, Persona

ANGLE_EMAIL = """Hello Co-creation Front,

We run a bike-repair social enterprise and would like to propose free bike-repair days at
three community centres, so that residents keep their bikes on the road instead of buying new.
Our mechanics volunteer their time and we bring the tools and spare parts at our own cost.

Cheers,
Sam Taylor <sam@fixitcycles.example.com>
Fix-It Cycles LLC"""

FAX_MOBILE = """事務局 ご担当者様

いつも大変お世話になっております。
当社は、使い終わった食用油を回収してバイオディーゼル燃料にし、会員企業の社用車で使っていただく取組を提案いたします。
回収と精製の費用は当社が負担いたします。

今後ともよろしくお願い申し上げます。
-----
有限会社さがみ油化
代表取締役　坂本 浩二
FAX：0463-90-1112
携帯：090-5555-6666
Mail：sakamoto@sagami-yuka.example.jp"""

WAVE_FIVE: list[Persona] = [
    Persona(
        id="kfb5-angle-email",
        platform="kyoso-front",
        lang="en",
        opening=ANGLE_EMAIL,
        facts=Facts(
            organisation="Fix-It Cycles LLC",
            org_type="company",
            contact="Sam Taylor",
            email="sam@fixitcycles.example.com",
            title="Free bike-repair days at community centres",
            cost="proposer_bears",
            summary_key="bike-repair",
            roles=("venue", "publicity"),
            leaks=("Cheers", "Co-creation Front"),
        ),
        says={
            "title": "Free bike-repair days at community centres",
            "summary": "Free bike-repair days at three community centres.",
            "problem": "Many bikes are thrown away for small repairs that residents cannot do themselves.",
            "activities": "Our volunteer mechanics repair bikes and teach basic maintenance.",
            "roles": "Space at the community centres and a mention in the ward newsletter.",
            "cost": "Tools and parts are at our own cost.",
            "consents": "Agreed.",
            "confirm": "Yes, file it please.",
        },
        stated=("org_name", "contact_name", "email", "summary", "cost"),
    ),
    Persona(
        id="zcb5-fax-and-mobile",
        platform="zerocarbon",
        lang="ja",
        opening=FAX_MOBILE,
        facts=Facts(
            organisation="有限会社さがみ油化",
            org_type="company",
            contact="坂本浩二",
            email="sakamoto@sagami-yuka.example.jp",
            phone="090-5555-6666",
            title="廃食用油を社用車の燃料に",
            cost="proposer_bears",
            summary_key="バイオディーゼル",
            tier="B",
            leaks=("代表取締役", "0463-90-1112", "今後とも"),
        ),
        says={
            "title": "廃食用油を社用車の燃料に",
            "summary": "使い終わった食用油を回収してバイオディーゼル燃料にし、会員企業の社用車で使っていただきます。",
            "activities": "当社が回収ルートをつくり、精製した燃料を会員企業にお届けします。",
            "cost": "回収と精製の費用は当社が負担いたします。",
            "tier": "オンライン参加で結構です",
            "consents": "同意いたします",
            "confirm": "提出してください",
        },
        stated=("org_name", "org_type", "contact_name", "email", "phone", "summary", "cost"),
    ),
    Persona(
        id="zcb5-contact-correction",
        platform="zerocarbon",
        lang="ja",
        opening="提案したいです。",
        facts=Facts(
            organisation="株式会社はだのパン工房",
            org_type="company",
            contact="内田亮",
            email="uchida@hadano-pan.example.jp",
            title="パン工房の窯の排熱活用",
            cost="proposer_bears",
            summary_key="排熱",
            tier="C",
        ),
        says={
            "org_name": "株式会社はだのパン工房です",
            "contact_name": "内田です",
            "email": "uchida@hadano-pan.example.jp",
            "title": "パン工房の窯の排熱活用",
            "summary": "パン窯の排熱で隣の会員さんの事務所の暖房をまかなう実験をしたいです。",
            "activities": "うちが熱交換器を付けて、温度と燃料の記録をとります。",
            "cost": "費用はうちで出します",
            "tier": "Cで",
        },
        asides=(
            Aside(
                at="title",
                text="すみません、担当者名ですが、正しくは「内田 亮」でフルネームでお願いします",
                expect="heeded",
            ),
        ),
    ),
    Persona(
        id="zcb5-en-email-only-tier",
        platform="zerocarbon",
        lang="en",
        opening="Hi! Proposal for the consortium from a local design studio.",
        facts=Facts(
            organisation="Studio Kinoko",
            org_type="sole_proprietor",
            contact="Emi Sato",
            email="emi@studio-kinoko.example.jp",
            title="Low-carbon shop signage",
            cost="proposer_bears",
            summary_key="signage",
            tier="C",
        ),
        says={
            "org_name": "Studio Kinoko - it's just me, a one-person design studio",
            "org_type": "Sole proprietor",
            "contact_name": "Emi Sato",
            "email": "emi@studio-kinoko.example.jp",
            "title": "Low-carbon shop signage",
            "summary": "Helping member shops replace plastic and neon signs with low-energy wooden signage.",
            "activities": "I design the signs and work with a local carpenter to make them.",
            "cost": "I pay for the samples myself.",
            "tier": "We only want the e-mail updates.",
        },
    ),
    Persona(
        id="kfb5-heisha-mei",
        platform="kyoso-front",
        lang="ja",
        opening="提案のご相談をさせてください。",
        facts=Facts(
            organisation="株式会社ミナトソーラー",
            org_type="company",
            contact="松井",
            email="matsui@minato-solar.example.jp",
            title="区役所駐車場のソーラーカーポート",
            cost="proposer_bears",
            summary_key="カーポート",
            roles=("venue",),
        ),
        says={
            "org_name": "弊社名は株式会社ミナトソーラーと申します",
            "contact_name": "松井が担当いたします",
            "email": "matsui@minato-solar.example.jp",
            "title": "区役所駐車場のソーラーカーポート",
            "summary": "区役所の駐車場にソーラーカーポートを設置し、発電した電気を庁舎で使う実証を提案します。",
            "problem": "庁舎の電気代とCO2排出が増えていることです。",
            "activities": "弊社が設計・設置・保守を行い、発電量を毎月ご報告します。",
            "roles": "駐車場を設置場所としてお借りしたいです。",
            "cost": "設置費用は弊社が持ちます。",
        },
    ),
    Persona(
        id="zcb5-tier-later-casual",
        platform="zerocarbon",
        lang="ja",
        opening="ちわっす、提案っす",
        facts=Facts(
            organisation="はだの古着リメイク部",
            org_type="association",
            contact="堀",
            email="hori@furugi-remake.example.org",
            title="会員企業の制服をリメイク",
            cost="no_cost",
            summary_key="制服",
            tier=UNDECIDED,
        ),
        says={
            "org_name": "はだの古着リメイク部っす",
            "org_type": "サークルみたいな団体っす",
            "contact_name": "堀っす",
            "email": "hori@furugi-remake.example.org",
            "title": "会員企業の制服をリメイク",
            "summary": "会員企業で着なくなった制服をバッグや小物にリメイクして、ごみを減らしたいっす",
            "activities": "部員がリメイクして、できたものは会員企業のノベルティにしてもらう",
            "cost": "お金はかからないっす",
            "tier": "階層？とりあえずあとで！",
        },
    ),
]
