"""Claims: what the 说明 text of a 公开 document says in figures, each kept with the sentence it came from. Pure.

The narrative (情况说明, 编制说明, 其他相关情况说明) quotes the tables: totals, the parts of the totals, the 功能分类
类/款/项 (“一般公共服务支出（类）商贸事务（款）行政运行（项）”938.99万元), 基本/项目支出, 人员/公用经费, the 三公
items, 机关运行经费, 政府采购, the projects with 绩效目标; shares (占73.93%), changes on last year (比2024年预算增加
24,491.71万元，增长…%) and 执行率 (完成年初预算的98.20%). `extract` turns paragraphs into `Claim`s:

* an **amount** claim: a figure with its unit (元, 万元, 亿元; held in 万元), the `Subject` it is about, the
  measure (预算, 决算, 年初预算, 执行数) and the year it is of;
* a **change** claim: 增加/减少/持平 by an amount or by a percentage, on a base (比2024年预算, 与2023年度相比),
  linked to the amount claim it is about (``of``), to the other half of the change (``pair``: the amount of a
  change and its percentage) and to a stated base figure (``base``: "2022年当年预算执行数为1.48万元");
* a **share** claim: 占 X%, linked to its part (``of``) and its whole (``base``: the 其中 head or the total named);
* a **rate** claim: 完成预算的 X%, linked to the actual (``of``) and the plan (``base``) when the text states it;
* a **count** claim: the number of projects with 绩效目标.

What cannot be read with confidence is listed as `Unchecked` with the reason, never guessed: an amount whose
subject is unclear, a threshold (单价100万元以上), a template placeholder (**万元), a percentage that belongs to
nothing. Nothing here reads files: the shells pass paragraphs in (`paragraphs_from_text` splits a plain text).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Literal

ClaimKind = Literal["amount", "change", "share", "rate", "count"]
WAN = {"元": Decimal("0.0001"), "千元": Decimal("0.1"), "万元": Decimal(1), "万": Decimal(1), "亿元": Decimal(10000)}
"""How many 万元 one unit of a figure is ("1720.00万" is written for 万元)."""


# --------------------------------------------------------------------------------------------------------
# Input: paragraphs
# --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of the narrative: its text, the page it starts on (None for a plain text) and its heading."""

    text: str
    page: int | None = None
    index: int = 0
    """1-based position among the document's paragraphs (set by `number`)."""
    heading: bool = False
    """A heading line (一、…情况说明), not a sentence."""
    on_page: int = 0
    """1-based position among the paragraphs of its page (set by `number`; 0 without pages)."""
    sheet: str | None = None
    cell: str | None = None
    """The worksheet and cell a workbook's own 说明 sheet holds the paragraph in (None for a document's text)."""


TEXT_SHEET = "说明"
"""The sheet name of a finding in a document's text, or in a text given beside a workbook."""

_FINAL = re.compile(r"[。！？；;!?]\s*$|^\s*$")


def number(paragraphs: Iterable[object]) -> list[Paragraph]:
    """Paragraphs of any reader (objects with ``text`` and optionally ``page`` and ``heading``) numbered 1, 2 …

    A paragraph that stops in the middle of a sentence (no 。；！？ at its end) and is followed by one that does
    not open an item (一、 （二） 3.) is joined with it: readers of printed pages break paragraphs at line and page
    ends ("…住房保障支出（" / "类）445.69万元"), and a sentence must be read whole.
    """
    raw: list[tuple[str, int | None, bool, str | None, str | None]] = []
    for p in paragraphs:
        text = p if isinstance(p, str) else str(getattr(p, "text", "") or "")
        if not text.strip():
            continue
        page = None if isinstance(p, str) else getattr(p, "page", None)
        page = page if isinstance(page, int) and not isinstance(page, bool) and page > 0 else None  # 0: Word, no pages
        heading = False if isinstance(p, str) else bool(getattr(p, "heading", False))
        sheet, cell = (None, None) if isinstance(p, str) else (getattr(p, "sheet", None), getattr(p, "cell", None))
        if (
            raw and not heading and not raw[-1][2] and not _FINAL.search(raw[-1][0]) and not _ENUM.match(text)
            and raw[-1][3] == sheet
        ):
            prev_text, prev_page, _, _, prev_cell = raw[-1]
            raw[-1] = (prev_text.rstrip() + text.strip(), prev_page, False, sheet, prev_cell)
            continue
        raw.append((text, page, heading, sheet, cell))
    out: list[Paragraph] = []
    per_page: dict[int, int] = {}
    for text, page, heading, sheet, cell in raw:
        on_page = 0
        if page is not None:
            per_page[page] = on_page = per_page.get(page, 0) + 1
        out.append(Paragraph(text=text, page=page, index=len(out) + 1, heading=heading, on_page=on_page, sheet=sheet, cell=cell))
    return out


_ENUM = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+[、.．](?!\d)|第[一二三四五六七八九十]+部分)")
_END = re.compile(r"[。！？；;]\s*$")
_TABLEISH = re.compile(r"(?:[\d,]+\.?\d*\s+){3,}")


def paragraphs_of_cells(cells: Iterable[tuple[str, str, str]]) -> list[Paragraph]:
    """A workbook's own 说明 (`Book.text`: sheet, cell, text) as paragraphs: each cell's text split as a plain
    text's (`paragraphs_from_text`), each paragraph keeping the sheet and cell that hold it."""
    return [replace(p, sheet=sheet, cell=cell) for sheet, cell, text in cells for p in paragraphs_from_text(text)]


