"""A second wave of blind personas: new wordings of the same situations, written after the
first wave's findings were fixed, to check that the fixes hold for words they were not made for.
"""

# ruff: noqa: E501 - a persona's words read better whole than wrapped

from __future__ import annotations

from tests.personas_blind.model import UNDECIDED, Aside, Facts, Persona

HAIKEI = """横浜市 共創推進課 御中

拝啓　時下ますますご清栄のこととお慶び申し上げます。
さて、弊社は小学校の通学路で、子どもの登下校を見守るビーコンの実証を提案いたします。
保護者のスマートフォンに通過の通知が届き、見守りボランティアの負担も減らせると考えております。
機器と運用の費用は弊社が負担いたします。
敬具

株式会社さくらテック
総務部 部長　田村 一郎
FAX 045-333-4445
Tel. 045-333-4444
tamura@sakura-tech.example.jp"""

FORMAL_EN = """To whom it may concern,

Title: Rain gardens for flood-prone streets

We are writing from the Bayside Institute of Urban Ecology, a private university, to propose
planting rain gardens along three flood-prone streets in Kanagawa Ward to absorb storm water.
Our students will design and plant the gardens and monitor the water levels for a year.
We will cover the costs ourselves.

Yours faithfully,
Hannah Becker
Associate Professor
Phone: +81 45 111 2222
h.becker@bayside-ecology.example.ac.jp"""

