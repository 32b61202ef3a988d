"""Split news text into sentence spans, fast and predictably.

Why rules and not a model: rule packs match inside ONE sentence, so the splitter decides what a
rule can see. It must be cheap (the whole classifier targets ~10 MB/s, so this step gets a
budget of >= 20 MB/s), deterministic, and easy to reason about when a rule misfires. A trained
segmenter would be slower, needs data we do not ship, and its mistakes cannot be explained.

How it works, and why each step is there:

1. One compiled regex (``_CANDIDATE``) finds the only places where a sentence can end: a run of
   line breaks (a newline ALWAYS ends a sentence, so headlines, bylines and paragraphs stand
   alone), or a run of terminal punctuation (``. ! ? …``) with optional closing quotes and
   brackets that is followed by whitespace or the end of the text. CJK full stops end a
   sentence without trailing whitespace. Everything between candidates is skipped by the regex
   engine in C, which is where the speed comes from: Python only looks at candidates, never at
   single characters. A look-behind keeps a match from starting inside a run of punctuation,
   so a failed attempt backtracks at most over its own run: a megabyte of ``"."`` or a line
   without any punctuation is scanned in linear time. (No possessive quantifiers: Python 3.10's
   ``re`` lacks them, and the project supports 3.10.)
2. Each ``!``/``?``/``…`` candidate is a boundary unless the next word starts in lowercase
   (``"Why?" he asked.``, ``¡Basta! dijo``). A ``.`` candidate looks at the word before the dot:
   - personal titles (``Mr. Dr. Gen. Sen. Sr. Sra.``) and ``vs. e.g. approx.`` never end a
     sentence;
   - number prefixes (``No. 2``, ``núm. 5``, ``p. 12``) do not end it before a digit;
   - single initials (``J. Edgar Hoover``, ``George W. Bush``), unknown dotted initialisms
     (``J.R.R.``) and place prefixes (``St. Louis``, ``Mt. Everest``) end it only before a
     closed-class sentence starter (``The``, ``He``, ``El``...): ``Plan B. The vote...`` splits;
   - abbreviations that may well end a sentence (``U.S. U.K. U.N. E.U. EE.UU. D.C. Inc. Corp.
     Ltd. etc. a.m. Jan.``...) are the hard case, see below;
   - any other word (including decimals ``3.5`` and ``$50 million``) ends the sentence unless
     the next word starts in lowercase.
3. The text between boundaries is trimmed with ``str.strip`` and empty pieces are dropped. Cuts
   only ever happen at positions, so the contract (ordered, disjoint, trimmed, non-empty spans
   that cover every non-whitespace character) holds by construction whatever the heuristics
   decide -- the property tests check exactly that.

The hard case, ``...extradited to the U.S. Prosecutors welcomed the move.``: "U.S." is mostly
an adjective inside a sentence, and what follows it is then either lowercase (``U.S. officials``)
or a capitalised name part (``U.S. Army``, ``U.S. Attorney``, ``U.S. Senate``). So after such an
abbreviation we split only when the next word is capitalised AND
  - it is not a known name continuation (``_NAME_CONTINUATIONS``: institutions, offices, ranks,
    weekdays and time zones for ``a.m.``...), not an acronym (``U.S. GDP``, ``a.m. EST``) and not
    a title (``U.S. Sen. Rubio``); and
  - either it is a closed-class sentence starter (``The``, ``He``, ``El``, ``Según``...) or the
    word after it starts in lowercase (``Prosecutors welcomed``, ``Washington ha``). Requiring
    the lowercase second word keeps title-case headlines (``U.S. Stocks Fall``) and multi-word
    names together; the price is that ``...the U.S. Donald Trump said`` is not split.

Known limits (documented in the tests as such): a sentence ending in a single capital letter
before a non-starter (``vitamin C. Researchers``), titles at the end of a sentence, ``St.`` as a
street before a non-starter, a quoted question followed by a capitalised speaker
(``"Why?" Smith asked.`` splits after the question), and brand names ending in ``!``.

``lang`` is accepted for API stability; the English and Spanish lists do not conflict, so every
language gets the same rules (scripts without case simply split at every terminal candidate).
"""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import Mapping

__all__ = ["ABBREVIATIONS", "split_spans"]

# --- Abbreviation classes (lowercase, without the final dot) -------------------------------------

