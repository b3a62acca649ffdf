"""Rules are data: every lexicon, synonym, trigger phrase and pattern lives in
rules/*.yaml. This module loads and validates them (allowed-keys check that
round-trips, in the spirit of medspaCy's TargetRule), and nothing else.

Each rule file has a header and a list of entries:

    type: lexicon | patterns
    description: ...
    entries:
      - id: ...
        ...
        examples:
          match: [text the rule must match]
          no_match: [text the rule must not match]

A bad file fails with its file name and the offending entry (E101/E102).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Optional

import yaml

from pipeline.errors import Errors, RuleError

FILE_KEYS = {"type", "description", "entries", "version", "categories"}


@dataclass(frozen=True)
class Examples:
    match: tuple[str, ...] = ()
    no_match: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, d: Any, where: str) -> "Examples":
        if d is None:
            return cls()
        if not isinstance(d, dict) or set(d) - {"match", "no_match"}:
            raise ValueError(f"{where}: 'examples' takes only 'match' and 'no_match' lists")
        for k in ("match", "no_match"):
            if not isinstance(d.get(k, []), list) or not all(isinstance(x, str) for x in d.get(k, [])):
                raise ValueError(f"{where}: examples.{k} must be a list of strings")
        return cls(tuple(d.get("match", [])), tuple(d.get("no_match", [])))

    def to_dict(self) -> dict:
        d: dict = {}
        if self.match:
            d["match"] = list(self.match)
        if self.no_match:
            d["no_match"] = list(self.no_match)
        return d


@dataclass(frozen=True)
class LexiconEntry:
    """A concept with a canonical name and its surface forms."""

    id: str
    canonical: str
    synonyms: tuple[str, ...] = ()
    label: str = ""
    category: str = ""             # drug class, agency kind, ...
    cancer_type: str = ""          # trials: the cancer type the trial studies; drugs: the one cancer type
                                   # the drug (a class: its members) is given for, when a text names none
    drug: str = ""                 # trials: the experimental drug
    nct_id: str = ""               # trials: known registry id
    case_sensitive: bool = False   # short abbreviations ("OS", "GC") must match exactly
    basket: bool = False           # trials: cohorts of several cancer types, each with its own results
    canonical_is_form: bool = True  # false: the canonical name is a label, not text to find ("other")
    # drug classes: what the class covers ("category:chemo", a canonical drug name, an INN stem "-ciclib");
    # named beside one of its members in a regimen ("docetaxel-based chemotherapy"), the class is that member
    members: tuple[str, ...] = ()
    examples: Examples = field(default_factory=Examples)
    note: str = ""

    REQUIRED = ("id", "canonical")

    def forms(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for s in ((self.canonical,) if self.canonical_is_form else ()) + tuple(self.synonyms):
            seen.setdefault(s, None)
        return tuple(seen)


@dataclass(frozen=True)
class PatternRule:
    """A regular expression with a meaning."""

    id: str
    pattern: str
    category: str = ""
    value: str = ""                # what the rule yields (section kind, event type, ...)
    direction: str = ""            # context cues: forward | backward | both
    excluded_types: tuple[str, ...] = ()   # context cues: the event types (rules/regulatory.yaml values) the
                                           # cue does not modify (medspaCy ConTextRule's excluded_types)
    max_scope: int = 0             # context cues: characters the cue's scope reaches (0: the default window;
                                   # medspaCy ConTextRule's max_scope, in characters)
    followed_by: str = ""          # an entity label (a lexicon's, e.g. DRUG): the match counts only where
                                   # such an entity starts right after it and none ends right before it
                                   # (spaces aside): a new clause's subject, not the next item of a list
    flags: str = "i"               # "i" case-insensitive (default), "" case-sensitive
    examples: Examples = field(default_factory=Examples)
    note: str = ""

    REQUIRED = ("id", "pattern")

    @property
    def regex(self) -> re.Pattern[str]:
        return _compile(self.pattern, self.flags)


_REGEX_CACHE: dict[tuple[str, str], re.Pattern[str]] = {}


def _compile(pattern: str, flags: str) -> re.Pattern[str]:
    key = (pattern, flags)
    if key not in _REGEX_CACHE:
        f = re.IGNORECASE if "i" in flags else 0
        if "m" in flags:
            f |= re.MULTILINE
        _REGEX_CACHE[key] = re.compile(pattern, f)
    return _REGEX_CACHE[key]


RULE_TYPES: dict[str, type] = {"lexicon": LexiconEntry, "patterns": PatternRule}


def _entry_from_dict(cls: type, d: Any, where: str) -> Any:
    if not isinstance(d, dict):
        raise ValueError(f"{where}: an entry must be a mapping, got {type(d).__name__}")
    allowed = {f.name for f in fields(cls)}
    unknown = set(d) - allowed
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(allowed)}")
    missing = [k for k in cls.REQUIRED if k not in d or d[k] in (None, "", [])]
    if missing:
        raise ValueError(f"{where}: missing required key(s) {missing}")
    kwargs: dict[str, Any] = {}
    for f in fields(cls):
        if f.name not in d:
            continue
        v = d[f.name]
        if f.name == "examples":
            kwargs[f.name] = Examples.from_dict(v, where)
        elif f.name in ("synonyms", "members", "excluded_types"):
            if not isinstance(v, list) or not all(isinstance(x, (str, int)) and str(x).strip() for x in v):
                raise ValueError(f"{where}: '{f.name}' must be a list of non-empty strings")
            kwargs[f.name] = tuple(str(x) for x in v)
        elif f.name == "max_scope":
            if not isinstance(v, int) or isinstance(v, bool) or v <= 0:
                raise ValueError(f"{where}: 'max_scope' must be a positive whole number of characters")
            kwargs[f.name] = v
        elif f.name in ("case_sensitive", "basket", "canonical_is_form"):
            if not isinstance(v, bool):
                raise ValueError(f"{where}: '{f.name}' must be true or false")
            kwargs[f.name] = v
        else:
            if not isinstance(v, (str, int, float)) or isinstance(v, bool):
                raise ValueError(f"{where}: '{f.name}' must be a string")
            kwargs[f.name] = str(v)
    obj = cls(**kwargs)
    if isinstance(obj, PatternRule):
        if obj.direction not in ("", "forward", "backward", "both"):
            raise ValueError(f"{where}: direction must be forward, backward or both")
        try:
            obj.regex
        except re.error as exc:
            raise ValueError(f"{where}: invalid regular expression ({exc})") from None
    return obj


def entry_to_dict(entry: Any) -> dict:
    """Inverse of loading: only non-default keys, so load -> dump -> load round-trips."""
    out: dict[str, Any] = {}
    for f in fields(entry):
        v = getattr(entry, f.name)
        if f.name == "examples":
            d = v.to_dict()
            if d:
                out["examples"] = d
            continue
        default = f.default if f.default is not field else None
        if f.name in entry.REQUIRED or v != default:
            out[f.name] = list(v) if isinstance(v, tuple) else v
    return out


@dataclass(frozen=True)
class RuleFile:
    name: str                   # file stem: "drugs"
    path: Path
    type: str
    description: str
    entries: tuple[Any, ...]
    # category -> the named capture groups the code reads from its patterns
    categories: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def by_id(self) -> dict[str, Any]:
        return {e.id: e for e in self.entries}


_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_rule_file(path: Path) -> RuleFile:
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    try:
        try:
            data = yaml.load(text, Loader=_FAST_LOADER)   # libyaml: ~10x faster, the same values
        except yaml.YAMLError:
            data = yaml.safe_load(text)                   # the pure-Python parser's message for the error
    except yaml.YAMLError as exc:
        reason = str(exc).replace("\n", " ")
        raise RuleError(Errors.E101.format(path=path, reason=reason)) from None
    if not isinstance(data, dict):
        raise RuleError(Errors.E102.format(path=path, entry="(file)", reason="top level must be a mapping"))
    unknown = set(data) - FILE_KEYS
    if unknown:
        raise RuleError(Errors.E102.format(path=path, entry="(file)", reason=f"unknown key(s) {sorted(unknown)}"))
    rtype = data.get("type")
    if rtype not in RULE_TYPES:
        raise RuleError(Errors.E102.format(path=path, entry="(file)", reason=f"type must be one of {sorted(RULE_TYPES)}"))
    raw = data.get("entries")
    if not isinstance(raw, list):
        raise RuleError(Errors.E102.format(path=path, entry="(file)", reason="'entries' must be a list"))
    categories = _categories(path, data.get("categories"))
    cls = RULE_TYPES[rtype]
    entries = []
    seen: set[str] = set()
    for i, d in enumerate(raw):
        label = f"#{i + 1}" + (f" ({d.get('id')})" if isinstance(d, dict) and d.get("id") else "")
        try:
            e = _entry_from_dict(cls, d, label)
        except ValueError as exc:
            raise RuleError(Errors.E102.format(path=path, entry=label, reason=str(exc).split(": ", 1)[-1])) from None
        if e.id in seen:
            raise RuleError(Errors.E102.format(path=path, entry=label, reason=f"duplicate id '{e.id}'"))
        seen.add(e.id)
        _check_category(path, label, e, categories)
        entries.append(e)
    _check_members(path, entries, categories)
    return RuleFile(path.stem, path, rtype, str(data.get("description", "")), tuple(entries), categories)


def _categories(path: Path, raw: Any) -> dict[str, tuple[str, ...]]:
    """The file's declared categories: `{category: [capture groups its patterns must define]}`."""
    if raw is None:
        raise RuleError(Errors.E104.format(path=path, entry="(file)", reason=(
            "no 'categories' declared; add `categories: {name: [capture groups], ...}` listing every "
            "category its entries use")))
    if not isinstance(raw, dict) or not all(
            isinstance(k, str) and isinstance(v, list) and all(isinstance(g, str) for g in v) for k, v in raw.items()):
        raise RuleError(Errors.E104.format(path=path, entry="(file)", reason=(
            "'categories' must map each category name to a list of capture group names (may be empty)")))
    return {k: tuple(v) for k, v in raw.items()}


