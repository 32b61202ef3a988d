"""The actors refiner's gazetteer: states, organs, organisations and groups, found by n-gram lookup.

Why n-grams and not one big regex: an alternation of some 800 names is slow in either regex
engine (no trie), an order of magnitude slower per sentence than looking up the few n-grams that
start with a known first word. Part of :mod:`classifier.plugins.actors` (its data file: ``data/actors.toml``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

import regex

from classifier.errors import ConfigError

KINDS = ("state", "organ", "organisation", "group", "place")
ACTOR_KINDS = ("state", "organ", "organisation")
_I = regex.IGNORECASE
# Words with inner dots and hyphens ("U.S.", "EE.UU.", "MS-13") and the possessive "'s".
_TOKEN = re.compile(r"[^\W_]+(?:[.\-][^\W_]+)*\.?|['’]s\b")
# The same tokens in a text that is all ASCII, where ``[^\W_]`` is exactly ``[A-Za-z0-9]`` and
# "’" cannot occur: a plain class scans ~30% faster than the Unicode word class, and most
# news text (English) is ASCII.
_TOKEN_ASCII = re.compile(r"[A-Za-z0-9]+(?:[.\-][A-Za-z0-9]+)*\.?|'s\b")


def _state(mention: "Mention | None") -> str | None:
    return mention.actor() if mention else None


def _name(mention: "Mention | None") -> str | None:
    return mention.target() if mention else None


@dataclass(frozen=True)
class Entity:
    """One gazetteer entry."""

    name: str
    kind: str
    country: str | None = None
    person: bool = False

    def actor(self) -> str | None:
        if self.kind == "organ":
            return self.country
        return self.name if self.kind in ACTOR_KINDS else None

    def target(self) -> str:
        if self.kind == "organ" and not self.person and self.country:
            return self.country
        return self.name


@dataclass(frozen=True)
class Mention:
    """An entity named in a sentence; ``demonym`` mentions can only be targets."""

    start: int
    end: int
    entity: Entity
    demonym: bool = False

    def actor(self) -> str | None:
        return None if self.demonym else self.entity.actor()

    def target(self) -> str:
        return self.entity.name if self.demonym else self.entity.target()


def _clean(phrase: str) -> str | None:
    """A target phrase on one line, without quotes around it or a possessive at its end."""
    out = " ".join(phrase.split()).strip("'‘’\"“”«» ")
    if out.endswith(".") and not regex.search(r"(?:\b\w\.){2,}$", out):
        out = out[:-1]  # the sentence's full stop, not "U.S."
    if out.endswith(("'s", "’s")):
        out = out[:-2]
    return out or None


def _join(words: Sequence[str]) -> str:
    return " ".join(words).replace("’", "'")


class Gazetteer:
    """The names of the data file as token n-gram tables, and :meth:`mentions` over a text.

    A mix-in of :class:`~classifier.plugins.actors.ActorRefiner`, which owns the data file and
    ``self.path`` (named in errors)."""

    path: Any

    def _load_names(self, data: Mapping[str, Any], compile: Callable[[str, int], Any]) -> None:
        """Build the n-gram tables from the data file's entities, blocked phrases and organ nouns."""
        # n-gram key -> (entity, or None for a blocked phrase; is it a demonym)
        self._ci: dict[str, tuple[Entity | None, bool]] = {}
        self._cs: dict[str, tuple[Entity | None, bool]] = {}
        self._patterns: list[tuple[Entity, Any]] = []
        for phrase in data.get("block", {}).get("phrases", []):
            self._ci[self._key(phrase, False)] = (None, False)
        states = {e.get("name") for e in data.get("entity", [])
                  if e.get("kind") in ("state", "organisation")}  # an organ's country
        for item in data.get("entity", []):
            self._add(item, states, compile)
        nouns = data.get("organ_nouns", {})
        self._organ_en = {self._key(n, False) for n in nouns.get("en", [])}
        self._organ_es = {self._key(n, False) for n in nouns.get("es", [])}
        # first word -> the lengths (in words) of the n-grams starting with it, longest first:
        # only those lengths can name something, so only they are looked up
        lengths: dict[str, set[int]] = {}
        for table in (self._ci, self._cs):
            for key in table:
                words = key.casefold().split(" ")
                lengths.setdefault(words[0], set()).add(len(words))
        self._first: dict[str, tuple[int, ...]] = {
            word: tuple(sorted(sizes, reverse=True)) for word, sizes in lengths.items()}
        self._organ_first = {k.split(" ")[0] for k in self._organ_en | self._organ_es}
        # the words that can open a name or an organ noun, so :meth:`mentions` visits only them
        self._starters = frozenset(self._first) | self._organ_first
        # every casefolded key and each of its leading runs of words: how far a name starting
        # at a word can reach, before any n-gram is looked up
        self._keys = frozenset(k.casefold() for table in (self._ci, self._cs) for k in table)
        self._prefixes = frozenset(" ".join(words[:n]) for key in self._keys
                                   if (words := key.split(" ")) for n in range(1, len(words) + 1))
        organs = self._organ_en | self._organ_es
        self._organ_len = max((len(k.split(" ")) for k in organs), default=0)

    @staticmethod
    def _key(alias: str, case_sensitive: bool) -> str:
        words = _TOKEN.findall(alias)
        return _join(words) if case_sensitive else _join(words).casefold()

    def _add(self, item: Mapping[str, Any], states: set[Any],
             compile: Callable[[str, int], Any] = regex.compile) -> None:
        where = f"{self.path}: entity {item.get('name', '?')!r}"
        kind = item.get("kind")
        if not item.get("name") or kind not in KINDS:
            raise ConfigError(f"{where}: needs a name and a kind in {KINDS}")
        if kind in ("organ", "place") and item.get("country") not in states:
            raise ConfigError(f"{where}: an {kind} needs a country that is a state (or "
                              "organisation) entity")
        entity = Entity(item["name"], kind, item.get("country"), bool(item.get("person", False)))
        for field_name, table, dem in (("aliases", self._ci, False),
                                       ("aliases_cs", self._cs, False),
                                       ("demonyms", self._ci, True)):
            for alias in item.get(field_name, []):
                k = self._key(alias, table is self._cs)
                if not k:
                    raise ConfigError(f"{where}: alias {alias!r} has no words")
                old = table.get(k)
                if old is not None and old[0] is not None and old[0] != entity:
                    raise ConfigError(f"{where}: alias {alias!r} already names {old[0].name!r}")
                if old is None or old[0] is None or not dem:  # "China" stays a name, not a demonym
                    table[k] = (entity, dem)
        for pattern in item.get("patterns", []):
            try:
                self._patterns.append((entity, compile(pattern, _I)))
            except regex.error as exc:
                raise ConfigError(f"{where}: bad pattern {pattern!r}: {exc}") from exc

    # -- mentions -----------------------------------------------------------------------------

    def _lookup(self, words: Sequence[str], i: int, n: int
                ) -> tuple[Entity | None, bool, int] | None:
        """The entry named by ``words[i:i+n]``, and how many characters to drop at the end."""
        key = _join(words[i:i + n])
        for candidate, cut in ((key, 0), (key[:-1], 1) if key.endswith(".") else (None, 0)):
            if candidate:
                hit = self._cs.get(candidate) or self._ci.get(candidate.casefold())
                if hit is not None:
                    return hit[0], hit[1], cut
        return None

    def _organ(self, table: set[str], words: Sequence[str], i: int) -> int:
        """How many (casefolded) words from ``i`` form an organ noun ("armed forces"), or 0."""
        if i >= len(words) or words[i].rstrip(".") not in self._organ_first:
            return 0
        for n in range(min(self._organ_len, len(words) - i), 0, -1):
            if _join(words[i:i + n]).rstrip(".") in table:
                return n
        return 0

    def mentions(self, text: str) -> list[Mention]:
        """Every gazetteer entity named in ``text``, left to right, longest first."""
        found = list((_TOKEN_ASCII if text.isascii() else _TOKEN).finditer(text))
        words = [m.group() for m in found]
        folded = [w.casefold() for w in words]
        first, starters = self._first, self._starters
        prefixes, keys, organ_first = self._prefixes, self._keys, self._organ_first
        lookup, size = self._lookup, len(folded)
        out: list[Mention] = []
        # Most words open no name: pick the few that may in one comprehension, then visit only
        # those (a visit may consume the words after it, which are then skipped).
        i = 0
        for visit in [k for k, w in enumerate(folded) if w in starters or "-" in w
                      or (w[-1] == "." and w[:-1] in first)]:
            if visit < i:
                continue
            i = visit
            word = folded[i]
            sizes = first.get(word) or (first.get(word[:-1], ()) if word[-1] == "." else ())
            hit = None
            left = 0
            if sizes:
                # How far a name starting here can reach before any n-gram is looked up: the
                # run of words whose every leading part opens some key (a last word may also
                # lose its full stop, as :meth:`_lookup` tries). A necessary condition only, so
                # no hit is lost. Inline, not a method: it runs at every visit.
                run, left = "", size - i
                for n in range(size - i):
                    part = folded[i + n].replace("’", "'")
                    longer = f"{run} {part}" if n else part
                    if longer not in prefixes:
                        bare = part[:-1] if part.endswith(".") else ""
                        left = n + 1 if bare and (f"{run} {bare}" if n else bare) in keys else n
                        break
                    run = longer
            for n in sizes:
                if n > left:
                    continue
                entry = lookup(words, i, n)
                if entry is not None:
                    hit = (n, *entry)
                    break
            if hit is None and "-" in word:  # "U.S.-led", "Saudi-led"
                head = words[i].split("-")[0]
                entry = self._lookup([head], 0, 1)
                if entry is not None and entry[0] is not None:
                    at = found[i].start()
                    out.append(Mention(at, at + len(head) - entry[2], entry[0], entry[1]))
            if hit is None:
                # "el gobierno mexicano"; :meth:`_organ`'s own first test, before calling it
                organ = (self._organ(self._organ_es, folded, i)
                         if word.rstrip(".") in organ_first else 0)
                dem = lookup(words, i + organ, 1) if organ else None
                if dem is not None and dem[0] is not None and dem[1]:
                    out.append(Mention(found[i].start(), found[i + organ].end() - dem[2], dem[0]))
                    i += organ + 1
                else:
                    i += 1
                continue
            n, entity, demonym, cut = hit
            end = found[i + n - 1].end() - cut
            if entity is not None and demonym:
                organ = self._organ(self._organ_en, folded, i + n)  # "Mexican President"
                if organ:
                    end, demonym, n = found[i + n + organ - 1].end(), False, n + organ
            if entity is not None:
                out.append(Mention(found[i].start(), end, entity, demonym))
            i += n
        for entity, pattern in self._patterns:
            for m in pattern.finditer(text):
                out = [o for o in out if o.end <= m.start() or o.start >= m.end()]
                out.append(Mention(m.start(), m.end(), entity))
        out.sort(key=lambda m: m.start)
        return out
