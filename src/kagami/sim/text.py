"""Japanese post text from a grammar of templates and vocabularies over many topics.

A template is a sentence with ``{slot}`` holes; a slot is filled from the topic's own vocabulary or the
shared one. A post is one to three sentences of a topic, sometimes an emoji, hashtags and a link, written
as :mod:`~kagami.sim.markup` content.

>>> import random
>>> g = TextGen(random.Random(1))
>>> len({g.post("rice", 0) for _ in range(50)}) > 40
True
>>> g.fill("{pref}は{int}暑い") != g.fill("{pref}は{int}暑い") or True
True
"""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime

from kagami.sim import markup
from kagami.sim.ids import B62
from kagami.sim.lexicon.common import QUOTES, REPLIES, SHARED, Topic
from kagami.sim.lexicon.life import LIFE
from kagami.sim.lexicon.outlets import OTHER_SITES, OUTLETS
from kagami.sim.lexicon.society import SOCIETY

TOPICS: dict[str, Topic] = {**SOCIETY, **LIFE}
TOPIC_NAMES = tuple(sorted(TOPICS))
_SLOT = re.compile(r"\{(\w+)\}")
_HEX = "0123456789abcdef"


def compile_template(template: str) -> tuple[str, ...]:
    """Split a template into literal text (even places) and slot names (odd places)."""
    return tuple(_SLOT.split(template))


def url_fill(pattern: str, rnd: random.Random, t_us: int, user: str = "user") -> str:
    """Fill an URL pattern's ``{ymd} {y} {m} {d} {md} {n} {h} {u}`` holes for a date and random ids."""
    d = datetime.fromtimestamp(t_us // 1_000_000, UTC)
    out = []
    for i, part in enumerate(_SLOT.split(pattern)):
        if i % 2 == 0:
            out.append(part)
        elif part == "ymd":
            out.append(d.strftime("%Y%m%d"))
        elif part in ("y", "m", "d", "md"):
            out.append(d.strftime({"y": "%Y", "m": "%m", "d": "%d", "md": "%m%d"}[part]))
        elif part == "n":
            out.append(str(rnd.randrange(10_000, 99_999_999)))
        elif part == "h":
            out.append("".join(rnd.choices(_HEX if "news.cn" in pattern else B62, k=12)))
        else:
            out.append(user)
    return "".join(out)


class TextGen:
    """Draws texts with one ``random.Random`` (fast scalar draws; same seed, same texts)."""

    def __init__(self, rnd: random.Random) -> None:
        self.rnd = rnd
        self._compiled: dict[str, tuple[str, ...]] = {}
        self._outlet_cum = _cumulative([o.weight for o in OUTLETS])
        self._last = ""

    def _parts(self, template: str) -> tuple[str, ...]:
        parts = self._compiled.get(template)
        if parts is None:
            parts = self._compiled[template] = compile_template(template)
        return parts

    def fill(self, template: str, slots: dict[str, tuple[str, ...]] | None = None) -> str:
        """A template with every slot filled (topic slots first, then shared ones)."""
        parts = self._parts(template)
        choice = self.rnd.choice
        out = [parts[0]]
        for i in range(1, len(parts), 2):
            name = parts[i]
            vocab = slots.get(name) if slots else None
            out.append(choice(vocab if vocab is not None else SHARED[name]))
            out.append(parts[i + 1])
        return "".join(out)

    def sentence(self, topic: str, avoid: str = "") -> str:
        """One sentence of ``topic``, from a template other than ``avoid``."""
        t = TOPICS[topic]
        template = self.rnd.choice(t.templates)
        if template == avoid:
            template = t.templates[(t.templates.index(template) + 1) % len(t.templates)]
        self._last = template
        return self.fill(template, t.slots)

    def post(self, topic: str, t_us: int, *, tag_p: float = 0.18, link_p: float | None = None) -> str:
        """An original post about ``topic`` as markup content."""
        r = self.rnd.random
        t = TOPICS[topic]
        text = self.sentence(topic)
        extra = r()
        if extra < 0.45 and len(text) < 60:
            first = self._last
            sep = "" if text[-1:] in "。！…?？" else self.rnd.choice(("。", "\n", " ", "、"))
            text += sep + self.sentence(topic, first)
            if extra < 0.1 and len(text) < 80:
                text += "\n" + self.sentence(topic, self._last)
        if r() < 0.12:
            text += self.rnd.choice(SHARED["emo"])
        if t.tags and r() < tag_p:
            text += " " + markup.tag(self.rnd.choice(t.tags))
            if r() < 0.2:
                second = self.rnd.choice(t.tags)
                text += "" if markup.tag(second) in text else " " + markup.tag(second)
        if r() < (t.link_share if link_p is None else link_p):
            text += "\n" + markup.link(self.news_url(t_us) if r() < 0.8 else self.other_url(t_us))
        return text

    def reply(self) -> str:
        return self.fill(self.rnd.choice(REPLIES))

    def quote(self) -> str:
        return self.fill(self.rnd.choice(QUOTES))

    def news_url(self, t_us: int) -> str:
        """An article URL of a Japanese news outlet, dated near ``t_us``."""
        i = _pick(self._outlet_cum, self.rnd.random())
        return url_fill(OUTLETS[i].pattern, self.rnd, t_us)

    def other_url(self, t_us: int) -> str:
        return url_fill(
            self.rnd.choice(OTHER_SITES), self.rnd, t_us, self.rnd.choice(("mika", "taro", "k_s"))
        )


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return [x / total for x in out]


def _pick(cum: list[float], u: float) -> int:
    for i, c in enumerate(cum):
        if u < c:
            return i
    return len(cum) - 1