def _check_category(path: Path, label: str, e: Any, categories: dict[str, tuple[str, ...]]) -> None:
    if not e.category:      # an entry without a category (a cancer type, an endpoint) needs none
        return
    if e.category not in categories:
        raise RuleError(Errors.E104.format(path=path, entry=label, reason=(
            f"unknown category '{e.category}'; declared: {sorted(categories)}")))
    if isinstance(e, PatternRule):
        missing = [g for g in categories[e.category] if g not in e.regex.groupindex]
        if missing:
            raise RuleError(Errors.E104.format(path=path, entry=label, reason=(
                f"pattern lacks the capture group(s) {missing} that category '{e.category}' requires, "
                f"e.g. (?P<{missing[0]}>...)")))


def _check_members(path: Path, entries: list, categories: dict[str, tuple[str, ...]]) -> None:
    """A class's `members` name declared categories, canonical names of the file, or INN stems."""
    canonicals = {getattr(e, "canonical", "") for e in entries}
    for i, e in enumerate(entries):
        for m in getattr(e, "members", ()):
            ok = (m[len("category:"):] in categories if m.startswith("category:")
                  else re.fullmatch(r"-[a-z]{3,}", m) is not None if m.startswith("-") else m in canonicals)
            if not ok:
                raise RuleError(Errors.E104.format(path=path, entry=f"#{i + 1} ({e.id})", reason=(
                    f"member '{m}' is neither 'category:<declared category>' ({sorted(categories)}), "
                    f"an INN stem like '-ciclib', nor the canonical name of an entry of this file")))


