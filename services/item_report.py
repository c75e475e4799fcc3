"""Item statistics for people: a plain-text table for the terminal and xlsx sheets.

Both read the object services.item_stats.quiz_statistics returns, so the command line,
the page, the download and the API never disagree. Figures are shown as percentages;
a question whose discrimination index is below WEAK (or negative) is flagged, as
Moodle's report advises looking at such questions again.
"""
from flask_babel import gettext as _

#: a discrimination index below this (negative included) marks a question to review
WEAK = 0.2

SUMMARY_HEADERS = ("测验", "计入作答数", "平均得分率(%)", "中位数(%)", "标准差(%)",
                   "内部一致性系数 α(%)")
QUESTION_HEADERS = ("题号", "作答数", "容易度(%)", "标准差(%)", "区分度指数(%)",
                    "区分效率(%)", "区分度偏低")
OPTION_HEADERS = ("题号", "选项", "选项内容", "选择比例(%)")


def is_weak(question: dict) -> bool:
    """Whether a question discriminates poorly (or inversely) between strong and weak."""
    value = question.get("discrimination_index")
    return value is not None and value < WEAK


def percent(value: float | None) -> float | None:
    """A fraction as a percentage with one decimal (None stays empty)."""
    return None if value is None else round(value * 100, 1)


def shown(value: float | None) -> str:
    """A fraction as text: 66.7%, or — when undefined."""
    return "—" if value is None else f"{value * 100:.1f}%"


def text_table(result: dict) -> str:
    """The statistics as a table a person reads in a terminal."""
    lines = [_("Attempts: %(n)d · mean %(mean)s · median %(median)s · SD %(sd)s · "
               "Cronbach's α %(alpha)s", n=result["attempts"], mean=shown(result["mean"]),
               median=shown(result["median"]), sd=shown(result["sd"]),
               alpha=shown(result["alpha"])), ""]
    width = max([len(q["id"]) for q in result["questions"]] + [8])
    header = (_("Question"), "n", _("Facility"), "SD", _("Discr."), _("Effic."))
    lines.append(f"{header[0]:<{width}} {header[1]:>6} " + " ".join(f"{h:>9}" for h in header[2:]))
    for q in result["questions"]:
        figures = (q["facility"], q["sd"], q["discrimination_index"],
                   q["discriminative_efficiency"])
        flag = "  " + _("weak discrimination") if is_weak(q) else ""
        lines.append(f"{q['id']:<{width}} {q['n']:>6} "
                     + " ".join(f"{shown(v):>9}" for v in figures) + flag)
    return "\n".join(lines)


def xlsx_sheets(title: str, result: dict) -> list:
    """Three sheets (overview, questions, options) with Chinese headers, for write_xlsx."""
    summary = [(title, result["attempts"], percent(result["mean"]), percent(result["median"]),
                percent(result["sd"]), percent(result["alpha"]))]
    questions = [(q["id"], q["n"], percent(q["facility"]), percent(q["sd"]),
                  percent(q["discrimination_index"]), percent(q["discriminative_efficiency"]),
                  "是" if is_weak(q) else "") for q in result["questions"]]
    options = [(q["id"], chr(ord("A") + i) if i < 26 else str(i + 1), o["text"],
                percent(o["chosen"]))
               for q in result["questions"] for i, o in enumerate(q["options"])]
    return [("概况", SUMMARY_HEADERS, summary), ("题目", QUESTION_HEADERS, questions),
            ("选项", OPTION_HEADERS, options)]
