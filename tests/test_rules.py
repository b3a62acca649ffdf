"""Every rule in rules/*.yaml carries its own examples; one parametrized test runs them all.
Bad rule files fail with the file name and the offending entry."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipeline.errors import RuleError
from conftest import annotate_text
from pipeline.rules import PatternRule, entry_to_dict, load_rule_file, load_rules

RULES_DIR = Path(__file__).resolve().parents[1] / "rules"
_RULES = load_rules(RULES_DIR)
CASES = [(f.name, e) for f in _RULES.files.values() for e in f.entries]


@pytest.mark.parametrize("file,entry", CASES, ids=[f"{f}:{e.id}" for f, e in CASES])
def test_rule_examples(file, entry, pipes, rules):
    assert entry.examples.match, f"rules/{file}.yaml: {entry.id} has no 'match' examples"
    assert entry.examples.no_match, f"rules/{file}.yaml: {entry.id} has no 'no_match' examples"
    if isinstance(entry, PatternRule):
        for text in entry.examples.match:
            assert entry.regex.search(text), f"{file}:{entry.id} must match {text!r}"
        for text in entry.examples.no_match:
            assert not entry.regex.search(text), f"{file}:{entry.id} must not match {text!r}"
    else:   # lexicon entries: through the same ingestion and NLP path as a document
        for text in entry.examples.match:
            found = {e.normalized for e in annotate_text(text, rules, pipes).entities}
            assert entry.canonical in found, f"{file}:{entry.id} must be found in {text!r} (found {found})"
        for text in entry.examples.no_match:
            found = {e.normalized for e in annotate_text(text, rules, pipes).entities}
            assert entry.canonical not in found, f"{file}:{entry.id} must not be found in {text!r}"


@pytest.mark.parametrize("file", sorted(_RULES.files))
def test_rule_files_round_trip(file):
    rf = _RULES[file]
    raw = yaml.safe_load(rf.path.read_text(encoding="utf-8"))
    dumped = {"type": raw["type"], "categories": {k: list(v) for k, v in rf.categories.items()},
              "entries": [entry_to_dict(e) for e in rf.entries]}
    tmp = RULES_DIR.parent / ".pytest_cache" / f"roundtrip-{file}.yaml"
    tmp.parent.mkdir(exist_ok=True)
    tmp.write_text(yaml.safe_dump(dumped, allow_unicode=True, sort_keys=False), encoding="utf-8")
    again = load_rule_file(tmp)
    assert again.entries == rf.entries


@pytest.mark.parametrize("content,expected", [
    ("type: lexicon\ncategories: {}\nentries:\n  - {id: x, canonical: y, colour: red}\n", "entry #1 (x): unknown key(s) ['colour']"),
    ("type: lexicon\ncategories: {}\nentries:\n  - {id: x}\n", "entry #1 (x): missing required key(s) ['canonical']"),
    ("type: patterns\ncategories: {}\nentries:\n  - {id: p, pattern: '(unclosed'}\n", "entry #1 (p): invalid regular expression"),
    ("type: patterns\ncategories: {}\nentries:\n  - {id: p, pattern: a}\n  - {id: p, pattern: b}\n", "entry #2 (p): duplicate id 'p'"),
    ("type: patterns\ncategories: {}\nentries:\n  - {id: p, pattern: a, max_scope: -5}\n",
     "entry #1 (p): 'max_scope' must be a positive whole number of characters"),
    ("type: lexicon\nentries: [\n", "E101"),
    ("type: tables\ncategories: {}\nentries: []\n", "type must be one of"),
    # every file declares its categories and the capture groups the code reads (E104)
    ("type: patterns\nentries:\n  - {id: p, pattern: a}\n", "E104"),
    ("type: patterns\ncategories: {trial_name: [name]}\nentries:\n  - {id: p, category: trial_nmae, pattern: a}\n",
     "entry #1 (p): unknown category 'trial_nmae'; declared: ['trial_name']"),
    ("type: patterns\ncategories: {trial_name: [name]}\nentries:\n  - {id: p, category: trial_name, pattern: '[A-Z]+ trial'}\n",
     "lacks the capture group(s) ['name']"),
    ("type: patterns\ncategories: [a, b]\nentries: []\n", "'categories' must map each category name"),
    # a drug class's members name a declared category, an entry of the file or an INN stem
    ("type: lexicon\ncategories: {class: [], chemo: []}\nentries:\n  - {id: t, canonical: taxane, category: class, members: [-taxel, 'category:chemotherapy']}\n",
     "entry #1 (t): member 'category:chemotherapy' is neither"),
    ("type: lexicon\ncategories: {class: []}\nentries:\n  - {id: t, canonical: taxane, category: class, members: [docetaxel]}\n",
     "entry #1 (t): member 'docetaxel' is neither"),
])
def test_bad_rule_file_names_file_and_entry(tmp_path, content, expected):
    p = tmp_path / "drugs.yaml"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(RuleError) as exc:
        load_rule_file(p)
    msg = str(exc.value)
    assert str(p) in msg and expected in msg and "\n" not in msg


def test_curator_can_add_a_drug_alias_without_python(tmp_path, settings):
    """A new alias in rules/drugs.yaml is picked up by the entity ruler."""
    import shutil

    from pipeline.nlp import build_nlp

    d = tmp_path / "rules"
    shutil.copytree(RULES_DIR, d)
    text = (d / "drugs.yaml").read_text(encoding="utf-8")
    text = text.replace("synonyms: [ZW25, ZW-25,", "synonyms: [ZW-0025, ZW25, ZW-25,")
    (d / "drugs.yaml").write_text(text, encoding="utf-8")
    nlp = build_nlp(load_rules(d))
    ents = {(e.text, e.ent_id_) for e in nlp("Zanidatamab (ZW-0025) was given every two weeks.").ents}
    assert ("ZW-0025", "zanidatamab") in ents


def test_code_asking_for_an_undeclared_category_fails_with_the_fix(rules):
    """The code's side of the contract: a category the file does not declare is a coded error (E105)
    that names the file and says how to fix it, not a silent empty list."""
    with pytest.raises(RuleError) as exc:
        rules.patterns("trial_patterns", "trial_nmae")
    msg = str(exc.value)
    assert msg.startswith("E105 ") and "trial_patterns.yaml" in msg and "declare it under 'categories'" in msg


def test_every_category_the_code_reads_is_declared(rules):
    """Every rules.patterns(file, category) call in pipeline/ names a declared category."""
    import re as _re

    calls = set()
    for path in (RULES_DIR.parent / "pipeline").rglob("*.py"):
        calls |= set(_re.findall(r'patterns\("([a-z_]+)",\s*"([a-z_]+)"\)', path.read_text(encoding="utf-8")))
    assert len(calls) > 30
    missing = [(f, c) for f, c in sorted(calls) if f in rules.files and c not in rules[f].categories]
    assert not missing, missing


@pytest.mark.parametrize("file,written,typo,named", [
    # a drug's (or trial's) cancer_type must be a canonical name of rules/cancers.yaml
    ("drugs.yaml", "[Faslodex], cancer_type: breast,", "[Faslodex], cancer_type: breats,", ["fulvestrant", "'breats'", "breast"]),
    # a pattern's followed_by (the entity that must start right after its match) is a label a lexicon gives
    ("attribution.yaml", "followed_by: DRUG", "followed_by: DRGU", ["value_clause_break_drug_subject", "'DRGU'", "'DRUG'"]),
    # a context cue's excluded_types are event types regulatory.yaml gives
    ("context.yaml", "excluded_types: [priority_review]", "excluded_types: [priority_reveiw]",
     ["pending", "'priority_reveiw'", "'priority_review'"]),
])
def test_a_name_another_rule_file_must_know_is_refused_naming_file_and_entry(tmp_path, file, written, typo, named):
    """A typo in a name that refers to another rule file stops the load with E104 naming the file, the
    entry, the name written and the names allowed."""
    import shutil

    d = tmp_path / "rules"
    shutil.copytree(RULES_DIR, d)
    text = (d / file).read_text(encoding="utf-8")
    assert written in text
    (d / file).write_text(text.replace(written, typo, 1), encoding="utf-8")
    with pytest.raises(RuleError) as err:
        load_rules(d)
    msg = str(err.value)
    assert msg.startswith("E104 ") and file in msg and all(x in msg for x in named), msg