def paragraphs_from_text(text: str) -> list[Paragraph]:
    """A plain text (a .txt 说明, or a PDF's text layer with form feeds between pages) as numbered paragraphs.

    Lines are joined into paragraphs the way a reader sees them: a line ending in 。； (not a full line) or a short line ends a
    paragraph, a line starting with an enumerator (一、 （二） 3.) starts one, blank lines separate them. Lines that
    look like table rows (three numbers or more apart) are left out: tables are read as tables.
    """
    out: list[Paragraph] = []
    for page_no, page in enumerate(text.split("\f"), start=1):
        lines = [ln.rstrip() for ln in page.splitlines()]
        width = max((len(ln.strip()) for ln in lines), default=0)
        buf: list[str] = []
        paged = page_no if "\f" in text else None

        def flush(heading: bool = False, buf: list[str] = buf, paged: int | None = paged) -> None:
            joined = "".join(buf).strip()
            if joined:
                out.append(Paragraph(text=joined, page=paged, heading=heading))
            buf.clear()

        for ln in lines:
            s = ln.strip()
            if not s:
                flush()
                continue
            if _TABLEISH.search(s):
                flush()
                continue
            if _ENUM.match(s) and buf:
                flush()
            buf.append(s)
            short = len(s) < max(20, int(width * 0.6))
            wrapped = len(s) >= width * 0.92 and width >= 30  # a full line: the paragraph may go on
            if (_END.search(s) and not wrapped) or short:
                head = short and not _END.search(s) and len(buf) == 1 and not _AMOUNT.search(s)
                flush(heading=head)
        flush()
    return [replace(p, index=i) for i, p in enumerate(out, start=1)]


