"""Blind personas on the zerocarbon desk (a decarbonisation consortium with tiers A/B/C)."""

# ruff: noqa: E501 - a persona's words read better whole than wrapped

from __future__ import annotations

from tests.personas_blind.model import UNDECIDED, Aside, Facts, Persona

BANK_MAIL = """地域脱炭素経営コンソーシアム 事務局 御中

平素より大変お世話になっております。
湘南さくら信用金庫 地域創生部の岡田でございます。

当金庫では、会員の中小企業が省エネ設備を導入する際の低利の「脱炭素応援ローン」を設けております。
この度、コンソーシアム会員向けに、省エネ診断とローンの相談会を合同で開催することをご提案いたします。
相談会の運営費用は当金庫にて負担いたします。

何卒ご検討のほどよろしくお願い申し上げます。

＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿
湘南さくら信用金庫
地域創生部 部長代理
岡田 恵子
〒257-0035 秦野市本町1-2-3
TEL 0463-81-0000 ／ FAX 0463-81-0001
Mail okada.keiko@shonan-sakura.example.jp
＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿"""

ZC_LONG = (
    "はじめまして、株式会社丹沢ソーラーシェアの木村と申します。提案のタイトルは「ため池の水上太陽光で地域の電気」です。"
    "市内のため池に水上太陽光パネルを浮かべ、発電した電気を近くの会員工場にPPAで供給する共同プロジェクトを提案します。"
    "弊社が設計・施工・保守を担い、設置費用はすべて弊社が負担します。"
    "参加の階層はA（会議に参加）を希望します。"
    "メールは kimura@tanzawa-solar.example.jp 、電話は0463-77-1234です。"
)

EN_SIGNATURE = """Hello,

We are a logistics company based in Hiratsuka and would like to propose a shared electric
delivery-van pool for member companies, so that small firms can try EVs without buying them.
We would buy and maintain the vans; members pay only per use.

Kind regards,

Sarah Nguyen
Sustainability Lead | Shonan Green Logistics Co., Ltd.
Tel: 0463-55-7788 | Fax: 0463-55-7789
sarah.nguyen@shonan-green-logi.example.com"""