WAVE_TWO: list[Persona] = [
    Persona(
        id="kfb2-haikei-letter",
        platform="kyoso-front",
        lang="ja",
        opening=HAIKEI,
        facts=Facts(
            organisation="株式会社さくらテック",
            org_type="company",
            contact="田村一郎",
            email="tamura@sakura-tech.example.jp",
            phone="045-333-4444",
            title="通学路見守りビーコン実証",
            cost="proposer_bears",
            summary_key="ビーコン",
            roles=("venue", "introductions"),
            leaks=("拝啓", "時下", "敬具", "総務部", "部長", "045-333-4445"),
        ),
        says={
            "title": "通学路見守りビーコン実証",
            "summary": "小学校の通学路で、子どもの登下校を見守るビーコンの実証をいたします。",
            "problem": "見守りボランティアの高齢化で、登下校の見守りが手薄になっていることです。",
            "activities": "弊社がビーコンを設置し、保護者向けアプリを半年間無償で提供いたします。",
            "roles": "通学路での実証の場のご提供と、学校や自治会へのご紹介をお願いしたく存じます。",
            "cost": "機器と運用の費用は弊社が負担いたします。",
        },
        stated=("org_name", "org_type", "contact_name", "email", "phone", "cost", "summary"),
    ),
    Persona(
        id="kfb2-slang-papa",
        platform="kyoso-front",
        lang="ja",
        opening="提案しまーす✋ パパたちの集まりやりたくて",
        facts=Facts(
            organisation="ゆるっと子育てネット",
            org_type="npo",
            contact="木村",
            email="kimura@yuru-kosodate.example.org",
            title="ゆるっとパパ会",
            cost="proposer_bears",
            summary_key="パパ",
            roles=("venue", "publicity"),
        ),
        says={
            "org_name": "ゆるっと子育てネットっていうとこです",
            "org_type": "NPOやってます",
            "contact_name": "木村っていいます",
            "email": "メールはこれ→ kimura@yuru-kosodate.example.org",
            "title": "「ゆるっとパパ会」って名前にしたい",
            "summary": "地区センターで月1でパパ同士が子連れで集まれる会をやりたいです👶",
            "problem": "パパが地域で知り合いをつくる場がなくて孤立しがち",
            "activities": "うちのスタッフが会の運営と遊びの準備をします",
            "roles": "場所と宣伝！",
            "cost": "お金は自分たちでなんとかします",
            "consents": "OKです👌",
            "confirm": "それで出してください",
        },
    ),
    Persona(
        id="kfb2-formal-english",
        platform="kyoso-front",
        lang="en",
        opening=FORMAL_EN,
        facts=Facts(
            organisation="Bayside Institute of Urban Ecology",
            org_type="university",
            contact="Hannah Becker",
            email="h.becker@bayside-ecology.example.ac.jp",
            phone="045-111-2222",
            title="Rain gardens for flood-prone streets",
            cost="proposer_bears",
            summary_key="rain garden",
            roles=("venue", "permits"),
            leaks=("To whom it may concern", "Yours faithfully", "Associate Professor"),
        ),
        says={
            "summary": "Planting rain gardens along three flood-prone streets to absorb storm water.",
            "problem": "Streets in the lower part of Kanagawa Ward flood after heavy rain.",
            "activities": "Our students design and plant the gardens and monitor water levels for a year.",
            "roles": "The roadside strips as our test site, and help with the road permits.",
            "cost": "We will cover the costs ourselves.",
            "consents": "I agree.",
            "confirm": "Please go ahead and submit.",
        },
        stated=("org_name", "contact_name", "email", "phone", "title", "summary", "cost"),
    ),
    Persona(
        id="kfb2-en-corrections",
        platform="kyoso-front",
        lang="en",
        opening="Hi, I want to propose something for the Minato Mirai area.",
        facts=Facts(
            organisation="Portside Events LLC",
            org_type="company",
            contact="Marco Rossi",
            email="marco@portside-events.example.com",
            title="Zero-waste harbour festival",
            cost="proposer_bears",
            summary_key="festival",
            roles=("venue", "co_hosting"),
        ),
        says={
            "org_name": "Portside Events LLC",
            "contact_name": "Marco Rossi",
            "email": "marco@portside-event.example.com",
            "title": "Harbour festival",
            "summary": "A harbour festival where every cup and plate is reusable and all food waste is composted.",
            "problem": "Big events in the area leave tonnes of disposable waste behind.",
            "activities": "We organise the festival, run the dish-washing station and the compost collection.",
            "roles": "A venue in the park and co-hosting by the city.",
            "cost": "We pay for everything ourselves.",
        },
        asides=(
            Aside(
                at="problem",
                text="Sorry, my e-mail was wrong - it should be marco@portside-events.example.com",
                expect="heeded",
            ),
            Aside(
                at="activities",
                text="Actually, please change the title to Zero-waste harbour festival",
                expect="heeded",
            ),
        ),
    ),
    Persona(
        id="kfb2-questions-no-mark",
        platform="kyoso-front",
        lang="ja",
        opening="提案をお願いしたいのですが",
        facts=Facts(
            organisation="株式会社あさひ薬局",
            org_type="company",
            contact="池田",
            email="ikeda@asahi-yakkyoku.example.jp",
            title="薬局での残薬回収と見守り",
            cost="proposer_bears",
            summary_key="残った薬",
            roles=("publicity",),
        ),
        says={
            "org_name": "株式会社あさひ薬局と申します",
            "contact_name": "池田と申します",
            "email": "ikeda@asahi-yakkyoku.example.jp",
            "title": "薬局での残薬回収と見守り",
            "summary": "高齢の方の家に残った薬を薬局で回収し、あわせて服薬の相談にのる取組を提案します。",
            "problem": "飲み残しの薬が家にたまり、誤って飲んでしまう事故が起きていることです。",
            "activities": "市内5店舗で回収箱を置き、薬剤師が相談にのります。",
            "roles": "市の広報でお知らせいただけるとありがたいです。",
            "cost": "回収と処分の費用は当社で負担します。",
        },
        asides=(
            Aside(
                at="problem",
                text="提案したら市のホームページに載ったりするんでしょうか",
                expect="answer",
                words=("非公開", "公表し"),
            ),
            Aside(
                at="roles",
                text="何日くらいで連絡もらえるものなのか知りたいです",
                expect="answer",
                words=("10営業日",),
            ),
        ),
    ),
    Persona(
        id="zcb2-contact-with-everything",
        platform="zerocarbon",
        lang="en",
        opening="Good morning, I'd like to put forward a joint project.",
        facts=Facts(
            organisation="Hadano Bike Works",
            org_type="company",
            contact="Tom Hayes",
            email="tom@hadano-bikeworks.example.com",
            phone="0463-22-3344",
            title="Cargo e-bikes for local deliveries",
            cost="proposer_bears",
            summary_key="cargo",
            tier="C",
        ),
        says={
            "org_name": "Hadano Bike Works, a small bike shop",
            "contact_name": "I'm Tom Hayes - email me at tom@hadano-bikeworks.example.com or call 0463-22-3344",
            "title": "Cargo e-bikes for local deliveries",
            "summary": "Member shops lend each other cargo e-bikes for deliveries instead of vans.",
            "activities": "We supply and service the cargo bikes and train the riders.",
            "cost": "We cover the bikes; members pay nothing.",
            "tier": "Just the newsletter for us",
            "consents": "Sure, I agree",
            "confirm": "Go ahead and file it",
        },
        also={"contact_name": ("email", "phone")},
    ),
    Persona(
        id="zcb2-no-particle-names",
        platform="zerocarbon",
        lang="ja",
        opening="提案したいことがあります",
        facts=Facts(
            organisation="一般社団法人さがみの森づくり",
            org_type="association",
            contact="藤井",
            email="fujii@sagami-mori.example.org",
            title="会員企業の森づくりボランティア",
            cost="proposer_bears",
            summary_key="植樹",
            tier="B",
        ),
        says={
            "org_name": "一般社団法人さがみの森づくりです",
            "contact_name": "藤井です",
            "email": "fujii@sagami-mori.example.org",
            "title": "会員企業の森づくりボランティア",
            "summary": "会員企業の社員の皆さんと一緒に、丹沢の山で植樹と下草刈りをする活動をしたいです。",
            "activities": "当法人が作業の指導と道具の用意をし、年4回の活動日を企画します。",
            "cost": "道具や苗の費用は持ち出しでやります",
            "tier": "会議には出られないので、オンラインで見るだけにします",
        },
    ),
    Persona(
        id="zcb2-leave-title-to-you",
        platform="zerocarbon",
        lang="ja",
        opening="脱炭素の共同プロジェクトを提案したいです",
        facts=Facts(
            organisation="秦野グリーン電工株式会社",
            org_type="company",
            contact="森本",
            email="morimoto@hadano-green-denko.example.jp",
            title=None,
            cost="proposer_bears",
            summary_key="LED",
            tier="A",
        ),
        says={
            "org_name": "秦野グリーン電工株式会社です",
            "contact_name": "森本と申します",
            "email": "morimoto@hadano-green-denko.example.jp",
            "title": "タイトルはお任せしてもいいですか？",
            "summary": "会員の中小工場の照明をまとめてLEDに替えて、電気代とCO2を減らす共同購入の仕組みです。",
            "activities": "弊社が工場を回って照明を調べ、まとめて見積もりと工事をします。",
            "cost": "調査の費用は自腹です笑",
            "tier": "A でお願いします",
        },
    ),
    Persona(
        id="kfb2-en-goes-back",
        platform="kyoso-front",
        lang="en",
        opening="I'd like to make a proposal please",
        facts=Facts(
            organisation="Yokohama Code Club",
            org_type="npo",
            contact="Aiko Suzuki",
            email="aiko@ycc.example.org",
            title="Coding club in community centres",
            cost="no_cost",
            summary_key="coding",
            roles=("venue", "publicity"),
        ),
        says={
            "org_name": "Yokohama Code Club",
            "org_type": "We are a non-profit (NPO)",
            "contact_name": "Aiko",
            "email": "aiko@ycc.example.org",
            "title": "Coding club in community centres",
            "summary": "Free weekly coding club for children in two community centres, run by volunteers.",
            "problem": "Children in the area have few chances to learn programming after school.",
            "activities": "Our volunteers teach and bring the laptops.",
            "roles": "Rooms in the community centres and help spreading the word.",
            "cost": "It won't cost the city anything.",
        },
        asides=(
            Aside(at="email", text="Can I go back to the previous question?", expect="previous"),
        ),
    ),
    Persona(
        id="zcb2-en-comes-back",
        platform="zerocarbon",
        lang="en",
        opening="Hello, we'd like to propose a project to the consortium.",
        facts=Facts(
            organisation="Tanzawa Timber Co.",
            org_type="company",
            contact="Ken Ward",
            email="ken@tanzawa-timber.example.com",
            title="Wood pellet boilers for member offices",
            cost="proposer_bears",
            summary_key="pellet",
            tier=UNDECIDED,
        ),
        says={
            "org_name": "Tanzawa Timber Co.",
            "contact_name": "Ken Ward",
            "email": "ken@tanzawa-timber.example.com",
            "title": "Wood pellet boilers for member offices",
            "summary": "Replacing oil boilers in member offices with wood pellet boilers fuelled by local thinnings.",
            "activities": "We supply the pellets and install the boilers with a partner.",
            "cost": "We bear the costs of the trial.",
            "tier": "We'll decide later",
        },
        asides=(Aside(at="activities", text="", expect="resume", hours=26.0),),
    ),
]