# Personal titles and connectives that are always followed by more of the same sentence.
_NEVER_END: frozenset[str] = frozenset(
    """
    mr mrs ms mx messrs mmes dr drs prof profs gen gens lt lieut col maj capt cpt cmdr cdr cmdt adm
    brig sgt cpl pvt pfc spc ens gov govs sen sens rep reps rev revs fr msgr hon pres supt insp det
    amb atty vs v e.g i.e cf viz a.k.a approx
    sr sra srta sres sras srs dra dres dras lic lcdo lcda ing arq profa gral cnel tte cmte sgto cbo
    alm mons pbro sto sta dn dña excmo excma ilmo ilma vd vds av avda p.ej ej aprox ee
    """.split()
)

# Place prefixes: followed by a name, but also the last word of an address ("10 Downing St.").
_PLACE_PREFIXES: frozenset[str] = frozenset("st ste mt ft".split())

# Before a digit these are part of a reference ("No. 2", "núm. 5", "p. 12") or a sum in rupees
# ("Rs. 1 million"); otherwise plain words.
_NUMBER_PREFIXES: frozenset[str] = frozenset(
    "no nos num núm núms nro art arts vol vols p pp pág págs fig figs ch chap cap sec secc tel "
    "ext ed op pt pts par rs".split()
)

# Abbreviations that often end a sentence: countries and organisations, company suffixes, times,
# dates, degrees, US states (AP style), "etc.".
_MAY_END: frozenset[str] = frozenset(
    """
    u.s u.s.a u.k u.n e.u ee.uu uu d.c n.y l.a a.m p.m ph.d m.d b.a m.a m.s b.s jr
    inc corp co cos ltd plc llc bros assn dept govt univ intl mfg ave blvd rd hwy etc al min
    jan feb mar apr jun jul aug sep sept oct nov dec
    ene abr may ago dic
    ala ariz ark calif colo conn del fla ga ill ind kan kans ky la md mass mich minn miss mo mont
    neb nev okla ore pa tenn vt va wash wis wyo n.h n.j n.m n.c n.d r.i s.c s.d w.va
    s.a s.l s.a.s a.c ff.aa rr.hh jj.oo cc.oo ltda cía hnos ud uds admón depto dpto gob
    """.split()
)

ABBREVIATIONS: frozenset[str] = _NEVER_END | _PLACE_PREFIXES | _NUMBER_PREFIXES | _MAY_END
"""Every abbreviation the splitter knows, lowercase, without the final dot ("u.s", "sra")."""

_TITLE, _PLACE, _NUMBER_PREFIX, _MAY_END_KIND = "title", "place", "number", "may_end"
# One read-only lookup per period instead of four set probes (the hot path of the splitter).
_KIND: Mapping[str, str] = MappingProxyType(
    {word: _MAY_END_KIND for word in _MAY_END}
    | {word: _NUMBER_PREFIX for word in _NUMBER_PREFIXES}
    | {word: _PLACE for word in _PLACE_PREFIXES}
    | {word: _TITLE for word in _NEVER_END}
)

# Capitalised words that continue a name after "U.S." / "U.N." / "Inc." / "a.m." (lowercase).
_NAME_CONTINUATIONS: frozenset[str] = frozenset(
    """
    army navy air marine marines corps coast guard space force forces military armed special
    central southern northern european africa pacific indo-pacific cyber strategic transportation
    command fleet naval senate senator senators house congress congressman congresswoman
    congressional capitol supreme court courts district circuit appeals federal bankruptcy
    magistrate judge judges attorney attorneys justice department state secretary secretary-general
    treasury treasuries commerce defense defence energy labor labour interior agriculture health
    education homeland veterans trade representative ambassador ambassadors embassy embassies
    consulate consul envoy mission delegation president presidential vice prime minister ministry
    foreign home office government administration agency agencies bureau service services customs
    immigration border patrol postal census geological securities exchange commission commissioner
    commissioners high food drug enforcement environmental protection fish wildlife national
    security intelligence council general assembly human rights refugee refugees children's
    development relief world peacekeeping peacekeepers charter resolution climate environment
    headquarters spokesman spokeswoman spokesperson chief chiefs chairman chairwoman chair
    executive director board parliament parliamentary member union chamber steel open women's
    men's olympic soccer bank dollar bonds democrats republicans democratic republican muslims
    jews jewish catholics catholic christians evangelicals latinos hispanics hispanic marshals
    marshal mint patent copyright navy's army's day
    monday tuesday wednesday thursday friday saturday sunday
    eastern pacific central mountain local
    """.split()
)

