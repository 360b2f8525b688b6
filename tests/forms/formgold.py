"""The forms of the real corpus against their reviewed golden files (tests/realdata/golden/forms/<stem>.json).

Shared by tests/forms/test_forms_corpus.py and bench/realcorpus.py. For one document in one builder variant
(tests/realdata/build.py) it compares what gongkai read with the golden values, cell by cell in JSON coordinates
(`Built.where`), and the findings with the golden's expected entries:

* forms: golden forms / forms read (a table of the golden id on the sheet of the form's first JSON table);
* fields: golden fields with a spec key and a value / those read at that cell with that value (a field printed
  blank must not be read as something);
* fund values: every golden fund cell (item and each column) / those read at that cell with that value;
* indicator rows: golden indicator rows / rows read at that sheet row with every column's value equal; an
  indicator row read where the golden file has none is an extra row;
* findings: an expected entry is found by a finding of at least its severity on one of its cells; a false error
  is an error on a form that lands on no expected cell, no tolerated cell and no tolerated table.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import realdata.build as builder
from gongkai.core.model import Book, Cell, Table
from gongkai.core.specs import spec
from gongkai.pipeline import check_file, load_book
from realdata.build import Built, build

GOLDEN = Path(__file__).resolve().parents[1] / "realdata" / "golden" / "forms"
STEMS = tuple(sorted(p.stem for p in GOLDEN.glob("*.json")))
FORM_IDS = ("budget.project_targets", "budget.overall_targets", "final.project_selfeval", "final.overall_selfeval")
RANK = {"note": 0, "warning": 1, "error": 2}
UNITS = {"元": Decimal("0.0001"), "万元": Decimal(1), None: Decimal(1)}
MARKER = getattr(builder, "MARKER", re.compile(r"…?\s*\((?:inferred|excerpt ends)\)"))
"""The transcriber's remarks the builder leaves out of a cell ("…(excerpt ends)")."""


def golden(stem: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((GOLDEN / f"{stem}.json").read_text(encoding="utf-8"))
    return data


def normal(text: object) -> str:
    """Text as compared: NFKC, no whitespace (the messy variant splits labels and widens digits)."""
    text = MARKER.sub("", "" if text is None else str(text))  # the builder leaves a transcriber's "(excerpt ends)" out
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text))


def number(text: str) -> Decimal | None:
    t = normal(text).replace(",", "").rstrip("%").removesuffix("万元")
    try:
        return Decimal(t)
    except InvalidOperation:
        return None


@dataclass
class FormScore:
    stem: str
    variant: str
    forms: int = 0
    forms_read: int = 0
    fields: int = 0
    fields_right: int = 0
    funds: int = 0
    funds_right: int = 0
    rows: int = 0
    rows_right: int = 0
    extra_rows: int = 0
    listed: int = 0
    found: int = 0
    false_errors: int = 0
    details: list[str] = field(default_factory=list)


def _cells(table: Table) -> dict[str, Cell]:
    """Every value the reader took from the table, by "Sheet!A1": fields, then row cells."""
    out = {c.where: c for c in table.fields.values()}
    for r in table.rows:
        for c in r.cells.values():
            out.setdefault(c.where, c)
    return out


def _same(cell: Cell | None, text: str, scale: Decimal = Decimal(1)) -> bool:
    """The cell read holds the golden text: blank for "", the number for an amount (to the reader's 0.01), else text."""
    if not normal(text):
        return cell is None or cell.raw is None or not normal(cell.text)
    if cell is None:
        return False
    if cell.amount is not None:
        want = number(text)
        return want is not None and abs(want * scale - cell.amount) <= Decimal("0.005")
    return normal(cell.text) == normal(text) or normal(cell.raw) == normal(text)


def _table_of(book: Book, built: Built, form: dict[str, Any]) -> Table | None:
    sheet = built.sheet_of(form["tables"][0])
    found = [t for t in book.tables if t.id == form["id"] and t.sheet == sheet]
    if len(found) <= 1:
        return found[0] if found else None
    first = form.get("indicators") or form.get("funds") or []
    if first:  # stacked blocks on one sheet: the one holding the form's first row
        t, r = first[0]["row"]
        row = int(re.sub(r"\D", "", built.where(t, r, 0).split("!")[1]))
        return next((x for x in found if any(rr.number == row for rr in x.rows)), found[0])
    return found[0]


def score(stem: str, variant: str, out: Path) -> FormScore:
    g = golden(stem)
    built = build(stem, variant, out)
    book = load_book(built.path)
    result = check_file(built.path)
    s = FormScore(stem, variant)
    for form in g["forms"]:
        _score_form(s, built, book, form)
    _score_findings(s, built, result.findings, g)
    return s


