"""The assessment as a PDF, drawn with fpdf2 (no browser): same sections as the HTML.

Names such as Vučić or Gërvalla need a Unicode font. We ship a subset of DejaVu Sans
(``analysis/fonts``, with its licence); if those files are missing we use Debian's
``fonts-dejavu-core``; if neither is there, fpdf2's core Helvetica with the text folded
to Latin-1 (accents dropped where Latin-1 has none), and the PDF says so on page one.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from pactwatch.analysis.indicators import QUAD_CLASSES, WeekStats
from pactwatch.analysis.report import AreaSection, Assessment, signed
from pactwatch.analysis.report_charts import NO_TONE, TONE_SCALE, hex_rgb, tone_colour

FONT_DIRS = (
    Path(__file__).resolve().parent / "fonts",
    Path("/usr/share/fonts/truetype/dejavu"),
)
_FOLD = str.maketrans(
    {
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "−": "-",
        "→": "->",
        "▲": "^",
        "▼": "v",
        "≥": ">=",
        "≤": "<=",
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
        "–": "-",
        "—": "-",
        "…": "...",
    }
)
DARK, LIGHT = "#37474f", "#b0bec5"


def unicode_font() -> tuple[Path, Path] | None:
    """(regular, bold) DejaVu Sans files, from the package first, else the system."""
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    return None


def fold_latin1(text: str) -> str:
    """Text the core fonts can print: Latin-1 kept, other letters without their accents."""
    text = text.translate(_FOLD)
    out = []
    for char in text:
        if ord(char) < 256:
            out.append(char)
            continue
        base = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode("latin-1")
        out.append(base or "?")
    return "".join(out)


class _Report(FPDF):
    def __init__(self, label: str) -> None:
        super().__init__(format="A4")
        self.label = label
        self.family = "Helvetica"
        self.folded = True
        fonts = unicode_font()
        if fonts is not None:
            self.add_font("DejaVu", "", str(fonts[0]))
            self.add_font("DejaVu", "B", str(fonts[1]))
            self.family, self.folded = "DejaVu", False
        self.set_auto_page_break(auto=True, margin=15)
        self.set_margins(15, 15, 15)

    def t(self, text: str) -> str:
        return fold_latin1(text) if self.folded else text

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.family, "", 8)
        self.set_text_color(96, 125, 139)
        self.cell(
            0, 6, self.t(f"pactwatch assessment {self.label} · page {self.page_no()}"), align="C"
        )
        self.set_text_color(33, 33, 33)

    def heading(self, text: str, size: float = 13) -> None:
        if self.get_y() > self.page_break_trigger - 30:
            self.add_page()
        self.ln(3)
        self.set_font(self.family, "B", size)
        self.multi_cell(
            0, size * 0.55, self.t(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        self.set_font(self.family, "", 9.5)

    def para(self, text: str, size: float = 9.5) -> None:
        self.set_font(self.family, "", size)
        self.multi_cell(0, 4.6, self.t(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def grid(self, header: Sequence[str], rows: list[Sequence[str]], widths: Sequence[int]) -> None:
        self.set_font(self.family, "", 8.5)
        with self.table(
            col_widths=tuple(widths),
            line_height=4.6,
            padding=1,
            headings_style=_headings(self.family),
        ) as table:
            for values in [header, *rows]:
                row = table.row()
                for value in values:
                    row.cell(self.t(value))
        self.ln(2)

    def fill(self, colour: str) -> None:
        self.set_fill_color(*hex_rgb(colour))


def _headings(family: str) -> object:
    from fpdf.fonts import FontFace

    return FontFace(family=family, emphasis="BOLD", fill_color=(236, 239, 241))


def _change(s: AreaSection) -> str:
    c = s.change
    if c.direction == "untested":
        return "no baseline"
    if c.direction == "up":
        return f"▲ rise (p = {c.p_up:.2g})"
    if c.direction == "down":
        return f"▼ fall (p = {c.p_down:.2g})"
    return "no significant change"


def _weekly_chart(pdf: _Report, weeks: list[WeekStats], height: float = 32) -> None:
    if pdf.get_y() + height + 8 > pdf.page_break_trigger:
        pdf.add_page()
    left, top = pdf.l_margin + 10, pdf.get_y() + 2
    width = pdf.epw - 10
    peak = max((w.weighted for w in weeks), default=0.0) or 1.0
    slot = width / max(1, len(weeks))
    pdf.set_font(pdf.family, "", 7)
    pdf.set_draw_color(96, 125, 139)
    pdf.line(left, top + height, left + width, top + height)
    pdf.text(pdf.l_margin, top + 3, f"{peak:.1f}")
    pdf.text(pdf.l_margin, top + height, "0")
    for i, week in enumerate(weeks):
        h = height * week.weighted / peak
        if h > 0:
            pdf.fill(tone_colour(week.mean_score))
            pdf.rect(left + i * slot + slot * 0.1, top + height - h, slot * 0.8, h, style="F")
    for i in sorted({0, len(weeks) // 2, len(weeks) - 1} if weeks else set()):
        x = min(left + i * slot, left + width - pdf.get_string_width(weeks[i].week))
        pdf.text(x, top + height + 4, weeks[i].week)
    pdf.set_y(top + height + 7)


def _comparison_chart(pdf: _Report, a: Assessment) -> None:
    rows = a.active_areas
    if not rows:
        return
    peak = max(max(s.current.weighted, s.previous.weighted) for s in rows) or 1.0
    label_w, plot_w = 55.0, pdf.epw - 75
    pdf.set_font(pdf.family, "", 8)
    for s in rows:
        if pdf.get_y() + 8 > pdf.page_break_trigger:
            pdf.add_page()
        y = pdf.get_y()
        pdf.set_xy(pdf.l_margin, y)
        pdf.cell(label_w - 2, 6, pdf.t(s.title), align="R")
        x = pdf.l_margin + label_w
        now_w, before_w = plot_w * s.current.weighted / peak, plot_w * s.previous.weighted / peak
        pdf.fill(DARK)
        if now_w > 0:
            pdf.rect(x, y + 0.5, now_w, 3, style="F")
        pdf.fill(LIGHT)
        if before_w > 0:
            pdf.rect(x, y + 3.7, before_w, 2, style="F")
        mark = {"up": " ▲", "down": " ▼"}.get(s.change.direction, "")
        pdf.text(x + max(now_w, before_w) + 2, y + 4, pdf.t(f"{s.current.weighted:.1f}{mark}"))
        pdf.set_y(y + 7)
    pdf.para(f"Dark: {a.period.label}; light: {a.previous.label} (credibility-weighted events).", 8)


def _legend(pdf: _Report) -> None:
    pdf.set_font(pdf.family, "", 7.5)
    y = pdf.get_y() + 1
    x = pdf.l_margin
    for colour, label in [*((c, lbl) for _, c, lbl in TONE_SCALE), (NO_TONE, "no events")]:
        pdf.fill(colour)
        pdf.rect(x, y, 3, 3, style="F")
        text = pdf.t(label)
        pdf.text(x + 4, y + 2.7, text)
        x += 6 + pdf.get_string_width(text)
    pdf.set_y(y + 6)


def write_pdf(a: Assessment, path: Path) -> Path:
    """Lay the assessment out on A4 pages and write it to ``path``."""
    pdf = _Report(a.period.label)
    pdf.set_title(f"Partnership assessment {a.period.label}")
    pdf.set_creator("pactwatch")
    pdf.add_page()
    pdf.heading(f"Partnership assessment: {a.period.label}", 17)
    pdf.para(
        f"{a.period.start} to {a.period.end}, compared with {a.previous.label}. "
        f"{a.documents} documents from {a.outlets} outlets. Generated "
        f"{a.generated_at:%Y-%m-%d %H:%M} UTC by pactwatch.",
        8.5,
    )
    if pdf.folded:
        pdf.para("(No Unicode font was found: names are printed without some accents.)", 8)
    pdf.heading("Summary")
    pdf.para(a.summary + ".")
    moved = [s for s in a.areas if s.change.significant]
    if moved:
        pdf.para("Significant changes: " + "; ".join(f"{s.title} ({_change(s)})" for s in moved))

    pdf.heading("Activity per cooperation area")
    _comparison_chart(pdf, a)
    pdf.grid(
        ["Area", "Events", "Weighted", "Tone", a.previous.label, "Change"],
        [
            [
                s.title,
                str(s.current.events),
                f"{s.current.weighted:.1f}",
                signed(s.current.mean_score),
                f"{s.previous.weighted:.1f}",
                _change(s),
            ]
            for s in a.areas
        ],
        (40, 14, 16, 12, 18, 40),
    )
    pdf.para("Charts: credibility-weighted events per ISO week, coloured by the week's tone.", 8)
    _legend(pdf)
    for s in [a.overall, *a.active_areas]:
        pdf.heading(s.title, 11)
        if s.name != "*":
            pdf.para(s.description, 8.5)
        _weekly_chart(pdf, s.weekly)
        quads = ", ".join(f"{QUAD_CLASSES[q]} {s.current.quad[q - 1]}" for q in (1, 2, 3, 4))
        pdf.para(
            f"{s.current.events} events (weighted {s.current.weighted:.1f}), tone "
            f"{signed(s.current.mean_score)}; {quads}. Against {a.previous.label}: {_change(s)}."
        )

    pdf.heading("Pairs of countries")
    pdf.grid(
        [
            "Pair",
            "Events",
            "Weighted",
            "Tone",
            "Verbal coop.",
            "Material coop.",
            "Verbal confl.",
            "Material confl.",
        ],
        [
            [
                p.pair,
                str(p.stats.events),
                f"{p.stats.weighted:.1f}",
                signed(p.stats.mean_score),
                *(str(n) for n in p.stats.quad),
            ]
            for p in a.pairs
        ]
        or [["none", "", "", "", "", "", "", ""]],
        (22, 14, 16, 12, 18, 20, 18, 20),
    )

    pdf.heading("Notable engagements")
    pdf.grid(
        ["Date", "Event", "Who", "Source", "Cred."],
        [
            [
                str(e.day or "undated"),
                e.event + ("\n" + ", ".join(e.areas) if e.areas else ""),
                ", ".join(e.actors) + (" → " + ", ".join(e.recipients) if e.recipients else ""),
                (e.title or "")
                + (f"\n{e.outlet}" if e.outlet else "")
                + (f"\ntold by {e.reports} documents" if e.reports > 1 else ""),
                "—" if e.credibility is None else f"{e.credibility:.2f}",
            ]
            for e in a.engagements
        ]
        or [["", "none", "", "", ""]],
        (20, 30, 55, 65, 12),
    )

    pdf.heading("Flags and credibility caveats")
    c = a.caveats
    if c.flag_counts:
        pdf.grid(
            ["Flag", "Severity", "Count"],
            [[k, s, str(n)] for k, s, n in c.flag_counts],
            (90, 50, 20),
        )
    else:
        pdf.para("No open flags on the documents of this period.")
    for claim in c.reference_conflicts:
        pdf.para(
            f"• {claim['person']}, named {claim['role_text']} in "
            f"“{claim['title'] or 'a document'}” "
            f"on {claim['on_date']}; the reference has {claim['record'] or 'someone else'}."
        )
    for d in c.disagreements:
        pdf.para(f"• {d['explanation']} ({d['kind']}; “{d['title'] or ''}”)")
    if c.low_credibility:
        pdf.grid(
            ["Least credible documents", "Outlet", "Cred."],
            [
                [d["title"] or d["id"][:12], d["outlet"] or "", f"{d['credibility']:.2f}"]
                for d in c.low_credibility
            ],
            (110, 50, 20),
        )

    pdf.heading("Annex: method")
    for line in a.method:
        pdf.para("• " + line, 8.5)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path