ZEROCARBON_BLIND: list[Persona] = [
    Persona(
        id="zcb-keigo-bank",
        platform="zerocarbon",
        lang="ja",
        opening=BANK_MAIL,
        facts=Facts(
            organisation="湘南さくら信用金庫",
            org_type="financial",
            contact="岡田恵子",
            email="okada.keiko@shonan-sakura.example.jp",
            phone="0463-81-0000",
            title="省エネ診断×脱炭素応援ローン相談会",
            cost="proposer_bears",
            summary_key="相談会",
            tier="A",
            leaks=("地域創生部", "部長代理", "本町1-2-3", "0463-81-0001", "平素より"),
        ),
        says={
            "title": "「省エネ診断×脱炭素応援ローン相談会」でお願いいたします",
            "summary": "会員向けに、省エネ診断とローンの相談会を合同で開催することをご提案いたします。",
            "cost": "運営費用は当金庫にて負担いたします。",
            "activities": "当金庫の職員が相談会を年2回企画・運営し、会員企業の個別相談に応じます。",
            "tier": "定例協議会には対面で出席いたしますので、Aでお願いいたします。",
            "consents": "はい、同意いたします。",
            "confirm": "提出をお願いいたします。",
        },
        stated=("org_name", "contact_name", "email", "phone", "cost", "summary"),
    ),
    Persona(
        id="zcb-emoji-bamboo",
        platform="zerocarbon",
        lang="ja",
        opening="竹でバイオ炭つくる提案したいです🎋🔥",
        facts=Facts(
            organisation="NPO法人はだの里山くらぶ",
            org_type="npo",
            contact="石井",
            email="ishii@satoyama-club.example.org",
            title="放置竹林バイオ炭プロジェクト",
            cost="proposer_bears",
            summary_key="バイオ炭",
            tier="B",
        ),
        says={
            "org_name": "NPO法人はだの里山くらぶ（はだのさとやまくらぶ）の石井です！",
            "org_type": "NPOです〜",
            "contact_name": "石井です😊",
            "email": "ishii@satoyama-club.example.org です",
            "title": "放置竹林バイオ炭プロジェクト！",
            "summary": "放置竹林の竹を切ってバイオ炭にして畑にまくとCO2を固定できるので、会員さんと一緒にやりたいです🌱",
            "activities": "うちのメンバーが竹の伐採と炭焼きをやります、会員企業さんには炭の使い道を一緒に考えてほしい",
            "cost": "じゃあ、うちで持ちます",
            "tier": "Bでお願いします🙏",
            "consents": "はい、同意します！",
            "confirm": "提出します🙏",
        },
        asides=(
            Aside(at="title", text="締切は？", expect="answer", words=("締切はありません", "随時")),
        ),
        also={"org_name": ("contact_name", "org_type")},
    ),
    Persona(
        id="zcb-tier-undecided",
        platform="zerocarbon",
        lang="ja",
        opening="共同プロジェクトの提案をお願いします",
        facts=Facts(
            organisation="有限会社はだの冷機",
            org_type="company",
            contact="松本直樹",
            email="matsumoto@hadano-reiki.example.jp",
            title="業務用冷蔵庫の省エネ診断会",
            cost="no_cost",
            summary_key="冷蔵庫",
            tier=UNDECIDED,
        ),
        says={
            "org_name": "有限会社はだの冷機です",
            "contact_name": "松本直樹と申します",
            "email": "matsumoto@hadano-reiki.example.jp",
            "title": "業務用冷蔵庫の省エネ診断会",
            "summary": "飲食店や商店の業務用冷蔵庫の電気代を、無料の省エネ診断で見直す会を開きたいです。",
            "activities": "弊社の技術者が店舗を回って冷蔵庫の診断をし、改善のアドバイスをします。",
            "cost": "市やコンソーシアムの費用はかかりません",
            "tier": "未定です",
        },
        asides=(
            Aside(
                at="tier",
                text="階層ってあとから変えられますか？",
                expect="answer",
                words=("いつでも", "変更でき"),
            ),
        ),
    ),
    Persona(
        id="zcb-municipality",
        platform="zerocarbon",
        lang="ja",
        opening="近隣の町役場ですが、共同プロジェクトを提案できますか。提案したいです。",
        facts=Facts(
            organisation="大井町役場",
            org_type="other",
            contact="斉藤",
            email="saito@town-ooi.example.lg.jp",
            title="町有林の間伐材で公共施設の薪ボイラー",
            cost="proposer_bears",
            summary_key="薪ボイラー",
            tier="A",
        ),
        says={
            "org_name": "大井町役場です。担当部署は企画政策課です。",
            "org_type": "自治体です",
            "contact_name": "企画政策課の斉藤です",
            "email": "saito@town-ooi.example.lg.jp",
            "title": "町有林の間伐材で公共施設の薪ボイラー",
            "summary": "町有林の間伐材を薪にして、町の温浴施設の薪ボイラーで使い、重油を減らす取組を会員企業と進めたいです。",
            "activities": "町が間伐材を提供し、会員企業の皆さんと薪の製造と運搬の仕組みをつくります。",
            "cost": "費用は町の予算で手当てします。",
            "tier": "会議には出ますのでAです",
        },
    ),
    Persona(
        id="zcb-en-university",
        platform="zerocarbon",
        lang="en",
        opening="Hi, I'm from a university and we'd like to propose a joint project with your members.",
        facts=Facts(
            organisation="Shonan University of Technology",
            org_type="university",
            contact="Kenji Mori",
            email="mori@sut.example.ac.jp",
            title="Heat-pump retrofit study for small factories",
            cost="proposer_bears",
            summary_key="heat pump",
            tier="B",
        ),
        says={
            "org_name": "Shonan University of Technology",
            "org_type": "A university",
            "contact_name": "Kenji Mori (Professor, Mechanical Engineering)",
            "email": "mori@sut.example.ac.jp",
            "title": "Heat-pump retrofit study for small factories",
            "summary": "We propose a study with member factories on replacing oil boilers with a heat pump for process heat, measuring cost and CO2 savings.",
            "activities": "Our students measure heat demand at five factories and design the retrofit options.",
            "cost": "We cover all the costs ourselves",
            "tier": "B, web only please",
            "consents": "Yes, I agree to all three",
            "confirm": "File it",
        },
    ),
    Persona(
        id="zcb-switch-to-japanese",
        platform="zerocarbon",
        lang="en",
        switches_to="ja",
        opening="Hello, we want to propose a project about EV charging.",
        facts=Facts(
            organisation="Yabitsu Mobility K.K.",
            org_type="company",
            contact="Lucas Weber",
            email="weber@yabitsu-mobility.example.jp",
            title="会員企業の駐車場にEV充電器",
            cost="proposer_bears",
            summary_key="充電器",
            tier="C",
        ),
        says={
            "org_name": "We are Yabitsu Mobility K.K.",
            "org_type": "A company",
            "contact_name": "Lucas Weber",
            "ja:email": "メールは weber@yabitsu-mobility.example.jp です",
            "ja:title": "会員企業の駐車場にEV充電器",
            "ja:summary": "会員企業の駐車場にEV充電器を設置し、社用車と地域の人が使えるようにする共同プロジェクトです。",
            "ja:activities": "弊社が充電器を設置して、運用と保守をします。",
            "ja:cost": "設置も運用も弊社の負担です",
            "ja:tier": "Cでお願いします",
            "ja:consents": "はい、同意します",
            "ja:confirm": "提出します",
        },
        asides=(
            Aside(
                at="email",
                text="すみません、ここからは日本語で大丈夫です。",
                expect="japanese",
            ),
        ),
    ),
    Persona(
        id="zcb-one-long-message",
        platform="zerocarbon",
        lang="ja",
        opening=ZC_LONG,
        facts=Facts(
            organisation="株式会社丹沢ソーラーシェア",
            org_type="company",
            contact="木村",
            email="kimura@tanzawa-solar.example.jp",
            phone="0463-77-1234",
            title="ため池の水上太陽光で地域の電気",
            cost="proposer_bears",
            summary_key="水上太陽光",
            tier="A",
            leaks=("はじめまして",),
        ),
        says={
            "summary": "ため池に水上太陽光パネルを浮かべて、発電した電気を会員工場にPPAで供給します。",
            "activities": "弊社が設計・施工・保守を担います。",
            "cost": "設置費用はすべて弊社が負担します。",
            "tier": "Aでお願いします。",
        },
        stated=(
            "org_name",
            "org_type",
            "contact_name",
            "email",
            "phone",
            "title",
            "summary",
            "activities",
            "cost",
            "tier",
        ),
    ),
    Persona(
        id="zcb-sole-proprietor",
        platform="zerocarbon",
        lang="ja",
        opening="個人で省エネ診断やってる者ですが、提案いいですか",
        facts=Facts(
            organisation="エコ診断オフィス前田",
            org_type="sole_proprietor",
            contact="前田誠",
            email="maeda@eco-shindan.example.jp",
            title="小さな事務所のための省エネ相談会",
            cost="proposer_bears",
            summary_key="省エネ相談",
            tier="C",
        ),
        says={
            "org_name": "エコ診断オフィス前田でやってます",
            "org_type": "個人事業主です",
            "contact_name": "前田 誠です",
            "email": "maeda@eco-shindan.example.jp",
            "title": "小さな事務所のための省エネ相談会",
            "summary": "従業員10人以下の事務所向けに、電気代の明細を見ながら省エネ相談会を開きたいです。",
            "activities": "私が月1回、相談会を開いて、照明や空調の見直しを一緒に考えます。",
            "cost": "会場代とか資料代は自分で出します",
            "tier": "メールだけでいいのでCで",
        },
    ),
    Persona(
        id="zcb-corrects-email",
        platform="zerocarbon",
        lang="ja",
        opening="提案したいです。木材の件です。",
        facts=Facts(
            organisation="丹沢木材協同組合",
            org_type="association",
            contact="近藤",
            email="kondo@tanzawa-mokuzai.example.jp",
            title="地元材の木製ベンチで炭素を貯める",
            cost="proposer_bears",
            summary_key="ベンチ",
            tier="A",
        ),
        says={
            "org_name": "丹沢木材協同組合です",
            "org_type": "協同組合なので団体です",
            "contact_name": "近藤です",
            "email": "kondo@tanzawa-mokuzai.exmaple.jp",
            "title": "地元材の木製ベンチで炭素を貯める",
            "summary": "地元の間伐材で木製ベンチをつくり、会員企業の敷地に置いて炭素を長く貯めます。",
            "activities": "組合がベンチを製作して、会員企業に届けて設置します。",
            "cost": "製作費は組合で負担します",
            "tier": "Aでお願いします",
        },
        asides=(
            Aside(
                at="title",
                text="すみません、さっきのメールは間違いで、正しくは kondo@tanzawa-mokuzai.example.jp です",
                expect="heeded",
            ),
        ),
    ),
    Persona(
        id="zcb-en-questions",
        platform="zerocarbon",
        lang="en",
        opening="Hello! We'd like to propose a joint project.",
        facts=Facts(
            organisation="Sagami Craft Brewery",
            org_type="company",
            contact="Olivia Brown",
            email="olivia@sagami-craft.example.com",
            title="Spent grain to biogas",
            cost="proposer_bears",
            summary_key="biogas",
            tier="B",
        ),
        says={
            "org_name": "Sagami Craft Brewery",
            "org_type": "We're a small company",
            "contact_name": "Olivia Brown",
            "email": "olivia@sagami-craft.example.com",
            "title": "Spent grain to biogas",
            "summary": "We want to turn spent grain from local breweries into biogas with a small digester shared by members.",
            "activities": "We host the digester at our brewery and collect spent grain from two other members.",
            "cost": "We'll pay for it ourselves",
            "tier": "Tier B",
            "consents": "Yes, I agree",
            "confirm": "Submit",
        },
        asides=(
            Aside(
                at="summary",
                text="Before that: is there a deadline to join the consortium?",
                expect="answer",
                words=("deadline", "締切", "any time", "随時"),
            ),
        ),
    ),
    Persona(
        id="zcb-resume-next-day",
        platform="zerocarbon",
        lang="ja",
        opening="省エネの共同プロジェクトを提案したいです",
        facts=Facts(
            organisation="株式会社みずほ印刷",
            org_type="company",
            contact="加藤",
            email="kato@mizuho-print.example.jp",
            title="印刷工場の屋根に断熱塗装",
            cost="proposer_bears",
            summary_key="断熱",
            tier="B",
        ),
        says={
            "org_name": "株式会社みずほ印刷です",
            "contact_name": "加藤と申します",
            "email": "kato@mizuho-print.example.jp",
            "title": "印刷工場の屋根に断熱塗装",
            "summary": "会員の工場の屋根に断熱塗装をして、夏の空調の電気代とCO2を減らす共同実験をしたいです。",
            "activities": "弊社の工場で先に試して、効果を会員の皆さんに報告します。",
            "cost": "塗装の費用は自社で負担します",
            "tier": "Bです",
        },
        asides=(Aside(at="activities", text="", expect="resume", hours=30.0),),
    ),
    Persona(
        id="zcb-fullwidth",
        platform="zerocarbon",
        lang="ja",
        opening="提案です。",
        facts=Facts(
            organisation="株式会社エコファーム井上",
            org_type="company",
            contact="井上",
            email="inoue@eco-farm.example.jp",
            phone="0463-12-3456",
            title="農業用ハウスの木質ペレット暖房",
            cost="proposer_bears",
            summary_key="ペレット",
            tier="C",
        ),
        says={
            "org_name": "株式会社エコファーム井上です",
            "contact_name": "井上です",
            "email": "ｉｎｏｕｅ＠ｅｃｏ－ｆａｒｍ．ｅｘａｍｐｌｅ．ｊｐ　電話は０４６３－１２－３４５６",
            "title": "農業用ハウスの木質ペレット暖房",
            "summary": "農業用ハウスの重油暖房を、地元の木質ペレットの暖房に切り替える実証をしたいです。",
            "activities": "弊社のハウス２棟でペレット暖房機を入れて、燃料費とＣＯ２を比べます。",
            "cost": "費用は弊社負担です",
            "tier": "Ｃ（メール配信のみ）でお願いします",
        },
        also={"email": ("phone",)},
    ),
    Persona(
        id="zcb-en-not-sure",
        platform="zerocarbon",
        lang="en",
        opening="Hi, I have an idea for a project with your members.",
        facts=Facts(
            organisation="Hadano Green Offices",
            org_type="association",
            contact="Mei Tanaka",
            email="mei@hadano-green.example.org",
            title=None,
            cost="no_cost",
            summary_key="commute",
            tier=UNDECIDED,
        ),
        says={
            "org_name": "Hadano Green Offices - we're an association of small offices",
            "org_type": "An association",
            "contact_name": "Mei Tanaka",
            "email": "mei@hadano-green.example.org",
            "title": "No idea yet, you can pick one for me",
            "summary": "A shared bike-commute challenge for member companies to cut commuting emissions over one month.",
            "activities": "We organise the challenge, the app for logging rides and the prizes.",
            "cost": "No cost to the city or the consortium",
            "tier": "Not sure yet, can I decide later?",
            "consents": "Yes, agreed",
            "confirm": "File it",
        },
        also={"org_name": ("org_type",)},
    ),
    Persona(
        id="zcb-wakaranai-tier",
        platform="zerocarbon",
        lang="ja",
        opening="提案したいっす。生ごみ堆肥の件で",
        facts=Facts(
            organisation="一般社団法人はだの循環ネット",
            org_type="association",
            contact="原田",
            email="harada@junkan-net.example.org",
            title="社員食堂の生ごみを堆肥に",
            cost="proposer_bears",
            summary_key="堆肥",
            tier=UNDECIDED,
        ),
        says={
            "org_name": "一般社団法人はだの循環ネットです",
            "contact_name": "原田っす",
            "email": "harada@junkan-net.example.org",
            "title": "社員食堂の生ごみを堆肥に",
            "summary": "会員企業の社員食堂から出る生ごみを集めて堆肥にして、近くの農家さんに使ってもらいたいです",
            "activities": "うちが回収と堆肥化をやります、農家さんとのやりとりも",
            "cost": "回収の費用はうちで出します",
            "tier": "わからないです、あとで決めてもいいですか",
        },
        also={"org_name": ("org_type",)},
    ),
    Persona(
        id="zcb-en-signature",
        platform="zerocarbon",
        lang="en",
        opening=EN_SIGNATURE,
        facts=Facts(
            organisation="Shonan Green Logistics Co., Ltd.",
            org_type="company",
            contact="Sarah Nguyen",
            email="sarah.nguyen@shonan-green-logi.example.com",
            phone="0463-55-7788",
            title="Shared EV van pool for members",
            cost="proposer_bears",
            summary_key="van",
            tier="B",
            leaks=("Sustainability Lead", "0463-55-7789", "Kind regards"),
        ),
        says={
            "title": "Shared EV van pool for members",
            "summary": "A shared electric delivery-van pool for member companies.",
            "activities": "We buy and maintain the vans and run the booking system.",
            "cost": "We pay for the vans ourselves; members pay only per use.",
            "tier": "B please, we'll watch online",
            "consents": "Yes, I agree to all three.",
            "confirm": "Please submit it.",
        },
        stated=("org_name", "org_type", "contact_name", "email", "phone", "summary"),
    ),
]
