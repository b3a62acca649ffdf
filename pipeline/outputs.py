"""Document-level outputs under the output root: text/<doc_id>.txt,
documents.csv, entities.csv, tables/*.csv, mentions/*.csv. Every file is written
atomically (temporary file in the same folder, then rename); run.py stages a
run's files with them and publishes them together."""
from __future__ import annotations

import csv
import io
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from pipeline.model import MENTION_COLUMNS, PROVENANCE_COLUMNS, DocResult, Mention, mention_id, mention_to_row

DOCUMENT_COLUMNS = ["doc_id", "source_file", "sha256", "kind", "pages", "title", "n_sentences", "n_tables", "status", "error"]
ENTITY_COLUMNS = ["doc_id", "source_file", "page", "section", "char_start", "char_end", "text", "label", "normalized", "source"]
TABLE_COLUMNS = ["table_id", "caption", "page", "row", "col", "text", "char_start", "char_end", "x0", "top", "x1", "bottom"]
MENTION_FILES = {"trial": "trials.csv", "endpoint": "endpoints.csv", "approval": "approvals.csv"}


@contextmanager
def atomic_path(path: Path) -> Iterator[str]:
    """A temporary file beside `path` to write to; on success it becomes `path` (rename, so a
    reader never sees a half-written file), on failure it is removed."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        yield tmp
        os.chmod(tmp, 0o644)            # mkstemp makes 0600; outputs are for every reader
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def atomic_write_bytes(path: Path, data: bytes) -> None:
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        fh.write(data)


def atomic_write_text(path: Path, text: str) -> None:
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)


def csv_text(header: Sequence[str], rows: Iterable[dict]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(header), extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: ("" if r.get(k) is None else r.get(k)) for k in header})
    return buf.getvalue()


def atomic_write_csv(path: Path, header: Sequence[str], rows: Iterable[dict]) -> None:
    atomic_write_text(path, csv_text(header, rows))


def document_row(r: DocResult) -> dict:
    d = r.doc
    return {
        "doc_id": d.doc_id, "source_file": d.source_file, "sha256": d.sha256, "kind": d.kind,
        "pages": d.n_pages if d.status == "ok" else "", "title": d.title,
        "n_sentences": len(r.sentences) if d.status == "ok" else "",
        "n_tables": len(d.tables) if d.status == "ok" else "", "status": d.status, "error": d.error,
    }


def entity_rows(r: DocResult) -> list[dict]:
    d = r.doc
    rows = []
    for e in r.entities:
        sec = d.section_at(e.char_start)
        rows.append({
            "doc_id": d.doc_id, "source_file": d.source_file, "page": d.page_at(e.char_start),
            "section": f"{sec.kind}: {sec.heading}" if sec and sec.heading else (sec.kind if sec else ""),
            "char_start": e.char_start, "char_end": e.char_end, "text": e.text, "label": e.label,
            "normalized": e.normalized, "source": e.source,
        })
    return rows


def table_rows(r: DocResult, table) -> list[dict]:
    rows = []
    for c in sorted(table.cells, key=lambda c: (c.row, c.col)):
        bb = c.bbox or (None, None, None, None)
        rows.append({"table_id": table.table_id, "caption": table.caption, "page": table.page, "row": c.row,
                     "col": c.col, "text": c.text, "char_start": c.char_start, "char_end": c.char_end,
                     "x0": bb[0], "top": bb[1], "x1": bb[2], "bottom": bb[3]})
    return rows


def mention_rows(mentions: Iterable[Mention], kind: str) -> list[dict]:
    """Rows of one kind, each mention once, in document and position order."""
    unique = {mention_id(m): m for m in mentions if m.kind == kind}
    rows = [mention_to_row(m) for m in unique.values()]
    return sorted(rows, key=lambda r: (str(r["source_file"]), str(r["doc_id"]),
                                       int(r["char_start"]) if r["char_start"] != "" else -1,
                                       str(r["table_id"]), int(r["row"]) if r["row"] != "" else -1,
                                       int(r["col"]) if r["col"] != "" else -1, str(r["mention_id"])))


def write_mention_csvs(mentions: Sequence[Mention], out: Path) -> list[Path]:
    """mentions/{trials,endpoints,approvals}.csv under `out`: MENTION_COLUMNS[kind] + PROVENANCE_COLUMNS."""
    paths = []
    for kind, name in MENTION_FILES.items():
        p = Path(out) / "mentions" / name
        atomic_write_csv(p, MENTION_COLUMNS[kind] + PROVENANCE_COLUMNS, mention_rows(mentions, kind))
        paths.append(p)
    return paths
