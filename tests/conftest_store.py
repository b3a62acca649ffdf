"""Hand-made mention sets for the reconcile / store / export tests (imported by
those test modules; not a pytest conftest).

Every mention quotes a real sentence of corpus/*.txt, with offsets into the
file, except those of LINKING_DOC: a small made-up review (marked as such)
that states trial names together with their NCT ids, and gives slightly
different numbers and dates than corpus 000, so that linking and conflicts
can be tested. The real pairs: MOUNTAINEER = NCT03043313 and
DESTINY-Breast03 = NCT03529110 both appear, by NCT id, in Table 2 of 000.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Optional

from pipeline.model import ApprovalMention, Document, DocumentRecord, EndpointMention, Provenance, TrialMention

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"

F000 = "000_295cffc29131faf6.txt"     # the systematic review (full text, no DOI printed)
F001 = "001_d9b16c41351ece26.txt"     # its PubMed page (DOI 10.1186/s40364-024-00565-1)
F002 = "002_a0f38ae1b1a028d1.txt"     # a narrative review, with a table
LINK = "linking_review.txt"           # made up (see module docstring)

LINKING_TEXT = (
    "A made-up review paragraph used by the tests.\n"
    "In the randomized phase III DESTINY-Breast03 trial (NCT03529110), trastuzumab deruxtecan was compared "
    "with T-DM1.\n"
    "The phase II MOUNTAINEER trial (NCT03043313) of tucatinib plus trastuzumab reported an ORR of 54.9% "
    "in HER2-positive metastatic colorectal cancer.\n"
    "Lapatinib was approved by the FDA on March 12, 2007 for HER2-positive advanced breast cancer.\n"
    "Tucatinib was approved by the FDA on April 17, 2020 for advanced HER2-positive breast cancer.\n"
)


@lru_cache(maxsize=None)
def text_of(name: str) -> str:
    if name == LINK:
        return LINKING_TEXT
    return (CORPUS / name).read_bytes().decode("utf-8")


def doc_id_of(name: str) -> str:
    if name == LINK:
        return hashlib.sha256(LINKING_TEXT.encode("utf-8")).hexdigest()
    return hashlib.sha256((CORPUS / name).read_bytes()).hexdigest()


TITLE_000 = "HER2-targeted therapies in cancer: a systematic review"
DOCS = {
    F000: dict(title=TITLE_000, doi=""),
    F001: dict(title=TITLE_000, doi="10.1186/s40364-024-00565-1"),
    F002: dict(title="ADVANCES AND FUTURE DIRECTIONS IN HER2-POSITIVE BREAST CANCER: A NARRATIVE REVIEW",
               doi="10.31435/ijitss.4(48).2025.4262"),
    LINK: dict(title="A made-up review linking trial names to NCT ids", doi="10.0000/made-up.1"),
}


def document(name: str) -> Document:
    return Document(doc_id=doc_id_of(name), source_file=name, kind="text", text=text_of(name), **DOCS[name])


def record(name: str, rules_hash: str = "rules1", code_version: str = "code1", reused: bool = False) -> DocumentRecord:
    return DocumentRecord(doc_id=doc_id_of(name), source_file=name, kind="text", title=DOCS[name]["title"],
                          doi=DOCS[name]["doi"], status="ok", error="", rules_hash=rules_hash,
                          code_version=code_version, reused=reused)


def prov(name: str, quote: str, extractor: str, nth: int = 0, table_id: str = "", row: Optional[int] = None,
         col: Optional[int] = None, section: str = "body") -> Provenance:
    """Provenance of the nth occurrence of `quote` in the file; the sentence is its line."""
    text = text_of(name)
    start = -1
    for _ in range(nth + 1):
        start = text.index(quote, start + 1)
    end = start + len(quote)
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    sentence = text[line_start:line_end if line_end >= 0 else len(text)].strip()
    return Provenance(doc_id=doc_id_of(name), source_file=name, page=1, section=section, char_start=start,
                      char_end=end, quote=quote, sentence=sentence[:500], extractor=extractor, table_id=table_id,
                      row=row, col=col)


def trial(name: str, quote: str, *, nct_id: str = "", trial: str = "", phase: str = "", drug: str = "",
          cancer_type: str = "", nth: int = 0, **kw) -> TrialMention:
    return TrialMention(nct_id=nct_id, trial=trial, phase=phase, drug=drug, cancer_type=cancer_type,
                        prov=prov(name, quote, "trials:" + ("nct_id" if nct_id else "trial_name"), nth, **kw))


def endpoint(name: str, quote: str, *, endpoint: str, value: str = "", unit: str = "", drug: str = "",
             trial: str = "", nct_id: str = "", cancer_type: str = "", hr: str = "", ci_low: str = "",
             ci_high: str = "", p_value: str = "", comparator: str = "", comparator_value: str = "",
             population: str = "", timepoint: str = "", n: str = "", n_total: str = "", nth: int = 0,
             **kw) -> EndpointMention:
    return EndpointMention(endpoint=endpoint, value=value, unit=unit, comparator_value=comparator_value, n=n,
                           n_total=n_total, hr=hr, ci_low=ci_low, ci_high=ci_high, p_value=p_value,
                           population=population, drug=drug, comparator=comparator, trial=trial, nct_id=nct_id,
                           cancer_type=cancer_type, timepoint=timepoint,
                           prov=prov(name, quote, "efficacy:value", nth, **kw))


def approval(name: str, quote: str, *, drug: str, date: str = "", agency: str = "FDA", event: str = "approval",
             indication: str = "", cancer_type: str = "", line: str = "", based_on_trial: str = "",
             nth: int = 0, **kw) -> ApprovalMention:
    return ApprovalMention(agency=agency, event=event, date=date, drug=drug, indication=indication,
                           cancer_type=cancer_type, line=line, based_on_trial=based_on_trial,
                           prov=prov(name, quote, "regulatory:approval", nth, **kw))


# --------------------------------------------------------------------------
# The sets

def destiny_breast03_trials() -> list[TrialMention]:
    """DESTINY-Breast03 by name in 002 (a sentence and a table cell), by NCT id in
    000's Table 2, and linked name <-> id by the made-up review."""
    return [
        trial(F002, "DESTINY-Breast03", trial="DESTINY-Breast03", drug="trastuzumab deruxtecan",
              cancer_type="breast"),
        trial(F002, "DESTINY-Breast03", trial="DESTINY-Breast03", drug="trastuzumab deruxtecan",
              cancer_type="breast", nth=1, table_id="T1", row=4, col=4, section="table"),
        trial(F000, "NCT03529110 (III)", nct_id="NCT03529110", phase="III", drug="trastuzumab deruxtecan",
              cancer_type="breast", table_id="T2", row=9, col=1, section="table"),
        trial(LINK, "DESTINY-Breast03 trial (NCT03529110)", nct_id="NCT03529110", trial="DESTINY-Breast03",
              phase="III", drug="trastuzumab deruxtecan", cancer_type="breast"),
    ]


