"""Japanese names, nicknames, places and profile lines for simulated accounts.

>>> FAMILY[0], GIVEN[0]
(('佐藤', 'sato'), ('翔', 'sho'))
"""

from __future__ import annotations

FAMILY = (
    ("佐藤", "sato"), ("鈴木", "suzuki"), ("高橋", "takahashi"), ("田中", "tanaka"), ("伊藤", "ito"),
    ("渡辺", "watanabe"), ("山本", "yamamoto"), ("中村", "nakamura"), ("小林", "kobayashi"), ("加藤", "kato"),
    ("吉田", "yoshida"), ("山田", "yamada"), ("佐々木",
    "sasaki"), ("山口", "yamaguchi"), ("松本", "matsumoto"),
    ("井上", "inoue"), ("木村", "kimura"), ("林", "hayashi"), ("斎藤", "saito"), ("清水", "shimizu"),
    ("山崎", "yamazaki"), ("森", "mori"), ("池田", "ikeda"), ("橋本", "hashimoto"), ("阿部", "abe"),
    ("石川", "ishikawa"), ("山下", "yamashita"), ("中島", "nakajima"), ("石井", "ishii"), ("小川", "ogawa"),
    ("前田", "maeda"), ("岡田", "okada"), ("長谷川", "hasegawa"), ("藤田", "fujita"), ("後藤", "goto"),
    ("近藤", "kondo"), ("村上", "murakami"), ("遠藤", "endo"), ("青木", "aoki"), ("坂本", "sakamoto"),
)  # fmt: skip

GIVEN = (
    ("翔", "sho"), ("大輝", "daiki"), ("蓮", "ren"), ("悠真", "yuma"), ("陽翔", "haruto"), ("湊", "minato"),
    ("健太", "kenta"), ("拓也", "takuya"), ("直樹", "naoki"), ("誠", "makoto"), ("浩", "hiroshi"),
    ("隆", "takashi"), ("修", "osamu"), ("和也", "kazuya"), ("翼", "tsubasa"), ("颯", "hayate"),
    ("結衣", "yui"), ("陽菜", "hina"), ("さくら", "sakura"), ("美咲", "misaki"), ("葵", "aoi"),
    ("凛", "rin"), ("花子", "hanako"), ("恵子", "keiko"), ("由美", "yumi"), ("真由美", "mayumi"),
    ("愛", "ai"), ("彩", "aya"), ("七海", "nanami"), ("遥", "haruka"), ("舞", "mai"), ("優子", "yuko"),
    ("明美", "akemi"), ("千尋", "chihiro"), ("楓", "kaede"), ("芽衣", "mei"),
)  # fmt: skip

#: Nicknames people use as display names, with a romaji form for handles.
NICK = (
    ("はるか", "haruka"), ("ゆう", "yuu"), ("みー", "mii"), ("たけし", "takeshi"), ("もも", "momo"),
    ("あっくん", "akkun"), ("まる", "maru"), ("ぽん太", "ponta"), ("くま", "kuma"), ("ねこまる", "nekomaru"),
    ("しろくま", "shirokuma"), ("らーめん太郎", "ramentaro"), ("みかん", "mikan"), ("こたろう", "kotaro"),
    ("ゆずき", "yuzuki"), ("あおい", "aoi"), ("ぴよ", "piyo"), ("ちゃちゃ", "chacha"), ("そら", "sora"),
    ("サトシ", "satoshi"), ("ケンジ", "kenji"), ("ユウキ", "yuuki"), ("リョウ", "ryo"), ("ミホ", "miho"),
    ("おにぎり", "onigiri"), ("たぬき", "tanuki"), ("こけし", "kokeshi"), ("ひよこ", "hiyoko"),
)  # fmt: skip

#: Words people put in handles.
HANDLE_WORDS = (
    "neko", "inu", "ramen", "sushi", "coffee", "tea", "blue", "sky", "moon", "star", "rain", "sun", "game",
    "anime", "tora", "kuma", "usagi", "momo", "mikan", "yuzu", "sakura", "kaze", "umi", "yama", "hoshi",
    "tabi", "photo", "diary", "life", "baseball", "jazz", "book", "camp", "bike", "run", "cafe",
)  # fmt: skip

#: Emoji some people add to display names.
NAME_EMOJI = ("", "", "", "", "", "🌸", "🍙", "🐱", "🐶", "⚾", "🎮", "☕", "🌙", "🍜", "✨", "🌻")

LOCATIONS = (
    "", "", "", "", "東京", "東京都",
    "東京都 世田谷区", "大阪", "大阪府", "神奈川県 横浜市", "愛知県", "名古屋",
    "福岡", "北海道 札幌市", "宮城 仙台", "埼玉県", "千葉県", "兵庫 神戸", "京都", "広島", "静岡", "新潟",
    "沖縄", "熊本", "長野", "日本", "Japan", "Tokyo, Japan", "関西", "九州", "東北のどこか", "地球",
)  # fmt: skip

BIO_PARTS = (
    "会社員", "主婦", "大学生", "看護師", "エンジニア",
    "公務員", "自営業", "フリーランス", "教員", "二児の母",
    "三児の父", "猫好き", "犬と暮らしてます", "ラーメン巡り", "阪神ファン", "カープ女子", "アニメ好き",
    "ゲーム好き", "読書", "写真", "カメラ",
    "旅行好き", "キャンプ", "筋トレ", "料理", "無言フォロー失礼します",
    "日常のつぶやき", "政治にも関心あります", "30代", "40代", "50代", "アラフォー", "関西人", "道産子",
    "コーヒー中毒", "野球観戦", "推し活", "低浮上", "趣味垢", "雑多垢",
)  # fmt: skip
