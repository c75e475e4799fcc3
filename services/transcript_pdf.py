"""The transcript as an A4 portrait PDF with Chinese headings, for printing or filing.

The same records as the page (services.transcript.collect); raises PdfUnavailable when the
server has no CJK font, so the page can offer the browser's print instead.
"""
from datetime import date
from datetime import datetime

from flask_babel import force_locale
from flask_babel import to_user_timezone
from fpdf import FPDF
from fpdf.fonts import FontFace

from models import Person
from services import pdf as pdf_service
from services.academic_year import year_label
from services.hour_activities import activity_label
from services.transcript import Transcript
from services.transcript import collect
from services.transcript import public_status

HOUR_STATUS = {"approved": "已认定", "pending": "待审核", "rejected": "未通过"}
CERT_STATUS = {"valid": "有效", "expired": "已过期", "revoked": "已撤销"}
HEADINGS = FontFace(emphasis="", fill_color=(235, 235, 235))


def when(value: date | datetime | None) -> str:
    """A date, or a stored (UTC) time in the reader's time zone, to the minute."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return to_user_timezone(value).strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def share(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.0f}%"


def hours_text(value: float) -> str:
    return f"{value:g}"


def section(pdf: FPDF, title: str, headers: list[str], rows: list[list[str]],
            widths: tuple[int, ...]) -> None:
    """A heading and a table, or 无 when there is nothing to list."""
    pdf.ln(4)
    pdf.set_font(size=13)
    pdf.cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(size=10)
    if not rows:
        pdf.cell(0, 7, "无", new_x="LMARGIN", new_y="NEXT")
        return
    with pdf.table(col_widths=widths, headings_style=HEADINGS, line_height=6,
                   text_align="LEFT") as table:
        for cells in [headers, *rows]:
            row = table.row()
            for cell in cells:
                row.cell(str(cell))


def transcript_pdf(person: Person, as_of: date | None = None) -> bytes:
    """The person's record of learning as PDF bytes."""
    record = collect(person, as_of)
    pdf = pdf_service.new_document("portrait")
    pdf.set_title(f"培训学习档案 {person.name}")
    pdf.add_page()
    pdf.set_font(size=18)
    pdf.cell(0, 12, "培训学习档案", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(size=11)
    pdf.cell(0, 8, f"姓名：{person.name}    工号/学号：{person.number}    "
                   f"日期：{record.as_of.isoformat()}", new_x="LMARGIN", new_y="NEXT")
    write_sections(pdf, record)
    return pdf_service.render(pdf)


def write_sections(pdf: FPDF, record: Transcript) -> None:
    section(pdf, "一、案例模块", ["模块", "版本", "完成时间", "得分"],
            [[m.title, m.version, when(m.completed_at), share(m.score)] for m in record.modules],
            (90, 15, 45, 30))
    section(pdf, "二、测验", ["测验", "提交时间", "得分", "结果"],
            [[a.title, when(a.submitted_at), share(a.score), "通过" if a.passed else "未通过"]
             for a in record.attempts], (85, 45, 25, 25))
    section(pdf, "三、证书", ["证书编号", "认证项目", "状态", "发证日期", "有效期至"],
            [[c.code, c.program.title, CERT_STATUS[public_status(c, record.as_of)],
              when(c.issued), when(c.expires)] for c in record.certificates],
            (35, 65, 20, 30, 30))
    section(pdf, "四、学时（按学年）", ["学年", "已认定学时", "待审核学时"],
            [[year_label(y.year), hours_text(y.approved), hours_text(y.pending)]
             for y in record.hours_by_year()], (60, 60, 60))
    with force_locale("zh_CN"):
        entries = [[when(e.date), hours_text(e.hours), activity_label(e.activity),
                    HOUR_STATUS.get(e.status, e.status)] for e in record.entries]
    section(pdf, "学时明细", ["日期", "学时", "活动类型", "状态"], entries, (40, 25, 70, 45))
    pdf.ln(4)
    pdf.set_font(size=11)
    pdf.cell(0, 8, f"已认定学时合计：{hours_text(record.total_hours)}", new_x="LMARGIN",
             new_y="NEXT")