# Closed-class words that start sentences and are not name parts (lowercase).
_SENTENCE_STARTERS: frozenset[str] = frozenset(
    """
    the a an this that these those he she it they we you his her its their our my there here but
    and or so yet however meanwhile in on at for from with after before when while if as what who
    why how where which some many most all both each every no not one two three other others
    another last next earlier later still also then now since although though because despite
    under over according during by to about instead until such more several few separately
    el la los las un una unos unas lo este esta estos estas ese esa esos esas eso esto él ella
    ellos ellas nosotros yo pero sin con en por para según además también tampoco se les su sus
    al cuando mientras si como desde tras ante durante hoy ayer entonces aunque porque ya otro
    otra otros otras hay así luego después antes sobre muchos varios todos cada ni pues y o sino
    incluso aquí allí qué quién cómo dónde cuándo cuál
    """.split()
)

# --- Character classes ----------------------------------------------------------------------------

_LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"  # the same set as str.splitlines()
_TERMINALS = ".!?…‼⁇⁈⁉‽؟।॥"  # need whitespace (or the end) after them
_CJK_TERMINALS = "。！？｡"  # end a sentence even without whitespace
_CLOSERS = "\"'”’»›)]}」』）"
_OPENERS = "\"'“‘«‹¿¡([{「『（"
_WORD_TRAIL = ".,;:!?…" + _CLOSERS

_ALL_TERMINALS = _LINE_BREAKS + _TERMINALS + _CJK_TERMINALS
_CANDIDATE = re.compile(
    # One leading character class lets the engine skip ahead in C (the "charset prefix" of `re`).
    f"[{_ALL_TERMINALS}]"
    f"(?:(?<=[{_LINE_BREAKS}])[{_LINE_BREAKS}]*"
    f"|(?<=[{_CJK_TERMINALS}])[{_CJK_TERMINALS}]*[{re.escape(_CLOSERS)}]*"
    # A terminal run (never entered in its middle, so runs of "." stay linear), closers, then
    # whitespace or the end, but not an ASCII lowercase word: "U.S. officials" is rejected in C.
    f"|(?<![{_TERMINALS}]{{2}})[{_TERMINALS}]*([{re.escape(_CLOSERS)}]*)(?=\\s|\\Z)"
    f"(?![^\\S{_LINE_BREAKS}]*[{re.escape(_OPENERS)}]*[a-z])"
    # The next token on the same line, captured in C (a look-ahead consumes nothing): what
    # `_NEXT_TOKENS` would give as its first group, without a second match per candidate.
    f"(?=[^\\S{_LINE_BREAKS}]*(\\S{{0,48}})))"
)
# The next two whitespace-separated tokens after a candidate, on the same line, bounded in length.
_SAME_LINE_SPACE = f"[^\\S{_LINE_BREAKS}]"
_NEXT_TOKENS = re.compile(f"{_SAME_LINE_SPACE}*(\\S{{0,48}})(?:{_SAME_LINE_SPACE}+(\\S{{0,48}}))?")
_DOTTED_INITIALS = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")
_SINGLE_INITIAL = re.compile(r"[^\W\d_]\.")

_PREV_WINDOW = 48  # longer tokens are never abbreviations
_LIST_MARKER_GAP = 64  # how far back we look for "the token opens its line"


def split_spans(text: str, lang: str | None = None) -> list[tuple[int, int]]:
    """Sentence spans (start, end) in `text` coordinates, in order, non-overlapping,
    each trimmed of surrounding whitespace (text[start:end] == text[start:end].strip()),
    never empty; every non-whitespace character of `text` lies in exactly one span."""
    del lang  # same rules for every language, see the module docstring
    spans: list[tuple[int, int]] = []
    piece_start = 0
    for match in _CANDIDATE.finditer(text):
        start, end = match.span()
        closers = match.group(1)
        if closers is None:  # a line break or a CJK full stop: always a boundary
            cut = start if text[start] in _LINE_BREAKS else end
        elif _ends_sentence(text, start, end, piece_start, match.group(2)):
            cut = end
        else:
            continue
        _append_trimmed(spans, text, piece_start, cut)
        piece_start = end
    _append_trimmed(spans, text, piece_start, len(text))
    return spans


