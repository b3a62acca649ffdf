"""Citation markers and the reference list.

`document_references(view)` parses a document's reference list whatever its shape:
"102. Title. *Journal*. 2019;..." (numbered), PubMed pages where every entry is
printed "1." (the real number is the position), "[1]" alone on a line with the entry
on the next, bullets ("- Kovacs E, ...") and author-year lists
("- Chilà, G., ... (2021). Title. *Journal*. <https://doi.org/...>").

`attach_citations(view, mentions)` fills `prov.cited_refs` of each mention with the
markers of its sentence (or table row) resolved to reference entries:
"[64] doi:10.1056/NEJMoa...; [65] Modi 2022: Trastuzumab deruxtecan in previously...".

`trial_nct_links(view)` ties a trial name to the NCT id written beside it in the same
sentence, table row or reference entry.

All patterns live in rules/citations.yaml; everything here is pure.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Optional, Sequence

from pipeline.extract.context import DocView
from pipeline.model import Mention
from pipeline.rules import RuleSet

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})([a-z]?)(?!\d)")
_TITLE_CHARS = 60


@dataclass(frozen=True)
class Reference:
    key: str            # "64" (numbered lists) or "Cortés 2022" / "Tarantino 2021a" (author-year lists)
    number: int         # printed number, or the position in the list when none is printed
    authors: str
    year: str
    title: str
    doi: str
    char_start: int = -1   # of the entry in the document text
    char_end: int = -1

    @property
    def first_author(self) -> str:
        return first_author_surname(self.authors)

    def label(self, marker: str) -> str:
        """"[64] doi:10.xxx" or "[64] Kovacs 2015: A structural perspective on..."."""
        if self.doi:
            return f"{marker} doi:{self.doi}"
        bits = " ".join(b for b in (self.first_author, self.year) if b)
        title = self.title if len(self.title) <= _TITLE_CHARS else self.title[:_TITLE_CHARS].rstrip() + "..."
        desc = ": ".join(b for b in (bits, title) if b)
        return f"{marker} {desc}".rstrip()


# --------------------------------------------------------------------------
# reference entries


def _fold(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c)).lower()


def first_author_surname(authors: str) -> str:
    """"Kovacs E, Zorn JA" -> "Kovacs"; "Chilà, G., Guarini, V." -> "Chilà";
    "van Berge Henegouwen JM" -> "van Berge Henegouwen"."""
    a = re.split(r",|\s&\s|\bet al\b|\sand\s", authors.strip(), maxsplit=1)[0].strip()
    toks = a.split()
    while len(toks) > 1 and re.fullmatch(r"[A-Z]{1,3}\.?|(?:[A-Z]\.){1,3}|[A-Z]\.?-[A-Z]\.?|Jr\.?|\d(?:st|nd|rd|th)", toks[-1]):
        toks.pop()
    return " ".join(toks)


def _doi(text: str, rules: RuleSet) -> tuple[str, Optional[tuple[int, int]]]:
    for r in rules.patterns("citations", "doi"):
        m = r.regex.search(text)
        if m:
            d = re.sub(r"[.,;:)\]>*]+$", "", m.group("doi"))
            return d, (m.start(), m.end())
    return "", None


def parse_entry(text: str, rules: RuleSet) -> dict[str, str]:
    """authors, year, suffix, title and doi of one reference entry (best effort)."""
    text = re.sub(r"\n\s*[-•*]\s+", " ", text)     # a wrapped line printed as a bullet
    text = re.sub(r"\s+", " ", text).strip()
    doi, span = _doi(text, rules)
    plain = text if span is None else text[:span[0]] + " " + text[span[1]:]
    plain = re.sub(r"\s+-\s+(?:DOI|PMC|PubMed|Free PMC article|Google Scholar)\b.*$", "", plain)
    # author-year (APA): "Chilà, G., Guarini, V., & Montemurro, F. (2021a). Title. *Journal*."
    m = re.match(r"^(?P<authors>.+?)\s*\((?P<year>(?:19|20)\d{2})(?P<suffix>[a-z]?)\)\.?\s*(?P<title>.*)$", plain)
    if m and m.group("title").strip() and len(m.group("authors")) < 400 and ". " not in m.group("authors")[-3:]:
        title = re.split(r"(?<=[.?!])\s+(?=\*|[A-Z])|\s\*", m.group("title"), maxsplit=1)[0]
        return {"authors": m.group("authors").strip(), "year": m.group("year"), "suffix": m.group("suffix"),
                "title": _clean_title(title), "doi": doi}
    # Vancouver / numbered: "Kovacs E, Zorn JA, ..., Kuriyan J. Title. *Journal*. 2015;84:739."
    authors, rest = "", plain
    for am in re.finditer(r"\.\s+(?![&,])", plain):
        before = plain[:am.start()]
        if re.search(r"(?:\b[A-Z]{1,3}|\bet al|\bJr|\b\d(?:rd|th)|\b[A-Z]\.[A-Z]?)$", before) and re.search(r"[,&]|\bet al\b|^\S+\s+[A-Z]{1,3}$", before):
            authors, rest = before, plain[am.end():]
        break
    if not authors:     # Nature style: "Yarden Y & Sliwkowski MX Untangling the ErbB signalling network."
        nm = _NATURE_AUTHORS.match(plain)
        if nm:
            authors, rest = nm.group(1), plain[nm.end():]
    title = re.split(r"\[J\]|\.\s+|\s\*", rest, maxsplit=1)[0]
    after = rest[len(title):]
    ym = _YEAR.search(after) or _YEAR.search(plain)
    return {"authors": authors.strip(), "year": ym.group(1) if ym else "", "suffix": "",
            "title": _clean_title(title), "doi": doi}


_NAME = r"[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)* [A-Z]{1,3}(?: Jr\.?)?"
_NATURE_AUTHORS = re.compile(rf"^((?:{_NAME}(?:, | & | and ))*{_NAME}(?: et al\.?)?) (?=[A-Z0-9])")


def _clean_title(t: str) -> str:
    t = re.sub(r"[*_]", "", t).strip()
    return t.rstrip(". ").strip()


def _reference_region(view: DocView) -> Optional[tuple[int, int]]:
    secs = [s for s in view.doc.sections if s.kind == "references"]
    if not secs:
        return None
    return min(s.char_start for s in secs), max(s.char_end for s in secs)


def _raw_entries(view: DocView) -> list[tuple[Optional[int], int, int]]:
    """(printed number or None, start, end) of each entry, in order."""
    region = _reference_region(view)
    if region is None:
        return []
    text = view.text
    rules = view.rules.patterns("citations", "ref_entry")
    entries: list[list] = []     # [num, start, end]
    pending: Optional[int] = None
    printed: list[int] = []
    for lm in re.finditer(r"[^\n]+", text[region[0]:region[1]]):
        ls, le = region[0] + lm.start(), region[0] + lm.end()
        line = lm.group(0)
        if not line.strip():
            continue
        hit = None
        for r in rules:
            m = r.regex.match(line)
            if m:
                hit = (r, m)
                break
        if hit is not None and hit[0].value == "bracket_only":
            num = int(hit[1].group("num"))
            if _restarts(printed, num):
                break
            pending = num
            continue
        if pending is not None:
            entries.append([pending, ls, le])
            printed.append(pending)
            pending = None
            continue
        if hit is not None:
            r, m = hit
            rest = m.group("rest")
            num = int(m.group("num")) if "num" in m.groupdict() and m.group("num") else None
            if num is None and rest[:1].islower() and entries:
                entries[-1][2] = le          # a wrapped line printed as a bullet: "- cancer: a single-arm ..."
                continue
            if num is not None and _restarts(printed, num):
                break
            if num is None and not (_YEAR.search(rest) or "doi" in rest.lower()):
                continue                     # "• Related Articles", headings
            if num is not None:
                printed.append(num)
            entries.append([num, ls + m.start("rest"), le])
        elif entries and line.strip()[:1].islower():
            entries[-1][2] = le
    return [(n, s, e) for n, s, e in entries]


def _restarts(printed: list[int], num: int) -> bool:
    """A numbered list starting again (a "Related articles" list after the references);
    PubMed pages that print every entry as "1." never restart."""
    if not printed or all(p == 1 for p in printed):
        return False
    return num <= printed[-1] and num == 1


def _author_year_style(view: DocView) -> bool:
    """True when the document cites "(Author et al., 2021)" rather than "[12]"."""
    text = "".join(view.text[s.char_start:s.char_end] for s in view.content_sentences())
    n_num = sum(len(r.regex.findall(text)) for r in view.rules.patterns("citations", "marker_numeric"))
    n_ay = sum(len(r.regex.findall(text)) for r in view.rules.patterns("citations", "marker_author_year"))
    return n_ay > n_num


def document_references(view: DocView) -> dict[str, Reference]:
    """The reference list: key -> Reference, in list order (parsed once per document)."""
    return dict(view.memo("references", lambda: _references(view)))


def _references(view: DocView) -> tuple[tuple[str, Reference], ...]:
    raw = _raw_entries(view)
    positional = len([n for n, _, _ in raw if n is not None]) > 1 and all(n == 1 for n, _, _ in raw if n is not None)
    author_year = _author_year_style(view)
    out: dict[str, Reference] = {}
    prev = 0
    for i, (num, s, e) in enumerate(raw):
        number = i + 1 if positional else (num if num is not None else prev + 1)
        prev = number
        f = parse_entry(view.text[s:e], view.rules)
        ref = Reference(key="", number=number, authors=f["authors"], year=f["year"], title=f["title"],
                        doi=f["doi"], char_start=s, char_end=e)
        if author_year:
            k = f"{first_author_surname(f['authors'])} {f['year']}{f['suffix']}".strip()
        else:
            k = str(number)
        if k in out:
            continue
        out[k] = replace(ref, key=k)
    return tuple(out.items())


# --------------------------------------------------------------------------
# citation markers


def expand_numbers(body: str) -> list[int]:
    """"121–123" -> [121, 122, 123]; "9, 15–17" -> [9, 15, 16, 17]."""
    out: list[int] = []
    for part in re.split(r"\s*,\s*", body.strip()):
        m = re.fullmatch(r"(\d+)\s*[–—−\-]\s*(\d+)", part)
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            rng = range(a, b + 1) if a <= b and b - a <= 200 else [a, b]
            out += [n for n in rng if n not in out]
        elif part.isdigit() and int(part) not in out:
            out.append(int(part))
    return out


@dataclass(frozen=True)
class Marker:
    text: str                 # "[9, 15–17]" or "(Cortés et al., 2022)"
    keys: tuple[str, ...]     # "9", "15", ... or "Cortés 2022"
    labels: tuple[str, ...]   # how each key is printed: "[9]" or "(Cortés 2022)"


def find_markers(text: str, rules: RuleSet) -> list[Marker]:
    out: list[Marker] = []
    for r in rules.patterns("citations", "marker_numeric"):
        for m in r.regex.finditer(text):
            nums = expand_numbers(m.group("body"))
            out.append(Marker(m.group(0), tuple(str(n) for n in nums), tuple(f"[{n}]" for n in nums)))
    one = rules.patterns("citations", "author_year")
    for r in rules.patterns("citations", "marker_author_year"):
        for m in r.regex.finditer(text):
            keys, labels = [], []
            for piece in m.group("body").split(";"):
                for o in one:
                    am = o.regex.search(piece)
                    if am:
                        k = f"{first_author_surname(am.group('author'))} {am.group('year')}{am.group('suffix') or ''}"
                        keys.append(k)
                        labels.append(f"({k})")
                        break
            if keys:
                out.append(Marker(m.group(0), tuple(keys), tuple(labels)))
    for r in rules.patterns("citations", "marker_narrative"):
        for m in r.regex.finditer(text):
            k = f"{m.group('author')} {m.group('year')}{m.group('suffix') or ''}"
            out.append(Marker(m.group(0), (k,), (f"({k})",)))
    return out


def resolve_key(refs: dict[str, Reference], key: str) -> Optional[Reference]:
    """Exact key, else the same surname and year ignoring accents, case and a year
    suffix ("Tarantino 2021" -> "Tarantino 2021a")."""
    if key in refs:
        return refs[key]
    m = re.fullmatch(r"(.+?) ((?:19|20)\d{2})([a-z]?)", key)
    if not m:
        return None
    sur, year, suffix = _fold(m.group(1)), m.group(2), m.group(3)
    for k, ref in refs.items():
        km = re.fullmatch(r"(.+?) ((?:19|20)\d{2})([a-z]?)", k)
        if km and _fold(km.group(1)) == sur and km.group(2) == year and (not suffix or km.group(3) == suffix):
            return ref
    return None


def cited_refs_for(text: str, refs: dict[str, Reference], rules: RuleSet) -> str:
    parts: list[str] = []
    for mk in find_markers(text, rules):
        for key, label in zip(mk.keys, mk.labels):
            ref = resolve_key(refs, key)
            if ref is None and label.startswith("("):
                continue                      # "(DESTINY-Breast03, 2022)" is not a citation of this list
            if ref is not None and label.startswith("("):
                label = f"({ref.key})"        # "(Tarantino 2021)" resolved to "(Tarantino 2021a)"
            entry = ref.label(label) if ref else label
            if entry not in parts:
                parts.append(entry)
    return "; ".join(parts)


def attach_citations(view: DocView, mentions: Sequence[Mention]) -> list[Mention]:
    """New mentions with `prov.cited_refs` filled from the markers of their sentence
    (or, for table cells, their row)."""
    refs = document_references(view)
    out: list[Mention] = []
    cache: dict[str, str] = {}
    for m in mentions:
        text = m.prov.sentence
        if text not in cache:
            cache[text] = cited_refs_for(text, refs, view.rules)
        cited = cache[text]
        if cited and cited != m.prov.cited_refs:
            m = replace(m, prov=replace(m.prov, cited_refs=cited))
        out.append(m)
    return out


# --------------------------------------------------------------------------
# trial name <-> NCT id


def _pair(view: DocView, start: int, end: int) -> dict[str, str]:
    trials = [t for t in view.trials_in(start, end) if not re.fullmatch(r"NCT\d{8}", t[2])]
    ncts: list[tuple[int, str]] = []
    for r in view.rules.patterns("trial_patterns", "nct"):
        for m in r.regex.finditer(view.text, start, end):
            ncts.append((m.start(), "NCT" + m.group(1) + m.group(2)))
    if not trials or not ncts:
        return {}
    names = list(dict.fromkeys(t for _, _, t in trials))
    ids = list(dict.fromkeys(n for _, n in ncts))
    if len(names) == 1 and len(ids) == 1:
        return {names[0]: ids[0]}
    out: dict[str, str] = {}
    used: set[str] = set()
    for s, e, name in trials:       # each trial with the nearest NCT id not yet taken
        best = min((n for n in ncts if n[1] not in used), key=lambda n: min(abs(n[0] - e), abs(n[0] - s)), default=None)
        if best is not None and min(abs(best[0] - e), abs(best[0] - s)) <= 40 and name not in out:
            out[name] = best[1]
            used.add(best[1])
    return out


def trial_nct_links(view: DocView) -> dict[str, str]:
    """Trial name (normalized) -> NCT id, from sentences, table rows and reference
    entries that write both. The first tie found wins."""
    links: dict[str, str] = {}
    spans: list[tuple[int, int]] = [(s.char_start, s.char_end) for s in view.content_sentences()]
    for t in view.doc.tables:
        rows: dict[int, list[int]] = {}
        for c in t.cells:
            if c.char_start is not None and c.char_end is not None:
                rows.setdefault(c.row, []).extend([c.char_start, c.char_end])
        spans += [(min(v), max(v)) for v in rows.values()]
    spans += [(ref.char_start, ref.char_end) for _, ref in _references(view) if ref.char_start >= 0]
    for a, b in spans:
        for name, nct in _pair(view, a, b).items():
            links.setdefault(name, nct)
    return links
