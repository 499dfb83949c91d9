"""Simulated accounts: who they are, how they look, and how they behave.

The :class:`World` holds every account of both platforms; :class:`AccountFactory` makes accounts with
realistic profiles (ids minted like the platform mints them, handles, display names, bios, avatars,
follower counts) in a few styles: ordinary people, bots, and mass-created campaign accounts.

>>> import random
>>> from kagami.sim.clock import Window
>>> world = World(Window.from_iso("2025-07-03T00:00:00+09:00", 19), seed=1)
>>> f = AccountFactory(world, random.Random(1))
>>> a = f.person(X, age_days=800)
>>> b = f.mass(BSKY, created_us=world.window.start_us - 86_400_000_000)
>>> a.pid.isdigit(), b.pid.startswith("did:plc:"), b.handle.endswith(".bsky.social"), b.handle[0].isalpha()
(True, True, True, True)
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from kagami.sim.clock import US_PER_DAY, Window
from kagami.sim.events import BSKY, X
from kagami.sim.ids import did_plc, mix64, snowflake
from kagami.sim.lexicon.names import BIO_PARTS, FAMILY, GIVEN, HANDLE_WORDS, LOCATIONS, NAME_EMOJI, NICK

SNOWFLAKE_USERS_FROM_US = 1_388_534_400_000_000  # 2014-01-01: older X accounts have small numeric ids


@dataclass(slots=True)
class Account:
    """One account on one platform, with its ground truth (label, campaign, role)."""

    idx: int
    platform: int
    pid: str
    handle: str
    name: str
    created_us: int
    description: str = ""
    location: str = ""
    default_avatar: bool = False
    verified: bool = False
    followers: int = 0
    following: int = 0
    prior_posts: int = 0
    label: str = "organic"
    campaign: str = ""
    role: str = "member"
    person: int = -1
    rate: float = 0.0  # original posts per day
    shift: int = 0  # personal rhythm shift, hours
    community: int = 0
    topics: tuple[str, ...] = ()
    source: str = "Twitter for iPhone"
    twin: int = -1  # the same person's account on the other platform


@dataclass(slots=True)
class World:
    """All accounts, by index; handles are unique per platform."""

    window: Window
    seed: int
    accounts: list[Account] = field(default_factory=list)
    handles: tuple[set[str], set[str]] = field(default_factory=lambda: (set(), set()))
    people: int = 0

    def add(self, acc: Account) -> Account:
        acc.idx = len(self.accounts)
        self.accounts.append(acc)
        return acc

    def on(self, platform: int) -> list[Account]:
        return [a for a in self.accounts if a.platform == platform]

    def labelled(self, label: str, platform: int | None = None) -> list[Account]:
        return [a for a in self.accounts if a.label == label and (platform is None or a.platform == platform)]

    def new_person(self) -> int:
        self.people += 1
        return self.people - 1


def bsky_handle(base: str) -> str:
    """A Bluesky handle from an X-style one (no underscores in DNS labels)."""
    return base.replace("_", "-").lower().strip("-") + ".bsky.social"


class AccountFactory:
    """Makes accounts for a world with one ``random.Random``."""

    def __init__(self, world: World, rnd: random.Random) -> None:
        self.world = world
        self.rnd = rnd

    # -- identifiers ----------------------------------------------------------------------------------
    def _pid(self, platform: int, created_us: int) -> str:
        n = len(self.world.accounts)
        if platform == BSKY:
            return did_plc(mix64(self.world.seed, n, 0xB5))
        if created_us < SNOWFLAKE_USERS_FROM_US:
            years = (created_us - 1_167_609_600_000_000) / (365.25 * US_PER_DAY)  # since 2007
            return str(int(max(1.0, years) ** 2.2 * 18_000_000) + self.rnd.randrange(1_000_000))
        return str(snowflake(created_us // 1000, mix64(self.world.seed, n)))

    def _unique(self, platform: int, handle: str) -> str:
        taken = self.world.handles[platform]
        base = re.sub(r"[^A-Za-z0-9_]", "_", handle)[:15] if platform == X else handle
        h = base if platform == X else bsky_handle(base)
        while h in taken:
            suffix = str(self.rnd.randrange(10, 9999))
            h = base[: 15 - len(suffix)] + suffix if platform == X else bsky_handle(base + suffix)
        taken.add(h)
        return h

    # -- profile pieces -------------------------------------------------------------------------------
    def person_handle(self) -> str:
        r = self.rnd
        fam, giv, nick, word = (
            r.choice(FAMILY)[1],
            r.choice(GIVEN)[1],
            r.choice(NICK)[1],
            r.choice(HANDLE_WORDS),
        )
        style = r.randrange(7)
        return (
            f"{word}_{nick}",
            f"{giv}{r.randrange(10, 100)}",
            f"{fam}_{giv[0]}",
            f"{nick}{word}",
            f"{giv}_{word}{r.randrange(1, 1000)}",
            f"{word}{r.choice(HANDLE_WORDS)}",
            f"{nick}_{fam}",
        )[style]

    def person_name(self) -> str:
        r = self.rnd
        style = r.random()
        if style < 0.3:
            name = f"{r.choice(FAMILY)[0]}{r.choice(('', ' ', '　'))}{r.choice(GIVEN)[0]}"
        elif style < 0.75:
            name = r.choice(NICK)[0]
        elif style < 0.85:
            name = r.choice(GIVEN)[1].capitalize()
        else:
            name = f"{r.choice(NICK)[0]}@{r.choice(BIO_PARTS)}"
        return name + r.choice(NAME_EMOJI)

    def bio(self, empty_p: float = 0.15) -> str:
        r = self.rnd
        if r.random() < empty_p:
            return ""
        parts = r.sample(BIO_PARTS, r.randint(1, 3))
        return r.choice(("／", " | ", "。", " ", "、")).join(parts)

    def _followers(self, median: float, sigma: float) -> int:
        return int(self.rnd.lognormvariate(0, sigma) * median)

    # -- account styles -------------------------------------------------------------------------------
    def person(
        self, platform: int, age_days: float, *, handle: str | None = None, name: str | None = None
    ) -> Account:
        """An ordinary person's account, ``age_days`` old at the start of the window."""
        r = self.rnd
        created = self.world.window.start_us - int(age_days * US_PER_DAY) - r.randrange(US_PER_DAY)
        followers = self._followers(120, 1.4)
        acc = Account(
            idx=-1,
            platform=platform,
            pid=self._pid(platform, created),
            handle=self._unique(platform, handle or self.person_handle()),
            name=name or self.person_name(),
            created_us=created,
            description=self.bio(),
            location=r.choice(LOCATIONS),
            default_avatar=r.random() < 0.04,
            followers=followers,
            following=self._followers(180, 1.0),
            prior_posts=int(age_days * r.lognormvariate(0, 1.2) * 0.8),
            source=r.choice(
                ("Twitter for iPhone",) * 5 + ("Twitter for Android",) * 3 + ("Twitter Web App",) * 2
            ),
        )
        return self.world.add(acc)

    def mass(self, platform: int, created_us: int, *, default_avatar: bool = True, bio: str = "") -> Account:
        """A mass-created account: name plus digits handle, few followers, following many."""
        r = self.rnd
        giv = r.choice(GIVEN)
        digits = str(r.randrange(10_000_000, 100_000_000))
        base = (
            (giv[1].capitalize() + digits)
            if r.random() < 0.6
            else f"{giv[1]}{r.choice(FAMILY)[1]}"[:7] + digits
        )
        acc = Account(
            idx=-1,
            platform=platform,
            pid=self._pid(platform, created_us),
            handle=self._unique(platform, base),
            name=giv[0] if r.random() < 0.7 else f"{r.choice(FAMILY)[0]}{giv[0]}",
            created_us=created_us,
            description=bio,
            location=r.choice(("", "", "", "日本", "東京")),
            default_avatar=default_avatar,
            followers=int(r.lognormvariate(0, 1.0) * 12),
            following=int(r.lognormvariate(0, 0.6) * 300),
            prior_posts=r.randrange(0, 60),
            source="Twitter Web App" if r.random() < 0.8 else "Twitter for Android",
        )
        return self.world.add(acc)

    def bot(self, platform: int, handle: str, name: str, bio: str, age_days: float, source: str) -> Account:
        """An automated account run openly by an organisation."""
        created = self.world.window.start_us - int(age_days * US_PER_DAY)
        acc = Account(
            idx=-1,
            platform=platform,
            pid=self._pid(platform, created),
            handle=self._unique(platform, handle),
            name=name,
            created_us=created,
            description=bio,
            location="日本",
            followers=self._followers(30_000, 1.2),
            following=self.rnd.randrange(0, 50),
            prior_posts=int(age_days * 40),
            source=source,
            verified=self.rnd.random() < 0.5,
        )
        return self.world.add(acc)