def mountaineer_mentions() -> list:
    """MOUNTAINEER: ORR 55% in 000 (by name), 54.9% in the made-up review (name + NCT id),
    NCT03043313 (II) in 000's Table 2; the mPFS only in 000."""
    return [
        trial(F000, "phase II clinical trial (MOUNTAINEER)", trial="MOUNTAINEER", phase="II",
              drug="trastuzumab + tucatinib", cancer_type="colorectal"),
        trial(F000, "NCT03043313 (II)", nct_id="NCT03043313", phase="II", cancer_type="colorectal",
              table_id="T2", row=12, col=6, section="table"),
        trial(LINK, "MOUNTAINEER trial (NCT03043313)", trial="MOUNTAINEER", nct_id="NCT03043313", phase="II",
              drug="trastuzumab + tucatinib", cancer_type="colorectal"),
        endpoint(F000, "ORR 55%", endpoint="ORR", value="55", unit="%", drug="trastuzumab + tucatinib",
                 trial="MOUNTAINEER", cancer_type="colorectal"),
        endpoint(LINK, "ORR of 54.9%", endpoint="ORR", value="54.9", unit="%", drug="trastuzumab + tucatinib",
                 trial="MOUNTAINEER", nct_id="NCT03043313", cancer_type="colorectal"),
        endpoint(F000, "mPFS 6.2 months", endpoint="PFS", value="6.2", unit="months",
                 drug="trastuzumab + tucatinib", trial="MOUNTAINEER", cancer_type="colorectal"),
    ]


def approval_mentions() -> list[ApprovalMention]:
    """Lapatinib: 2007-03-13 (000) vs 2007-03-12 (made-up) -> conflict. Tucatinib: '2020'
    (000) and 2020-04-17 (made-up) agree. Trastuzumab 1998 in 000 and 002 (two works)."""
    return [
        approval(F000, "Lapatinib was approved by the FDA on March 13, 2007", drug="lapatinib", date="2007-03-13",
                 cancer_type="breast", line="second-line"),
        approval(LINK, "Lapatinib was approved by the FDA on March 12, 2007", drug="lapatinib", date="2007-03-12",
                 cancer_type="breast"),
        approval(F000, "In 2020, the FDA approved tucatinib", drug="tucatinib", date="2020", cancer_type="breast"),
        approval(LINK, "Tucatinib was approved by the FDA on April 17, 2020", drug="tucatinib",
                 date="2020-04-17", cancer_type="breast"),
        approval(F000, "approved for marketing by the U.S. Food and Drug Administration (FDA) in 1998",
                 drug="trastuzumab", date="1998", cancer_type="breast"),
        approval(F002, "becoming FDA-approved in 1998", drug="trastuzumab", date="1998", cancer_type="breast",
                 line="adjuvant"),
    ]