@dataclass(frozen=True)
class RuleSet:
    """All rule files of a rules directory, loaded and validated once."""

    files: dict[str, RuleFile]

    def __getitem__(self, name: str) -> RuleFile:
        return self.files[name]

    def get(self, name: str) -> Optional[RuleFile]:
        return self.files.get(name)

    def lexicons(self) -> list[RuleFile]:
        return [f for f in self.files.values() if f.type == "lexicon"]

    def patterns(self, name: str, category: Optional[str] = None) -> list[PatternRule]:
        f = self.files.get(name)
        if f is None:
            return []
        if category is not None and category not in f.categories:
            raise RuleError(Errors.E105.format(path=f.path, category=category, declared=sorted(f.categories)))
        return [e for e in f.entries if category is None or e.category == category]


REQUIRED_FILES = ("drugs", "cancers", "genes", "agencies", "trials", "endpoints", "sections", "regulatory", "context",
                  "values")


def load_rules(rules_dir: Path) -> RuleSet:
    rules_dir = Path(rules_dir)
    files: dict[str, RuleFile] = {}
    for p in sorted(rules_dir.glob("*.yaml")):
        if p.name == "curation.yaml":     # curation decisions have their own loader
            continue
        rf = load_rule_file(p)
        files[rf.name] = rf
    missing = [n for n in REQUIRED_FILES if n not in files]
    if missing:
        raise RuleError(Errors.E102.format(path=rules_dir, entry="(directory)", reason=f"missing rule file(s) {missing}"))
    _check_references(files)
    return RuleSet(files)


def _check_references(files: dict[str, RuleFile]) -> None:
    """Names a rule file gives that another rule file defines: a lexicon entry's `cancer_type` (a trial's, a
    drug's) and a cancer pattern's `value` (rules/cancer_patterns.yaml) are canonical names of rules/cancers.yaml; a pattern's `followed_by` an entity label some lexicon
    gives (rules/drugs.yaml: DRUG, ...); a context cue's `excluded_types` event types rules/regulatory.yaml's
    event and guideline rules give. A name outside them stops the load (E104, naming the file, the entry,
    the name and those allowed)."""
    cancers = {e.canonical for e in files["cancers"].entries}
    labels = {e.label for f in files.values() if f.type == "lexicon" for e in f.entries if e.label}
    events = {e.value for e in files["regulatory"].entries if e.category in ("event", "guideline") and e.value}
    for f in files.values():
        for i, e in enumerate(f.entries):
            if f.type == "lexicon" and f.name != "cancers" and e.cancer_type and e.cancer_type not in cancers:
                reason = f"cancer_type '{e.cancer_type}' is not a canonical name of cancers.yaml ({sorted(cancers)})"
            elif f.name == "cancer_patterns" and e.value not in cancers:
                reason = f"value '{e.value}' is not a canonical name of cancers.yaml ({sorted(cancers)})"
            elif f.type == "patterns" and e.followed_by and e.followed_by not in labels:
                reason = f"followed_by '{e.followed_by}' is no entity label of the lexicons ({sorted(labels)})"
            elif f.type == "patterns" and any(t not in events for t in e.excluded_types):
                bad = [t for t in e.excluded_types if t not in events]
                reason = f"excluded_types {bad} are no event types of regulatory.yaml ({sorted(events)})"
            else:
                continue
            raise RuleError(Errors.E104.format(path=f.path, entry=f"#{i + 1} ({e.id})", reason=reason))