# --------------------------------------------------------------------------------------------------------
# Output: subjects, claims and what was not checked
# --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    """What a figure is about. ``key`` is one of `SUBJECTS`' keys, "功能" (a 功能分类 科目, ``names`` = the 类, 款,
    项 names as written, ``levels`` which of them), or "项目" (a project, ``names`` = its name)."""

    key: str
    names: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    scope: str = ""
    """The money the text speaks of, when it says: "财政拨款", "一般公共预算" (else "")."""

    @property
    def label(self) -> str:
        """How a message names it: 「一般公共服务支出（类）财政事务（款）行政运行（项）」, 「“三公”经费合计」."""
        if self.key == "功能":
            return "".join(f"{n}（{lv}）" for n, lv in zip(self.names, self.levels, strict=True))
        if self.key == "项目":
            project, part = (*self.names, "", "")[:2]
            head = f"项目「{project}」" if project and project != "项目" else "项目"
            return head + (f"：{part}" if part and part != "合计" else "合计" if part else "")
        return LABELS.get(self.key, self.key)


@dataclass(frozen=True)
class Where:
    """Where a figure stands: page (None for a plain text), paragraph, the sentence and the figure's span in it."""

    page: int | None
    paragraph: int
    """1-based among the text's paragraphs."""
    sentence: str
    start: int
    end: int
    on_page: int = 0
    """1-based among the paragraphs of its page (0 without pages)."""
    in_sheet: str | None = None
    in_cell: str | None = None
    """The worksheet cell of a workbook's own 说明 that holds the sentence (`Paragraph.sheet`, `Paragraph.cell`)."""

    @property
    def cell(self) -> str:
        """The finding address of the paragraph: its worksheet cell ("A3"), else "第12页第3段" (the 3rd paragraph of
        page 12) or "第3段" (no pages)."""
        if self.in_cell is not None:
            return self.in_cell
        return f"第{self.page}页第{self.on_page}段" if self.page is not None else f"第{self.paragraph}段"

    @property
    def sheet(self) -> str:
        return self.in_sheet or TEXT_SHEET

    @property
    def address(self) -> str:
        """"其他相关情况说明!A3", or "说明!第3段" for a document's text."""
        return f"{self.sheet}!{self.cell}"

    def marked(self, limit: int = 60) -> str:
        """The sentence, shortened around the figure, with the figure marked 【…】."""
        s, a, b = self.sentence, self.start, self.end
        left, right = s[:a], s[b:]
        room = max(limit - (b - a), 10)
        if len(left) + len(right) > room:
            keep_left = min(len(left), room * 2 // 3)
            keep_right = min(len(right), room - keep_left)
            keep_left = min(len(left), room - keep_right)
            left = ("…" + left[len(left) - keep_left :]) if keep_left < len(left) else left
            right = (right[:keep_right] + "…") if keep_right < len(right) else right
        return f"{left}【{s[a:b]}】{right}"


@dataclass(frozen=True)
class Claim:
    """One figure the text states (see the module docstring for the kinds and their links)."""

    n: int
    kind: ClaimKind
    subject: Subject
    figure: str
    """As printed: "18,976.76万元", "73.93%", "49个"."""
    value: Decimal
    """Amounts in 万元, percentages in percent, counts as counted; a change's amount or percentage unsigned."""
    decimals: int
    """Decimals of the number as printed (the precision its 舍位 is judged by)."""
    unit: str
    where: Where
    measure: str = ""
    """Amounts: 预算, 决算, 年初预算, 执行数 (what kind of figure); "" when the text does not say."""
    year: int | None = None
    """The year the figure is of (the document's year unless the text names another)."""
    direction: int = 0
    """Changes: +1 增加/增长, -1 减少/下降, 0 持平."""
    base_year: int | None = None
    base_measure: str = ""
    """Changes: the base compared with (比2024年预算 → 2024, "预算"; 比2022年预算执行数 → 2022, "执行数")."""
    of: int | None = None
    base: int | None = None
    pair: int | None = None
    whole: Subject | None = None
    """Shares whose whole the text names (占本年支出合计的…) when no figure of it is quoted."""

    @property
    def signed(self) -> Decimal:
        return self.value * self.direction

    @property
    def unit_size(self) -> Decimal:
        """One unit of the last printed digit, in the claim's own terms (万元 for amounts, percent for %)."""
        step = Decimal(1).scaleb(-self.decimals)
        return step * WAN.get(self.unit, Decimal(1)) if self.kind in ("amount", "change") and self.unit != "%" else step


@dataclass(frozen=True)
class Unchecked:
    """A figure of the text that is not checked, and why (in Chinese, for the report)."""

    where: Where
    figure: str
    reason: str


@dataclass(frozen=True)
class Claims:
    """Everything `extract` found in one text."""

    claims: tuple[Claim, ...] = ()
    unchecked: tuple[Unchecked, ...] = ()
    year: int | None = None
    kind: str = ""
    """"budget" or "final" when the text says (预算 / 决算), else ""."""

    def get(self, n: int | None) -> Claim | None:
        return self.claims[n] if n is not None and 0 <= n < len(self.claims) else None


# --------------------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------------------

LABELS: dict[str, str] = {
    "收支总计": "收入支出总计", "收入总计": "收入预算（收入总计）", "支出总计": "支出预算（支出总计）",
    "本年收入合计": "本年收入合计", "本年支出合计": "本年支出合计",
    "财政拨款收入": "财政拨款收入", "财政拨款支出": "财政拨款支出", "财政拨款收支总计": "财政拨款收入支出总计",
    "一般公共预算收入": "一般公共预算财政拨款收入", "政府性基金收入": "政府性基金预算财政拨款收入",
    "国有资本经营收入": "国有资本经营预算财政拨款收入",
    "一般公共预算支出": "一般公共预算财政拨款支出", "政府性基金支出": "政府性基金预算财政拨款支出",
    "国有资本经营支出": "国有资本经营预算财政拨款支出",
    "事业收入": "事业收入", "经营收入": "事业单位经营收入", "其他收入": "其他收入", "上级补助收入": "上级补助收入",
    "附属单位上缴收入": "附属单位上缴收入", "年初结转和结余": "年初结转和结余", "年末结转和结余": "年末结转和结余",
    "基本支出": "基本支出", "项目支出": "项目支出", "人员经费": "人员经费", "公用经费": "公用经费",
    "一般公共预算基本支出": "一般公共预算财政拨款基本支出",
    "上缴上级支出": "上缴上级支出", "经营支出": "经营支出", "对附属单位补助支出": "对附属单位补助支出",
    "三公/合计": "“三公”经费", "三公/因公出国(境)费": "因公出国（境）费", "三公/公务用车购置及运行费": "公务用车购置及运行费",
    "三公/公务用车购置费": "公务用车购置费", "三公/公务用车运行费": "公务用车运行费", "三公/公务接待费": "公务接待费",
    "机关运行经费": "机关运行经费",
    "政府采购/合计": "政府采购", "政府采购/货物": "政府采购货物", "政府采购/工程": "政府采购工程",
    "政府采购/服务": "政府采购服务", "政府采购/中小企业": "面向中小企业预留的政府采购",
    "政府采购/小微企业": "预留给小微企业的政府采购", "政府采购/中标": "中小企业中标的采购金额",
    "绩效目标/项目数": "编报绩效目标的项目数", "绩效目标/资金": "编报绩效目标的项目资金",
    "绩效评价/项目数": "绩效评价的项目数", "绩效评价/资金": "绩效评价的项目资金",
    "资产": "国有资产", "项目/用款计划": "项目季度用款计划", "?": "（未能判断）",
}

_Q = r"[“\"”]?"
SUBJECTS: tuple[tuple[str, str], ...] = (
    # order is irrelevant: the longest match at the leftmost position wins
    (r"财政拨款收入、?支出总计|财政拨款收支总计|财政拨款收入总计、支出总计", "财政拨款收支总计"),
    (r"收入、?支出总计|收支总计|收入总计、支出总计", "收支总计"),
    (r"本年收入合计", "本年收入合计"),
    (r"本年支出合计", "本年支出合计"),
    (r"(?<![拨款])收入预算(?:总额|总计)?|收入总计", "收入总计"),
    (r"(?<![拨款基金营])支出预算(?:总额|总计)?|支出总计", "支出总计"),
    (r"财政拨款收入", "财政拨款收入"),
    (r"财政拨款支出(?:预算|决算)?", "财政拨款支出"),
    (r"一般公共预算(?:财政)?拨款收入", "一般公共预算收入"),
    (r"政府性基金(?:预算)?(?:财政)?拨款收入", "政府性基金收入"),
    (r"国有资本经营预算(?:财政)?拨款收入", "国有资本经营收入"),
    (r"一般公共预算(?:财政)?拨款支出(?:预算|决算)?", "一般公共预算支出"),
    (r"政府性基金(?:预算)?(?:财政)?拨款支出(?:预算|决算)?", "政府性基金支出"),
    (r"国有资本经营预算(?:财政)?拨款支出(?:预算|决算)?", "国有资本经营支出"),
    (r"一般公共预算(?:财政)?拨款基本支出", "一般公共预算基本支出"),
    (r"事业单位经营收入|(?<!事业单位)经营收入", "经营收入"),
    (r"(?<!非)事业收入", "事业收入"),
    (r"其他收入", "其他收入"),
    (r"上级补助收入", "上级补助收入"),
    (r"附属单位上缴收入", "附属单位上缴收入"),
    (r"年初结转和结余|上年结转(?:结余)?(?:收入)?", "年初结转和结余"),
    (r"年末结转和结余", "年末结转和结余"),
    (r"(?<!拨款)基本支出", "基本支出"),
    (r"项目支出", "项目支出"),
    (r"人员经费", "人员经费"),
    (r"公用经费", "公用经费"),
    (r"上缴上级支出", "上缴上级支出"),
    (r"(?<!非)经营支出", "经营支出"),
    (r"对附属单位补助支出", "对附属单位补助支出"),
    (_Q + r"三公" + _Q + r"经费(?:财政拨款)?(?:支出)?(?:预算数|预算|决算数|决算)?", "三公/合计"),
    (r"因公出国[(（]境[)）](?:费用|经费|费)(?:支出)?", "三公/因公出国(境)费"),
    (r"公务(?:用)?车(?:辆)?购置及运行(?:维护)?费(?:支出)?", "三公/公务用车购置及运行费"),
    (r"公务用车购置(?:费|支出)", "三公/公务用车购置费"),
    (r"公务(?:车)?用车运行(?:维护)?费(?:支出)?", "三公/公务用车运行费"),
    (r"公务接待费(?:支出)?", "三公/公务接待费"),
    (r"机关运行经费(?:支出|预算)?", "机关运行经费"),
    (r"政府采购(?:预算|金额|支出)(?:总额)?", "政府采购/合计"),
    (r"(?:政府采购)?货物(?:采购)?(?:预算|金额)", "政府采购/货物"),
    (r"(?:政府采购)?工程(?:采购)?(?:预算|金额)", "政府采购/工程"),
    (r"(?:政府采购)?服务(?:采购)?(?:预算|金额)", "政府采购/服务"),
    (r"面向中小企业预留(?:的)?政府采购项目预算(?:金额)?", "政府采购/中小企业"),
    (r"(?:预留给小型和微型企业的|面向小微企业预留(?:的)?)政府采购项目预算(?:金额)?", "政府采购/小微企业"),
    (r"供应商中标或成交的，?采购金额", "政府采购/中标"),
    (r"编报绩效目标的(?:\d{4}年度?)?项目(?:共)?", "绩效目标/项目数"),
    (r"(?:绩效跟踪|绩效评价|绩效自评|重点评价|跟踪评价)[^，。；]{0,8}的(?:\d{4}年度?)?项目(?:共)?", "绩效评价/项目数"),
    (r"流动资产|固定资产|在建工程[^，。；\d]{0,4}|无形资产[^，。；\d]{0,4}|长期投资[^，。；\d]{0,4}|其他固定资产", "资产"),
    (r"第[一二三四]季度用款计划", "项目/用款计划"),
)
_SUBJECT_RES = tuple((re.compile(p), k) for p, k in SUBJECTS)

# A 功能分类 path: “一般公共服务支出（类）商贸事务（款）行政运行（项）” (brackets already half-width here)
_NAME = r"[\u4e00-\u9fff][\u4e00-\u9fff、()（）]*?"
_PATH = re.compile(
    rf"(?P<l>{_NAME})\s*[(（]类[)）]\s*(?:(?P<k>{_NAME})\s*[(（]款[)）]\s*)?(?:(?P<x>{_NAME})\s*[(（]项[)）])?"
)
# “一般公共服务支出-政府办公厅（室）及相关机构事务-行政运行”科目, “一般公共服务支出”科目: names joined by dashes
_DASHED = re.compile(r"[“\"](?P<names>[\u4e00-\u9fff（）()、]{2,40}(?:\s*[-—－]\s*[\u4e00-\u9fff（）()、]{2,40}){0,2})[”\"]\s*(?=科目)")
_CLASS_NAMES_OLD = {
    "文化体育与传媒支出": "207", "医疗卫生与计划生育支出": "210", "医疗卫生支出": "210", "国土海洋气象等支出": "220",
    "国土资源气象等支出": "220", "粮油物资储备管理事务": "222", "社会保障和就业": "208",
}

_KNOWN_CLASSES = (
    "一般公共服务支出", "外交支出", "国防支出", "公共安全支出", "教育支出", "科学技术支出", "文化旅游体育与传媒支出",
    "社会保障和就业支出", "社会保险基金支出", "卫生健康支出", "节能环保支出", "城乡社区支出", "农林水支出", "交通运输支出",
    "资源勘探工业信息等支出", "商业服务业等支出", "金融支出", "援助其他地区支出", "自然资源海洋气象等支出", "住房保障支出",
    "粮油物资储备支出", "灾害防治及应急管理支出", "其他支出", "债务还本支出", "债务付息支出", *_CLASS_NAMES_OLD,
)
_CLASS_ONLY = re.compile("(?:" + "|".join(sorted(_KNOWN_CLASSES, key=len, reverse=True)) + r")(?=\s*\d)")
_NUM = r"(?<![\d.,])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_AMOUNT = re.compile(_NUM + r"\s*(?P<unit>亿元|万元|千元|元|万(?=[，。；、,;（()）\s]|$|其中|合计|以上|以下))")
_PERCENT = re.compile(_NUM + r"\s*(?:%|％)")
_COUNT = re.compile(_NUM + r"\s*(?P<unit>个)")
_PLACEHOLDER = re.compile("[*\uff0a\u00d7xX]{2,}\\s*(?:万元|元|%)")  # **万元 and its full-width forms: a template left unfilled
_THRESHOLD_AFTER = re.compile(r"^\s*(?:[(（]含[)）])?\s*(?:以上|以下|及以下|以内|及以上)")
_THRESHOLD_BEFORE = re.compile(r"(?:单价|金额在|超过|不超过|达到|起付|限额)\s*$")
_YEAR = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年(?:度)?")
_CHANGE_BASE = re.compile(
    r"(?:比|较|与|同)\s*(?P<base>(?:(?P<y>(?:19|20)\d{2})\s*年(?:度)?|上年度?|上一年度?|去年)?"
    r"(?:[(（][^)）]{0,12}[)）])?(?:当年)?(?P<m>预算执行数|执行数|预算数|预算|决算数|决算)?(?:[(（][^)）]{0,12}[)）])?)"
    r"\s*(?:相比|相较)?[，,]?"
)
_DIRECTION = re.compile(r"(?P<d>基本持平|持平|一致|不变|增加|增长|上升|提高|多|减少|下降|降低|减)")
_MEASURE = re.compile(
    r"(?:(?P<y>(?:19|20)\d{2})\s*年(?:度)?)?(?:当年)?"
    r"(?P<m>预算执行数|执行数|年初预算(?:数)?|调整预算(?:数)?|预算安排|预算数|决算数|支出决算|决算)(?:为|是)?"
)
_SHARE = re.compile(r"占(?P<whole>[^，,。；;%\d]{0,16}?)(?:的)?\s*(?=\d)")
_RATE = re.compile(r"完成(?:年初)?(?:调整)?预算(?:数)?(?:的)?\s*(?=\d)|执行率(?:为|达)?\s*(?=\d)|预算执行率(?:为)?\s*(?=\d)")
_REASON = re.compile(r"(?:主要)?原因(?:是|为|：|:)?|主要用于|用于")
_SENTENCE_END = re.compile(r"(?<=[。！？])")
_INVOLVED = re.compile(r"涉及(?:项目)?(?:预算)?(?:资金|金额)(?:共)?")
_FILLER = re.compile(r"^(?:其中|合计|共计|共|计|为|是|约|达|\d+[.、]|[(（][一二三四五六七八九十\d]+[)）]|[\s，,：:、])*$")
_PROJECT_SECTION = re.compile(r"(?P<name>.{2,40}?)(?:经费|资金)?情况说明$|^[一二三四五六七八九十]+、年度预算安排$")

_DIR_SIGN = {"增加": 1, "增长": 1, "上升": 1, "提高": 1, "多": 1, "减少": -1, "下降": -1, "降低": -1, "减": -1}


_KEEP = frozenset("，；：。！？（）、“”‘’【】《》")


class _Folds(dict[int, str]):
    """`str.translate` table of `_norm`: each character's NFKC form where that is one character and not kept
    punctuation, worked out the first time the character is met."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        n = ch if ch in _KEEP else unicodedata.normalize("NFKC", ch)
        self[code] = folded = n if len(n) == 1 else ch
        return folded


_FOLDS = _Folds()
_SPACE_NEAR_CJK = re.compile(
    r"(?<=[\u3000-\u303f\u4e00-\u9fff“”（）()：，。；、])\s+|\s+(?=[\u3000-\u303f\u4e00-\u9fff“”（）()：，。；、])"
)


def _norm(text: str) -> str:
    """Full-width digits, letters and ％ folded one character for one (positions stay; Chinese punctuation kept as
    written, so quotes read naturally), line breaks and spaces near CJK dropped."""
    s = text.translate(_FOLDS).replace("\n", "").replace("\r", "")
    return _SPACE_NEAR_CJK.sub("", s)


def _decimals(num: str) -> int:
    return len(num.partition(".")[2])


def _value(num: str) -> Decimal:
    return Decimal(num.replace(",", ""))


def function_subject(m: re.Match[str], scope: str = "") -> Subject:
    """A 功能分类 subject from a path match; the 类 name trimmed to a known 类 when junk precedes it."""
    lei = m.group("l")
    names = [lei]
    levels = ["类"]
    for g, lv in (("k", "款"), ("x", "项")):
        if m.group(g):
            names.append(m.group(g))
            levels.append(lv)
    return Subject("功能", tuple(names), tuple(levels), scope)


# --------------------------------------------------------------------------------------------------------
# Extraction
# --------------------------------------------------------------------------------------------------------


@dataclass
class _Token:
    start: int
    end: int
    kind: str  # subject, amount, percent, count, base, dir, measure, share, rate, reason, year, clause, threshold
    data: dict[str, object] = field(default_factory=dict)


_DIGIT = re.compile(r"\d")


def _tokens(s: str) -> list[_Token]:
    found: list[_Token] = []
    digits = _DIGIT.search(s) is not None  # every number pattern, and those that look ahead to one, needs a digit
    for m in _PATH.finditer(s) if "类" in s else ():  # …（类）
        found.append(_Token(m.start(), m.end(), "path", {"m": m}))
    for m in _DASHED.finditer(s) if "科目" in s else ():
        names = tuple(n.strip() for n in re.split(r"[-—－]", m.group("names")))
        if names[0] in _KNOWN_CLASSES:  # a 类 the list knows: the path of a 功能分类 科目
            found.append(_Token(m.start(), m.end(), "path", {"names": names}))
    for rx, key in _SUBJECT_RES:
        for m in rx.finditer(s):
            found.append(_Token(m.start(), m.end(), "subject", {"key": key}))
    for m in _AMOUNT.finditer(s) if digits else ():
        found.append(_Token(m.start(), m.end(), "amount", {"num": m.group("num"), "unit": m.group("unit")}))
    for m in _PERCENT.finditer(s) if digits else ():
        found.append(_Token(m.start(), m.end(), "percent", {"num": m.group("num")}))
    for m in _COUNT.finditer(s) if digits else ():
        found.append(_Token(m.start(), m.end(), "count", {"num": m.group("num")}))
    for m in _PLACEHOLDER.finditer(s):
        found.append(_Token(m.start(), m.end(), "placeholder"))
    for m in _CHANGE_BASE.finditer(s):
        if m.group("y") or m.group("m") or re.match(r"(?:比|较|与|同)\s*(?:上年|上一年|去年)", m.group(0)):
            y = int(m.group("y")) if m.group("y") else None
            found.append(_Token(m.start(), m.end(), "base", {"y": y, "m": m.group("m") or "", "last": y is None}))
    for m in _DIRECTION.finditer(s):
        found.append(_Token(m.start(), m.end(), "dir", {"d": m.group("d")}))
    for m in _MEASURE.finditer(s):
        found.append(_Token(m.start(), m.end(), "measure", {"y": int(m.group("y")) if m.group("y") else None, "m": m.group("m")}))
    for m in _SHARE.finditer(s) if digits else ():
        found.append(_Token(m.start(), m.end(), "share", {"whole": m.group("whole")}))
    for m in _RATE.finditer(s) if digits else ():
        found.append(_Token(m.start(), m.end(), "rate"))
    for m in _REASON.finditer(s):
        found.append(_Token(m.start(), m.end(), "reason"))
    for m in re.finditer(r"[；;]", s):
        found.append(_Token(m.start(), m.end(), "clause"))
    for m in re.finditer(r"[，,：:]", s):
        found.append(_Token(m.start(), m.end(), "comma"))
    for m in _INVOLVED.finditer(s):
        found.append(_Token(m.start(), m.end(), "involved"))
    for m in _CLASS_ONLY.finditer(s) if digits else ():
        found.append(_Token(m.start(), m.end(), "class", {"name": m.group(0)}))
    # leftmost-longest, no overlaps; numbers beat words they sit inside of
    priority = {"placeholder": 0, "amount": 1, "percent": 1, "count": 1}
    found.sort(key=lambda t: (t.start, priority.get(t.kind, 5), -(t.end - t.start)))
    out: list[_Token] = []
    taken_until = -1
    for t in found:
        if t.start < taken_until:
            continue
        out.append(t)
        taken_until = t.end
    return out


_MEASURE_NAMES = {
    "预算执行数": "执行数", "执行数": "执行数", "年初预算": "年初预算", "年初预算数": "年初预算", "调整预算": "调整预算",
    "调整预算数": "调整预算", "预算安排": "预算", "预算数": "预算", "预算": "预算", "决算数": "决算", "支出决算": "决算",
    "决算": "决算",
}


class _Extractor:
    def __init__(self, year: int | None, kind: str) -> None:
        self.year = year
        self.kind = kind
        self.claims: list[Claim] = []
        self.unchecked: list[Unchecked] = []
        self.scope = ""
        self.last_subject: Subject | None = None
        self.project = ""
        """The project a 项目经费情况说明 section is about ("" outside one)."""

    # -- helpers ---------------------------------------------------------------------------------------

    def add(self, **kw: object) -> Claim:
        c = Claim(n=len(self.claims), **kw)  # type: ignore[arg-type]
        self.claims.append(c)
        return c

    def skip(self, where: Where, figure: str, reason: str) -> None:
        self.unchecked.append(Unchecked(where, figure, reason))

    def default_measure(self) -> str:
        return {"budget": "预算", "final": "决算"}.get(self.kind, "")

    # -- one paragraph ---------------------------------------------------------------------------------

    def paragraph(self, p: Paragraph) -> None:
        text = _norm(p.text)
        if p.heading or (len(text) < 40 and not _AMOUNT.search(text) and not _PERCENT.search(text) and not _PLACEHOLDER.search(text)):
            self.heading(text)
            self.last_subject = None
            return
        if re.search(r"财政拨款支出主要内容|财政拨款支出(?:预算)?主要(?:用于|内容)", text):
            self.scope = "财政拨款"
        # a paragraph that does not open an item goes on with the subject the previous one ended with (a sentence
        # ending at a line's end can split a paragraph of a text dump)
        inherited: Subject | None = None if _ENUM.match(text) else self.last_subject
        last_base: tuple[int | None, str] | None = None
        for sentence in (x for x in _SENTENCE_END.split(text) if x.strip()):
            inherited, last_base = self.sentence(sentence, p, inherited, last_base)
        self.last_subject = inherited

    def heading(self, text: str) -> None:
        m = re.match(r"^(?P<name>.{2,40}?)情况说明$", text)
        if m and re.search(r"项目|专项|经费", m.group("name")) and not re.search(r"部门|决算|预算|其他相关", m.group("name")):
            self.project = m.group("name").removesuffix("经费").removesuffix("资金")
        elif re.search(r"编制说明|相关情况说明|决算情况|名词解释|收入支出", text):
            self.project = ""
        if "一般公共预算财政拨款" in text and "基本支出" not in text:
            self.scope = "一般公共预算"
        elif "财政拨款" in text and ("支出" in text or "收入" in text):
            self.scope = "财政拨款"
        elif re.search(r"三公|机关运行|政府采购|绩效|资产|项目|收入|支出", text):
            self.scope = ""

    # -- one sentence ----------------------------------------------------------------------------------

    def sentence(
        self, s: str, p: Paragraph, inherited: Subject | None, last_base: tuple[int | None, str] | None
    ) -> tuple[Subject | None, tuple[int | None, str] | None]:
        toks = _tokens(s)
        subject = inherited
        sentence_subject: Subject | None = None
        measure: tuple[int | None, str] | None = None
        change: dict[str, object] | None = None  # base year/measure and direction of a change being read
        pending_share: _Token | None = None
        pending_rate = False
        in_reason = False
        last_amount: Claim | None = None
        first_amount: Claim | None = None
        amounts_by_subject: dict[Subject, Claim] = {}
        change_amount: Claim | None = None
        count_subject: Subject | None = None
        clause_start = 0
        clause_named = False  # a subject, measure or change word seen in the current clause

        def where(t: _Token) -> Where:
            return Where(p.page, p.index, s, t.start, t.end, p.on_page, p.sheet, p.cell)

        for i, t in enumerate(toks):
            if t.kind in ("comma", "clause"):
                clause_start, clause_named = t.end, False
            if t.kind in ("path", "subject", "class", "measure", "involved", "base"):
                clause_named = True
            if t.kind == "comma":
                continue
            if t.kind == "clause":
                in_reason = False
                change = None
                pending_share = None
                pending_rate = False
                measure = None
                change_amount = None
                continue
            if in_reason:
                if t.kind in ("amount", "percent"):
                    self.skip(where(t), s[t.start : t.end], "在原因说明中，不是报表数字")
                continue
            if t.kind == "reason":
                # 主要用于：… keeps reading (决算: 主要用于以下方面：一般公共服务支出（类）…)
                if s[t.start : t.end] in ("主要用于", "用于"):
                    nxt = next((x for x in toks[i + 1 :] if x.kind != "comma"), None)
                    gap = s[t.end : nxt.start] if nxt is not None else ""
                    listing = re.fullmatch(r"\s*(?:以下(?:几个)?方面)?\s*[：:]\s*", gap) is not None  # 主要用于以下方面：…（类）X万元
                    if nxt is not None and nxt.kind in ("path", "subject", "class") and listing:
                        continue
                    in_reason = True
                    continue
                in_reason = True
                continue
            if t.kind == "placeholder":
                self.skip(where(t), s[t.start : t.end], "模板占位符（**），没有填写数字")
                continue
            if t.kind == "path":
                m = t.data.get("m")
                if isinstance(m, re.Match):
                    subject = function_subject(m, self.scope)
                else:
                    names = tuple(str(n) for n in t.data["names"])  # type: ignore[attr-defined]
                    subject = Subject("功能", names, ("类", "款", "项")[: len(names)], self.scope)
                sentence_subject = subject
                measure = None
                change = None
                continue
            if t.kind == "class":
                subject = Subject("功能", (str(t.data["name"]),), ("类",), self.scope)
                sentence_subject = subject
                measure = None
                change = None
                continue
            if t.kind == "involved":
                if count_subject is not None:
                    subject = Subject(count_subject.key.replace("/项目数", "/资金"), count_subject.names)
                    sentence_subject = subject
                continue
            if t.kind == "subject":
                key = str(t.data["key"])
                names = (s[t.start : t.end],) if key in ("资产", "项目/用款计划", "绩效评价/项目数") else ()
                if key == "政府采购/中标":  # 在面向中小企业预留的政府采购项目中，由中小企业供应商中标…: the clause tells
                    names = (re.split(r"[；;。]", s[: t.start])[-1],)
                subject = Subject(key, names, scope=self._scope_for(key))
                sentence_subject = subject
                if key.endswith("/项目数"):
                    count_subject = Subject(key, names)
                measure = None
                change = None
                pending_share = None
                continue
            if t.kind == "measure":
                y = t.data["y"]
                measure = (y if isinstance(y, int) else None, _MEASURE_NAMES[str(t.data["m"])])
                continue
            if t.kind == "base":
                y = t.data["y"]
                base_year = y if isinstance(y, int) else (self.year - 1 if self.year else None)
                if t.data.get("last") and not re.search(r"上年|上一年|去年", s[t.start : t.end]):
                    base_year = None
                change = {"y": base_year, "m": _MEASURE_NAMES.get(str(t.data["m"]), "") if t.data["m"] else "", "dir": None}
                last_base = (base_year, str(change["m"]))
                if base_year is None and t.data["m"] in ("预算数", "预算") and self.kind == "final":
                    change["plan"] = True  # 决算数与预算数持平: against this year's plan, not last year
                continue
            if t.kind == "dir":
                d = str(t.data["d"])
                if change is None:
                    # 其中：因公出国（境）费支出决算持平 — the base said before in the paragraph
                    if last_base is None or d in ("多", "减"):
                        continue
                    change = {"y": last_base[0], "m": last_base[1], "dir": None}
                change["dir"] = 0 if d in ("基本持平", "持平", "一致", "不变") else _DIR_SIGN[d]
                if change["dir"] == 0:
                    target = amounts_by_subject.get(subject) if subject else None
                    target = target or (last_amount if last_amount and last_amount.subject == subject else None)
                    nxt = toks[i + 1] if i + 1 < len(toks) else None
                    if change.get("plan"):
                        self.skip(where(t), s[t.start : t.end], "与本年预算数比较，表中没有可核对的数")
                    elif subject is None:
                        self.skip(where(t), s[t.start : t.end], "未能判断是哪一项持平")
                    else:
                        stated = next(
                            (c for c in reversed(self.claims) if c.kind == "amount" and c.subject == subject
                             and c.where.sentence == s and c.year == _int(change["y"]) and c.year != self.year),
                            None,
                        )  # 2022年当年预算执行数为15.00万元，2023年预算安排15.00万元，比2022年预算执行数持平
                        c = self.add(
                            kind="change", subject=subject, figure=s[t.start : t.end], value=Decimal(0), decimals=2,
                            unit="万元", where=where(t), direction=0, base_year=_int(change["y"]),
                            base_measure=str(change["m"]), of=target.n if target else None, year=self.year,
                            base=stated.n if stated else None,
                        )
                        change_amount = c
                    if nxt is not None and nxt.kind == "amount" and s[t.end : nxt.start].strip() == "":
                        # 与2024年预算一致0万元: the base figure, equal to this year's
                        self.skip(where(nxt), s[nxt.start : nxt.end], "持平后的数字是上年数，已按持平核对")
                        toks[i + 1] = _Token(nxt.start, nxt.end, "done")
                    change = None
                continue
            if t.kind == "done":
                continue
            if t.kind == "share":
                pending_share = t
                continue
            if t.kind == "rate":
                pending_rate = True
                continue
            if t.kind == "count":
                figure = s[t.start : t.end]
                if count_subject is not None and subject is not None and subject.key.endswith("/项目数"):
                    self.add(
                        kind="count", subject=subject, figure=figure, value=_value(str(t.data["num"])), decimals=0,
                        unit="个", where=where(t), year=self.year,
                    )
                continue
            if t.kind == "amount":
                num, unit = str(t.data["num"]), str(t.data["unit"])
                figure = s[t.start : t.end]
                w = where(t)
                if _THRESHOLD_AFTER.match(s[t.end :]) or _THRESHOLD_BEFORE.search(s[: t.start]):
                    self.skip(w, figure, "是标准或限额（…以上/以下），不是报表数字")
                    continue
                value = _value(num) * WAN[unit]
                decimals = _decimals(num)
                unit = "万元" if unit == "万" else unit
                if change is not None and change.get("dir") is not None and change["dir"] != 0:
                    if change.get("plan"):
                        self.skip(w, figure, "与本年预算数比较，表中没有可核对的数")
                        continue
                    target = amounts_by_subject.get(subject) if subject else None
                    if subject is None:
                        self.skip(w, figure, "未能判断是哪一项的增减")
                        continue
                    c = self.add(
                        kind="change", subject=subject, figure=figure, value=value, decimals=decimals, unit=unit,
                        where=w, direction=_int(change["dir"]) or 0, base_year=_int(change["y"]),
                        base_measure=str(change["m"]), of=target.n if target else None, year=self.year,
                    )
                    change_amount = c
                    change["dir"] = None  # a following 增长 Y% is the same change's percentage
                    continue
                if not clause_named:
                    phrase = s[clause_start : t.start]
                    if self.project or (re.search(r"其中", s[: t.start]) and not _FILLER.match(phrase) and subject is not None and subject.key.endswith(("/资金", "项目"))):
                        name = re.sub(r"^(?:其中|以及|和|及)", "", phrase).strip("，,：: ")
                        if not name or re.search(r"合计|共计|总计|总预算|项目预算$", name):
                            name = "合计"
                        subject = Subject("项目", (self.project or "", name))
                    elif not _FILLER.match(phrase):
                        self.skip(w, figure, f"未能判断「{phrase[-12:]}」所指的报表数字")
                        continue
                if subject is not None and subject.key.endswith("/项目数"):
                    self.skip(w, figure, "未能判断这个数字指的是哪一项")
                    continue
                if subject is None:
                    self.skip(w, figure, "未能判断这个数字指的是哪一项")
                    continue
                m_year, m_name = measure if measure else (None, "")
                year = m_year or self.year
                c = self.add(
                    kind="amount", subject=subject, figure=figure, value=value, decimals=decimals, unit=unit, where=w,
                    measure=m_name or self.default_measure(), year=year,
                )
                if subject not in amounts_by_subject or (year == self.year and m_name not in ("年初预算", "执行数", "调整预算")):
                    amounts_by_subject[subject] = c
                last_amount = c
                if first_amount is None:
                    first_amount = c
                measure = None
                continue
            if t.kind == "percent":
                num = str(t.data["num"])
                figure = s[t.start : t.end]
                w = where(t)
                value = _value(num)
                if pending_share is not None:
                    whole_text = str(pending_share.data["whole"])
                    whole_subject = _whole_subject(whole_text)
                    part = last_amount
                    whole = None
                    if whole_subject is None and first_amount is not None and part is not None and first_amount is not part:
                        between = s[first_amount.where.end : part.where.start]
                        if re.search(r"其中|主要用于|[:：]", between):  # the total the sentence opened with
                            whole = first_amount
                    if whole_subject is not None:
                        named = [c for c in self.claims if c.kind == "amount" and c.subject.key == whole_subject.key and c.year == self.year]
                        whole = named[-1] if named else None
                    if part is None or (whole is None and whole_subject is None):
                        self.skip(w, figure, "未能判断占比的分子或分母")
                    else:
                        self.add(
                            kind="share", subject=part.subject, figure=figure, value=value, decimals=_decimals(num),
                            unit="%", where=w, of=part.n, base=whole.n if whole else None, whole=whole_subject,
                            year=self.year,
                        )
                    pending_share = None
                    continue
                if pending_rate:
                    actual = last_amount
                    plans = [
                        c for c in self.claims[first_amount.n if first_amount else len(self.claims):]
                        if c.kind == "amount" and c.measure in ("年初预算", "调整预算", "预算") and actual is not None
                        and c.subject == actual.subject
                    ]
                    plan = plans[-1] if plans else None
                    if actual is None:
                        self.skip(w, figure, "未能判断执行率所指")
                    else:
                        self.add(
                            kind="rate", subject=actual.subject, figure=figure, value=value, decimals=_decimals(num),
                            unit="%", where=w, of=actual.n, base=plan.n if plan and plan.n != actual.n else None,
                            year=self.year,
                        )
                    pending_rate = False
                    continue
                if change is not None and change.get("dir") not in (None, 0) and subject is not None:
                    c = self._percent_change(s, t, subject, change, w, figure, value, num, amounts_by_subject, None)
                    change["dir"] = None
                    continue
                if change_amount is not None and change is not None:
                    # 增长 Y% after 增加 X万元: the dir token set change["dir"] again
                    continue
                self.skip(w, figure, "未能判断这个百分比指的是什么")
                continue
        # the subject a following sentence of the paragraph speaks of
        return sentence_subject or inherited, last_base

    def _percent_change(
        self, s: str, t: _Token, subject: Subject, change: dict[str, object], w: Where, figure: str, value: Decimal,
        num: str, amounts: dict[Subject, Claim], _unused: object,
    ) -> Claim:
        target = amounts.get(subject)
        base_claim = next(
            (c for c in reversed(self.claims) if c.kind == "amount" and c.subject == subject and c.where.sentence == s
             and c.year == _int(change["y"]) and c.year != self.year),
            None,
        )
        paired = next(
            (c for c in reversed(self.claims) if c.kind == "change" and c.unit != "%" and c.subject == subject
             and c.where.sentence == s and c.pair is None and c.direction == change["dir"]),
            None,
        )
        c = self.add(
            kind="change", subject=subject, figure=figure, value=value, decimals=_decimals(num), unit="%", where=w,
            direction=_int(change["dir"]) or 0, base_year=_int(change["y"]), base_measure=str(change["m"]),
            of=target.n if target else None, base=base_claim.n if base_claim else None,
            pair=paired.n if paired else None, year=self.year,
        )
        if paired is not None:
            self.claims[paired.n] = replace(paired, pair=c.n)
        return c

    def _scope_for(self, key: str) -> str:
        return self.scope if key in ("基本支出", "项目支出", "人员经费", "公用经费") else ""


def _int(v: object) -> int | None:
    return v if isinstance(v, int) and not isinstance(v, bool) else None


def _whole_subject(text: str) -> Subject | None:
    """The whole a share names (占本年支出合计的…), or None (the whole is the total the sentence began with)."""
    t = text.strip()
    if not t:
        return None
    for rx, key in _SUBJECT_RES:
        if rx.fullmatch(t) or rx.fullmatch(t.rstrip("的")):
            return Subject(key)
    return None


def document_year(paragraphs: Sequence[Paragraph]) -> int | None:
    """The year a 说明 is about: the first "2025年" of its text (a 预算 说明 opens with it)."""
    for p in paragraphs:
        m = _YEAR.search(_norm(p.text))
        if m:
            return int(m.group("y"))
    return None


def document_kind(paragraphs: Sequence[Paragraph]) -> str:
    """"final" for a 决算 text, "budget" for a 预算 text (whichever word comes first and more often), else ""."""
    text = "".join(_norm(p.text) for p in paragraphs[:60])
    n_final, n_budget = text.count("决算"), text.count("预算")
    if not n_final and not n_budget:
        return ""
    return "final" if n_final * 2 >= n_budget else "budget"


def extract(paragraphs: Iterable[object], year: int | None = None, kind: str | None = None) -> Claims:
    """Every claim of a narrative (paragraphs of any reader, or `Paragraph`s), with what could not be read.

    ``year`` and ``kind`` ("budget"/"final") default to what the text says (`document_year`, `document_kind`).
    """
    paras = number(paragraphs)
    year = year or document_year(paras)
    kind = kind if kind is not None else document_kind(paras)
    ex = _Extractor(year, kind)
    for p in paras:
        ex.paragraph(p)
    return Claims(tuple(_linked(ex.claims, year)), tuple(ex.unchecked), year, kind)


def _linked(claims: list[Claim], year: int | None) -> list[Claim]:
    """Changes whose amount was stated in an earlier sentence (公务接待费1.35万元。比2024年预算持平) linked to it."""
    out = list(claims)
    for c in out:
        if c.kind != "change" or c.of is not None:
            continue
        earlier = [
            a for a in out[: c.n]
            if a.kind == "amount" and a.subject == c.subject and a.year == year and a.measure not in ("年初预算", "执行数", "调整预算")
            and a.where.paragraph >= c.where.paragraph - 1
        ]
        if earlier:
            out[c.n] = replace(c, of=earlier[-1].n)
    return out