def _score_form(s: FormScore, built: Built, book: Book, form: dict[str, Any]) -> None:
    s.forms += 1
    table = _table_of(book, built, form)
    name = f"form {form['tables']} {form['id']}"
    if table is None:
        s.details.append(f"{name}: not read")
    else:
        s.forms_read += 1
    cells = _cells(table) if table is not None else {}
    keys = {f.key for f in spec(form["id"]).fields}
    for key, f in (form.get("fields") or {}).items():
        if f is None or key not in keys or not normal(f.get("value")):
            if f is not None and key in keys and table is not None:  # printed blank: nothing read there
                got = table.fields.get(key)
                if got is not None and normal(got.text) and got.where == built.where(*f["at"]):
                    s.details.append(f"{name}: field {key} blank in the form, read {got.text!r}")
            continue
        s.fields += 1
        got = table.fields.get(key) if table is not None else None
        where = built.where(*f["at"])
        scale = UNITS.get(f.get("unit"), Decimal(1))
        if got is not None and got.where == where and _same(got, f["value"], scale):
            s.fields_right += 1
        else:
            s.details.append(f"{name}: field {key} at {where} {f['value'][:30]!r}, read "
                             f"{(got.where + ' ' + repr(got.text[:30])) if got is not None else 'nothing'}")
    scale = UNITS.get(form.get("funds_unit"), Decimal(1))
    columns = {k: v["col"] for k, v in (form.get("fund_columns") or {}).items()}
    for fund in form.get("funds") or []:
        t, r = fund["row"]
        cols = fund.get("cols") or columns
        for key, text in fund.get("values", {}).items():
            if key not in cols:
                continue
            s.funds += 1
            where = built.where(t, r, cols[key])
            got = cells.get(where)
            if key == "占比" and got is None:  # a money block's shares are not read
                s.funds -= 1
                continue
            if _same(got, text, scale if key in ("金额", "当年金额", "年初预算数", "全年预算数", "全年执行数") else Decimal(1)):
                s.funds_right += 1
            else:
                s.details.append(f"{name}: fund {fund.get('item')} {key} at {where} {text!r}, read {got.text if got else None!r}")
    indicator_cols = {k: v["col"] for k, v in (form.get("indicator_columns") or {}).items()}
    wanted: set[int] = set()
    rows = {r.number: r for r in table.of_kind("indicator")} if table is not None else {}
    for ind in form.get("indicators") or []:
        t, r = ind["row"]
        s.rows += 1
        sheet_row = int(re.sub(r"\D", "", built.where(t, r, 0).split("!")[1]))
        wanted.add(sheet_row)
        got = rows.get(sheet_row)
        if got is None:
            s.details.append(f"{name}: indicator row {ind['row']} (sheet row {sheet_row}) not read")
            continue
        wrong = []
        for key in indicator_cols:
            text = ind.get(key, "")
            cell = got.cells.get(key)
            if not _same(cell, text):
                wrong.append(f"{key} {text!r} read {cell.text if cell else None!r}")
            elif normal(text) and key not in ind.get("carried", []) and cell is not None \
                    and cell.where != built.where(t, r, indicator_cols[key]):
                wrong.append(f"{key} at {cell.where}, not {built.where(t, r, indicator_cols[key])}")
        if wrong:
            s.details.append(f"{name}: indicator row {ind['row']}: {'; '.join(wrong)}")
        else:
            s.rows_right += 1
    if table is not None and form.get("indicators") is not None:
        extra = [n for n in rows if n not in wanted]
        s.extra_rows += len(extra)
        if extra:
            s.details.append(f"{name}: indicator rows read where the form has none: sheet rows {extra}")


def _score_findings(s: FormScore, built: Built, findings: list[Any], g: dict[str, Any]) -> None:
    def cells(at: list[list[int]]) -> set[str]:
        return {built.where(*a) for a in at}

    expected = [(e, cells(e["at"])) for e in g["expected"]]
    tolerated_cells: set[str] = set()
    tolerated_sheets: set[str] = set()
    for t in g.get("tolerated", []):
        if t.get("at"):
            tolerated_cells |= cells(t["at"])
        elif t.get("table") is not None:
            tolerated_sheets.add(built.sheet_of(t["table"]))
    form_sheets = {built.sheet_of(t) for f in g["forms"] for t in f["tables"]}
    s.listed = len(expected)
    for e, at in expected:
        if any(f"{f.sheet}!{f.cell}" in at and RANK[f.severity] >= RANK[e["severity"]] for f in findings):
            s.found += 1
        else:
            s.details.append(f"missed {e['severity']} {e['kind']} at {sorted(at)}")
    expected_cells = set().union(*(at for _, at in expected)) if expected else set()
    for f in findings:
        if f.severity != "error" or f.sheet not in form_sheets or (f.table is not None and f.table not in FORM_IDS):
            continue
        where = f"{f.sheet}!{f.cell}"
        if where in expected_cells or where in tolerated_cells or f.sheet in tolerated_sheets:
            continue
        s.false_errors += 1
        s.details.append(f"false error {f.rule} {where}: {f.message[:100]}")
