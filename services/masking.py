"""Masking a holder's name for the public verification page and API (SPEC §7).

Anyone holding a certificate code may verify it, so the public answer must confirm a
name the verifier already knows without disclosing it to someone who guessed a code:
the first and last character stay, everything between becomes `*`, one star per
character (张三明 → 张*明, 欧阳文华 → 欧**华, 张三 → 张*, a single character unchanged).

Latin names are treated per character exactly the same way, spaces included
("John Smith" → "J********h"): word boundaries would tell how many given names a
person has, and a per-character rule needs no language detection.
"""

MASK = "*"


def mask_name(name: str) -> str:
    """The name with every character but the first and the last replaced by `*`."""
    text = (name or "").strip()
    if len(text) <= 1:
        return text
    if len(text) == 2:
        return text[0] + MASK
    return text[0] + MASK * (len(text) - 2) + text[-1]