def same_work_mentions() -> list[ApprovalMention]:
    """The same abstract sentence in the review (000) and its PubMed page (001)."""
    q = "have been approved by the U.S. Food and Drug Administration"
    return [
        approval(F000, q, drug="", indication="multiple cancers", section="abstract"),
        approval(F001, q, drug="", indication="multiple cancers", section="abstract"),
    ]


def all_mentions() -> list:
    return destiny_breast03_trials() + mountaineer_mentions() + approval_mentions() + same_work_mentions()


def all_documents() -> list[Document]:
    return [document(n) for n in (F000, F001, F002, LINK)]


def by_doc(mentions) -> dict[str, list]:
    out: dict[str, list] = {}
    for m in mentions:
        out.setdefault(m.prov.source_file, []).append(m)
    return out


# --------------------------------------------------------------------------
# A throwaway PostgreSQL cluster (initdb + pg_ctl on a free port of 127.0.0.1)


class PostgresUnavailable(Exception):
    """Why the PostgreSQL tests cannot run here (the message is the skip reason)."""


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TempPostgres:
    """Start: initdb into a temporary folder (as the `postgres` system user when
    running as root, since PostgreSQL refuses to run as root), pg_ctl start with
    the socket in that folder and TCP on 127.0.0.1:<free port>, trust auth.
    Stop: pg_ctl stop -m immediate, folder removed."""

    def __init__(self) -> None:
        import glob
        import os
        import shutil
        import tempfile

        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                      key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
        if not bins and shutil.which("initdb"):
            bins = [shutil.which("initdb")]
        if not bins:
            raise PostgresUnavailable("PostgreSQL server binaries (initdb) not found under /usr/lib/postgresql/*/bin "
                                      "or on PATH; run scripts/install_postgres.sh as root")
        self.bin = Path(bins[-1]).parent
        self.prefix: list[str] = []
        self.root = Path(tempfile.mkdtemp(prefix="her2-pg-"))
        if os.geteuid() == 0:
            import pwd

            try:
                pw = pwd.getpwnam("postgres")
            except KeyError:
                raise PostgresUnavailable("running as root and there is no 'postgres' user to run the server as")
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
            self.root.chmod(0o700)
            runuser = shutil.which("runuser")
            self.prefix = [runuser, "-u", "postgres", "--"] if runuser else ["su", "postgres", "-s", "/bin/sh", "-c"]
        self.data = self.root / "data"
        self.port = _free_port()
        self.url = ""

    def _run(self, *args: str, timeout: float = 120):
        import shlex
        import subprocess

        cmd = [str(a) for a in args]
        if self.prefix and self.prefix[0] == "su":
            cmd = self.prefix + [" ".join(shlex.quote(c) for c in cmd)]
        else:
            cmd = self.prefix + cmd
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=str(self.root))

    def start(self) -> "TempPostgres":
        r = self._run(self.bin / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                      "--no-locale")
        if r.returncode != 0:
            raise PostgresUnavailable(f"initdb failed: {(r.stderr or r.stdout).strip().splitlines()[-1:]}")
        opts = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        r = self._run(self.bin / "pg_ctl", "-D", self.data, "-l", self.root / "server.log", "-o", opts, "-w",
                      "-t", "60", "start")
        if r.returncode != 0:
            log = (self.root / "server.log").read_text(errors="replace") if (self.root / "server.log").exists() else ""
            raise PostgresUnavailable(f"pg_ctl start failed: {(r.stderr or r.stdout).strip()[-300:]} {log[-300:]}")
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
        return self

    def new_database(self) -> str:
        import uuid

        import sqlalchemy as sa

        name = f"t_{uuid.uuid4().hex[:12]}"
        eng = sa.create_engine(self.url, isolation_level="AUTOCOMMIT")
        try:
            with eng.connect() as c:
                c.execute(sa.text(f'CREATE DATABASE "{name}"'))
        finally:
            eng.dispose()
        return self.url.rsplit("/", 1)[0] + "/" + name

    def stop(self) -> None:
        import shutil

        if self.data.exists():
            self._run(self.bin / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)
