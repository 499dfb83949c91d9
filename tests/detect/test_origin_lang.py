"""Language artefacts: the simplified-character list, the kana rule, translation traces, per-account rows."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from kagami.detect.origin_lang import (
    languages,
    mt_patterns,
    origin_language,
    post_language,
    simplified,
    simplified_in,
    traces,
)
from kagami.model import Post
from kagami.store import Store
from tests.detect.builders import REF
from tests.detect.origin_builders import load

#: Ordinary Japanese, full of kanji that are also simplified Chinese (国 会 学 党 体 台 区 写 没 参 机 …).
ORDINARY = [
    "国会で学生が党の体制について議論した。台風で区役所が閉まり、写真を撮り損ねた。",
    "参院選の投票に行ってきました！没頭して机に向かう一日。",
    "東京都知事選挙、経済と外交の問題が争点です。日中関係も大事。",
    "中日新聞の記事を読んだ。中日ドラゴンズ勝った！よかったです",
    "今日はどこであるの？ 雨らしいので傘を持って行きます。",
    "選挙に行こう、若い人こそ。物価高、年金、医療……課題は山積み。",
    "新しい時代の発展に期待。関係者の皆さん、お疲れさまでした。",
]


def test_every_listed_character_is_outside_jis_x_0208_and_differs_from_japanese() -> None:
    table = simplified()
    assert len(table) > 250
    for ch, ja in table.items():
        with pytest.raises(UnicodeEncodeError):
            ch.encode("shift_jis")
        assert ch != ja and len(ch) == 1
    for ja_char in "国会学党体台区写没乱参双机与点来数后个万号当":
        assert ja_char not in table


def test_ordinary_japanese_has_no_hits() -> None:
    for text in ORDINARY:
        assert simplified_in(text) == "", text
        assert traces(text) == ([], 0.0), text
        assert post_language(text) == "ja"


def test_simplified_characters_inside_japanese() -> None:
    assert simplified_in("今回の选举は米国の意向、经济の问题") == "选举经济问题"
    assert post_language("今回の选举は问题だ") == "ja"  # kana: Japanese text with a leak


def test_the_kana_rule_and_kanji_only_text() -> None:
    assert languages(
        ["東京都知事選挙", "中日关系的发展", "カタカナだけ", "hello there world", "Привет мир", "안녕하세요"]
    ) == [
        "cjk",  # lingua says Chinese; no simplified character: undecided, never a switch
        "zh",
        "ja",
        "en",
        "ru",
        "ko",
    ]
    assert post_language("👍👍 https://example.com/x @someone") == "und"


def test_translation_traces_each_pattern() -> None:
    cases = {
        "日本政府の対応は重要である，残念です": "cn_comma",
        "中日関係の発展は大切": "cn_order",
        "日本人民の利益に合致する": "renmin",
        "政治家を選ぶだけであるである": "double_copula",
        "専門家は指摘したです": "ta_desu",
        "正しい選択をすべきであるの。": "aru_no",
        "真実を知る必要があることです": "koto_desu",
    }
    assert {name for name, _, _ in mt_patterns()} == set(cases.values())
    for text, name in cases.items():
        found, score = traces(text)
        assert name in found, text
        assert 0 < score <= 0.4
    names, score = traces("中日関係は日本人民のためであるである")
    assert names == ["cn_order", "renmin", "double_copula"]
    assert score == pytest.approx(1 - 0.6 * 0.7 * 0.6)


def test_origin_language_per_account(store: Store) -> None:
    t0 = datetime(2025, 7, 7, 3, tzinfo=UTC)
    texts_a = ["今回の选举は问题だ", "日本の経済は衰退したです", "中日関係が大事である", "今日は暑いですね"]
    texts_b = [*ORDINARY, "Nice weather today in Tokyo", "東京都知事選挙"]
    items = [Post("x", f"a{i}", "a", t0 + timedelta(hours=i), t, REF) for i, t in enumerate(texts_a)]
    items += [Post("x", f"b{i}", "b", t0 + timedelta(hours=i), t, REF) for i, t in enumerate(texts_b)]
    items.append(Post("x", "a-rt", "a", t0, "RT 这是问题", REF, kind="repost", ref_id="zz"))
    load(store, items)
    assert origin_language(store) == 2
    rows = {r[0]: r for r in store.con.execute("SELECT * FROM origin_language").fetchall()}
    a, b = rows["x:a"], rows["x:b"]
    assert a[1:4] == (4, 4, 0.25)  # the repost is not the account's own text
    assert a[4] == pytest.approx((0.15 + 0.4) / 4)
    assert a[5] == "ja:1.0" and a[6] == 0
    assert a[7] == pytest.approx(1.55 / 4.55)
    ev = json.loads(a[8])
    assert ev["top_simplified"][0]["ch"] in "选举问题" and ev["mt_patterns"] == {"cn_order": 1, "ta_desu": 1}
    assert b[3:5] == (0.0, 0.0) and b[7] == 0.0
    assert b[5].startswith("ja:0.778") and "en:0.111" in b[5] and "cjk:0.111" in b[5]
    assert b[6] == 1  # ja -> en; the kanji-only post after it is not a switch


def test_a_repeated_text_counts_for_every_post_of_every_account(store: Store) -> None:
    """Features are read once per distinct text and joined back: each post still counts, and a text that
    one account reposts does not leak into another's own posts."""
    t0 = datetime(2025, 7, 7, 3, tzinfo=UTC)
    same = "今回の选举は问题だ、中日関係"  # simplified characters and the cn_order trace
    items = [Post("x", f"c{i}", "c", t0 + timedelta(hours=i), same, REF) for i in range(3)]
    items += [
        Post("x", "d0", "d", t0, same, REF),
        Post("x", "d1", "d", t0 + timedelta(hours=1), "今日は暑い", REF),
    ]
    items.append(Post("x", "e0", "e", t0, same, REF, kind="repost", ref_id="c0"))
    items.append(Post("x", "e1", "e", t0, "今日は暑いですね", REF))
    load(store, items)
    assert origin_language(store) == 3
    rows = {r[0]: r for r in store.con.execute("SELECT * FROM origin_language").fetchall()}
    assert rows["x:c"][1:4] == (3, 3, 1.0)
    assert rows["x:d"][1:4] == (2, 2, 0.5)
    assert rows["x:e"][1:4] == (1, 1, 0.0)
    assert json.loads(rows["x:c"][8])["mt_patterns"] == {"cn_order": 3}
    assert origin_language(store, ["x:d"]) == 1  # only the accounts asked for
    assert store.con.execute("SELECT account_uid, n_posts FROM origin_language").fetchall() == [("x:d", 2)]
