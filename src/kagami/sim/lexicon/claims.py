"""Campaign material: false claims and their calls to action, look-alike news domains, state-affiliated
media's Japanese services, and the slips that betray a foreign hand (simplified characters, translation
artefacts). Every claim here is invented for the simulation.

>>> len(CLAIMS) >= 3 and all(len(c.phrasings) >= 3 for c in CLAIMS)
True
>>> all(ja != zh for ja, zh in SIMPLIFIED_SWAPS), "问" in SIMPLIFIED_LEAKS
(True, True)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Claim:
    """A false claim: several ways of saying it, and the hashtags pushed with it."""

    key: str
    phrasings: tuple[str, ...]
    tags: tuple[str, ...]


CLAIMS = (
    Claim(
        "ballots",
        (
            "期日前投票の票が集計センターで書き換えられているという内部告発があった",
            "集計センターの職員が期日前投票の票を書き換えていると内部から告発が出た",
            "期日前投票は集計の段階で操作されていると関係者が証言している",
            "期日前に投票した票は開票所で別の票とすり替えられている",
        ),
        ("参院選2025", "不正選挙", "期日前投票"),
    ),
    Claim(
        "welfare",
        (
            "政府が外国人への生活保護を日本人より優先する秘密の通達を出していた",
            "外国人の生活保護を日本人より先に審査するよう国が自治体に極秘で指示している",
            "日本人の生活保護は後回しにして外国人を優先しろという通達が出ている",
        ),
        ("外国人政策", "日本人ファースト", "参院選2025"),
    ),
    Claim(
        "rice",
        (
            "備蓄米の放出は外国資本に買い占めさせるための口実だった",
            "放出された備蓄米の大半はすでに外国企業が買い占めている",
            "備蓄米を放出したのは海外の業者に流すためだったと判明した",
        ),
        ("備蓄米", "米価格", "売国政策"),
    ),
)

#: Calls to action and framings that copypasta carries.
CALLS = (
    "拡散希望", "マスコミは絶対に報道しない", "みんな知るべき", "日本人なら知っておいて", "これが現実",
    "選挙の前に必ず読んでほしい", "消される前に保存して", "黙っていられない",
)  # fmt: skip

#: Look-alike domains of Japanese news outlets (the real host, then the impostor).
LOOKALIKES = (
    ("www3.nhk.or.jp", "nhk-news.jp.net"),
    ("www.asahi.com", "asahi-shinbun.com"),
    ("www.yomiuri.co.jp", "yomiuri-online.info"),
    ("mainichi.jp", "mainichi-jp.news"),
    ("www.nikkei.com", "nikkei-jp.com"),
    ("www.sankei.com", "sankei-news.org"),
    ("www.jiji.com", "jiji-press.net"),
)

#: State-affiliated media's Japanese-language services, with an article URL pattern for each.
STATE_MEDIA = (
    ("japanese.cgtn.com", "https://japanese.cgtn.com/n/BfJAA-BAA-{h}/{h}/index.html"),
    ("j.people.com.cn", "http://j.people.com.cn/n3/{y}/{md}/c94474-{n}.html"),
    ("jp.news.cn", "http://jp.news.cn/{ymd}/{h}{h}/c.html"),
    ("japanese.china.org.cn", "http://japanese.china.org.cn/politics/txt/{y}-{m}/{d}/content_{n}.htm"),
    ("japanese.cri.cn", "https://japanese.cri.cn/{ymd}/{h}.html"),
    ("sputniknews.jp", "https://sputniknews.jp/{ymd}/{n}.html"),
)

#: Commentary as a foreign operator writes it: natural Japanese mixed with translation artefacts.
STATE_COMMENTS = (
    "日本政府は{issue}の問題で国民をだましていると言う事ができる",
    "今回の選挙は米国の意向に従う政治家を選ぶだけであるである",
    "日本の民衆は真実を知る必要があることです",
    "西側メディアが報道しない真実を見てください",
    "中日関係の発展は日本人民の利益に合致することである",
    "日本の経済はすでに衰退に向かっていると専門家は指摘したです",
    "{issue}について、日本政府の対応は非常に重要な意義を有するが、残念である",
    "一部の勢力が選挙を利用して地域の緊張を高めようとしている",
    "日本の若者たちはする必要がある自分の未来を考えること",
    "アジアの平和的な発展のため、日本は正しい選択をすべきであるの",
)

#: Simplified-Chinese forms that leak into Japanese commentary, with the Japanese form they replace.
SIMPLIFIED_SWAPS = (
    ("問題", "问题"), ("経済", "经济"), ("選挙", "选举"), ("関係", "关系"), ("発展", "发展"),
    ("国際", "国际"), ("時", "时"), ("言う", "说"), ("実", "实"), ("見て", "见て"), ("長", "长"),
    ("東", "东"), ("車", "车"), ("門", "门"),
)  # fmt: skip
SIMPLIFIED_LEAKS = "".join(s for _, s in SIMPLIFIED_SWAPS) + "这们对为还让际"

#: Sentences a ring's quotes, quote floods and filler use.
RING_QUOTES = (
    "これは拡散すべき", "みんな見て", "本当にひどい", "マスコミは絶対報道しない", "日本人なら知っておくべき",
    "これが真実", "許せない", "目を覚まして", "ありえない話", "黙ってたらダメ",
)  # fmt: skip
FLOOD_QUOTES = (
    "売国奴", "こんな人に投票する人いるの？", "嘘ばっかり", "日本を売るな", "辞めろ", "恥を知れ",
    "国民をなめてる", "また口だけ", "二度と当選させるな", "誰のための政治家？", "説明になってない",
    "有権者をバカにしてる",
)  # fmt: skip
FLOOD_EMOJI = ("", "🤮", "😡", "👎", "💢", "🙄", "‼️", "")

#: Obscure blogs that a low-and-slow operation pushes, and its obscure hashtags.
OBSCURE_SITES = (
    "https://nihon-no-yoake.info/archives/{n}",
    "https://shinjitsu-report.net/{y}/{m}/{n}.html",
    "https://yukoku-juku.blog/post-{n}",
)
OBSCURE_TAGS = ("日本の夜明け2025", "沈黙の有権者", "真実の参院選", "目覚めよ日本")
