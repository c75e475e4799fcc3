"""The formulas of Moodle's quiz statistics report, computed from value counts.

The database hands over counts — how many responses had score s and rest-of-quiz r —
rather than one row per response, so 100,000 attempts cost a few thousand rows. Every
figure below is the exact weighted form of Moodle's (question/classes/statistics):
sample variances (n − 1), Pearson r against the rest of the quiz, and the maximum
covariance obtained by pairing both score lists sorted ascending.
"""
from collections import defaultdict
from collections.abc import Iterable
from math import sqrt

#: a variance or covariance this small is rounding noise: nothing varied
EPSILON = 1e-12

Counts = Iterable[tuple[float, int]]


def weighted_mean(counts: Counts) -> float | None:
    """Mean of values given as (value, count); None when there are none."""
    counts = list(counts)
    n = sum(c for _v, c in counts)
    return sum(v * c for v, c in counts) / n if n else None


def sample_variance(counts: Counts) -> float | None:
    """Sample variance (n − 1) of (value, count) pairs; None below two values."""
    counts = list(counts)
    n = sum(c for _v, c in counts)
    if n < 2:
        return None
    centre = sum(v * c for v, c in counts) / n
    return sum(c * (v - centre) ** 2 for v, c in counts) / (n - 1)


def median(counts: Counts) -> float | None:
    """The median of (value, count) pairs: the middle value, or the mean of the two middle."""
    ordered = sorted((v, c) for v, c in counts if c > 0)
    n = sum(c for _v, c in ordered)
    if not n:
        return None
    wanted = [(n - 1) // 2, n // 2]
    found, seen = [], 0
    for value, count in ordered:
        while wanted and wanted[0] < seen + count:
            found.append(value)
            wanted.pop(0)
        seen += count
    return (found[0] + found[1]) / 2


def sorted_pairing_sum(xs: Counts, ys: Counts, mx: float, my: float) -> float:
    """Σ (x₍ᵢ₎ − mx)(y₍ᵢ₎ − my) with both lists sorted ascending: Moodle's maximum
    covariance (times n − 1) given the two distributions."""
    left = sorted((v, c) for v, c in xs if c > 0)
    right = sorted((v, c) for v, c in ys if c > 0)
    total, i, j = 0.0, 0, 0
    left_rest = left[0][1] if left else 0
    right_rest = right[0][1] if right else 0
    while i < len(left) and j < len(right):
        take = min(left_rest, right_rest)
        total += take * (left[i][0] - mx) * (right[j][0] - my)
        left_rest -= take
        right_rest -= take
        if not left_rest:
            i += 1
            left_rest = left[i][1] if i < len(left) else 0
        if not right_rest:
            j += 1
            right_rest = right[j][1] if j < len(right) else 0
    return total


def question_figures(joint: Iterable[tuple[float, float, int]]) -> dict:
    """n, facility, sd, discrimination index and discriminative efficiency of one question
    from (score, rest-of-quiz score, count) triples; None where a figure is undefined."""
    joint = [(s, r, c) for s, r, c in joint if c > 0]
    n = sum(c for _s, _r, c in joint)
    figures = {"n": n, "facility": None, "sd": None,
               "discrimination_index": None, "discriminative_efficiency": None}
    if not n:
        return figures
    ms = sum(s * c for s, _r, c in joint) / n
    figures["facility"] = ms
    if n < 2:
        return figures
    mr = sum(r * c for _s, r, c in joint) / n
    var_s = sum(c * (s - ms) ** 2 for s, _r, c in joint) / (n - 1)
    var_r = sum(c * (r - mr) ** 2 for _s, r, c in joint) / (n - 1)
    cov = sum(c * (s - ms) * (r - mr) for s, r, c in joint) / (n - 1)
    figures["sd"] = sqrt(var_s) if var_s > EPSILON else 0.0
    if var_s > EPSILON and var_r > EPSILON:
        figures["discrimination_index"] = cov / sqrt(var_s * var_r)
    score_counts, rest_counts = defaultdict(int), defaultdict(int)
    for s, r, c in joint:
        score_counts[s] += c
        rest_counts[r] += c
    cov_max = sorted_pairing_sum(score_counts.items(), rest_counts.items(), ms, mr) / (n - 1)
    if cov_max > EPSILON:
        figures["discriminative_efficiency"] = cov / cov_max
    return figures


def cronbach_alpha(k: float, item_variance_sum: float, total_variance: float | None) -> float | None:
    """k/(k − 1) · (1 − Σ var(item) / var(total)); None when it is undefined."""
    if k <= 1 or total_variance is None or total_variance <= EPSILON:
        return None
    return k / (k - 1) * (1 - item_variance_sum / total_variance)