def _append_trimmed(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    """Append text[start:end] without surrounding whitespace, unless nothing is left."""
    piece = text[start:end]
    stripped = piece.lstrip()
    if stripped:
        left = start + len(piece) - len(stripped)
        spans.append((left, left + len(stripped.rstrip())))


def _ends_sentence(text: str, start: int, end: int, piece_start: int, first: str) -> bool:
    """Decide whether terminal punctuation and closers, text[start:end], end a sentence;
    ``first`` is the next token on the line ("" if none)."""
    lead = first.lstrip(_OPENERS)
    if not lead:  # end of text, end of line, or only quotes follow
        return True
    if lead[0].islower() or lead[0] in _TERMINALS:  # "approx. five", '"Why?" he asked', ". . ."
        return False
    if end - start > 1 or text[start] != ".":  # ! ? … ... or ." .) -- a plain sentence end
        return not (start and text[start - 1] in "([")  # except an elision: "[...]", "(…)"
    word = _previous_word(text, start)
    kind = _KIND.get(word.lower())
    if kind is None:  # the common case: an ordinary word, a number, a detached dot
        if len(word) > 3 and "." not in word:
            return True
        return _ends_after_short_word(text, start, word, lead, piece_start)
    found = _NEXT_TOKENS.match(text, end)
    assert found is not None  # every part of it is optional: it always matches
    return _ends_after_abbreviation(kind, word, lead, found.group(2) or "")


def _previous_word(text: str, dot: int) -> str:
    """The whitespace-delimited token before position `dot`, without opening quotes/brackets."""
    window = text[max(0, dot - _PREV_WINDOW) : dot]
    if not window or window[-1].isspace():  # a detached dot: "said . . ."
        return ""
    return window.rsplit(None, 1)[-1].lstrip(_OPENERS)


def _ends_after_short_word(text: str, dot: int, word: str, lead: str, piece_start: int) -> bool:
    """An unlisted word of <= 3 characters or with inner dots: initials and list markers."""
    if _is_initial(word):  # "George W. Bush", "J.R.R. Tolkien", but "Plan B. The vote"
        return _starts_sentence(lead)
    return not _is_list_marker(text, dot, word, piece_start)


def _ends_after_abbreviation(kind: str, word: str, lead: str, second: str) -> bool:
    """A listed abbreviation before `lead` (not lowercase), then the token `second`."""
    if kind == _TITLE:  # only an all-caps acronym can end here: "multiple sclerosis (MS). The"
        return _is_acronym(word) and _starts_sentence(lead)
    if kind == _NUMBER_PREFIX:  # "No. 2", but "He said no. The"
        return not (lead[0].isdigit() or lead[0] == "#")
    if kind == _PLACE:  # "St. Louis", but "10 Downing St. The"
        return _starts_sentence(lead)
    return _ends_after_may_end(lead, second)


def _starts_sentence(lead: str) -> bool:
    """A closed-class sentence starter ("The", "El"), not an initial ("A. Smith")."""
    if _SINGLE_INITIAL.fullmatch(lead):
        return False
    return _bare_word(lead).lower() in _SENTENCE_STARTERS


def _ends_after_may_end(lead: str, second: str) -> bool:
    """The "U.S. Prosecutors" heuristic: see the module docstring."""
    if not (lead[0].isupper() or lead[0].istitle()):
        return False  # digits, symbols: "Jan. 5", "U.S. $50 billion"
    bare = _bare_word(lead)
    if _is_name_continuation(bare, lead):
        return False
    if bare.lower() in _SENTENCE_STARTERS:
        return True
    second_lead = second.lstrip(_OPENERS)
    return bool(second_lead) and second_lead[0].islower()


def _is_name_continuation(bare: str, lead: str) -> bool:
    """True for "Army", "Secretary-General", "GDP", "Sen.", "Ltd.", "A." after "U.S."/"Co."."""
    low = bare.lower().replace("’", "'")
    return (
        low in _NAME_CONTINUATIONS
        or low.partition("-")[0] in _NAME_CONTINUATIONS
        or (lead.endswith(".") and low in ABBREVIATIONS)
        or _is_acronym(bare)
        or _SINGLE_INITIAL.fullmatch(lead) is not None
    )


def _bare_word(token: str) -> str:
    """A token without trailing punctuation and closers: "Army," -> "Army"."""
    return token.rstrip(_WORD_TRAIL)


def _is_acronym(word: str) -> bool:
    """All-caps word of two or more letters: "GDP", "CEO", "EST"."""
    bare = _bare_word(word)
    return len(bare) > 1 and bare.isupper() and bare.isalpha()


def _is_initial(word: str) -> bool:
    """A single capital ("W") or a dotted run of single letters ("J.R.R", "a.k")."""
    if len(word) == 1:
        return word.isupper()
    return "." in word and _DOTTED_INITIALS.fullmatch(word) is not None


def _is_list_marker(text: str, dot: int, word: str, piece_start: int) -> bool:
    """"1." or "a." opening its line/sentence is a list marker, not a sentence."""
    if not ((word.isdigit() and len(word) <= 3) or (len(word) == 1 and word.islower())):
        return False
    word_start = dot - len(word)
    gap = word_start - piece_start
    return 0 <= gap <= _LIST_MARKER_GAP and (gap == 0 or text[piece_start:word_start].isspace())
