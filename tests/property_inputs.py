"""Hypothesis strategies shared by the property tests: random text and bytes, and valid
files broken in small ways (the inputs a parser meets most often in practice)."""
from hypothesis import HealthCheck
from hypothesis import settings
from hypothesis import strategies as st

#: bounded so each property file runs in seconds; the app fixture lives for the whole test
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                        HealthCheck.too_slow])
#: any text a file could hold, surrogates excepted (they cannot be encoded)
any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)


def edits(alphabet: str) -> st.SearchStrategy:
    """Lists of (position 0–1, how many to cut, what to insert) to apply to a text."""
    inserted = st.text(st.sampled_from(alphabet) | st.characters(exclude_categories=("Cs",)), max_size=8)
    return st.lists(st.tuples(st.floats(0, 1), st.integers(0, 6), inserted), min_size=1, max_size=6)


def apply_edits(text: str, changes: list[tuple[float, int, str]]) -> str:
    """`text` with each edit applied in turn: cut some characters at a point, insert others."""
    for where, cut, inserted in changes:
        at = int(where * len(text))
        text = text[:at] + inserted + text[at + cut:]
    return text


def mutated(valid: str, alphabet: str) -> st.SearchStrategy:
    """`valid` with a few random cuts and insertions, favouring the format's own characters."""
    return edits(alphabet).map(lambda changes: apply_edits(valid, changes))


def mutated_bytes(valid: bytes) -> st.SearchStrategy:
    """`valid` with a few bytes flipped, cut or inserted."""
    change = st.tuples(st.floats(0, 1), st.integers(0, 4), st.binary(max_size=4))
    return st.lists(change, min_size=1, max_size=4).map(
        lambda changes: apply_byte_edits(valid, changes))


def apply_byte_edits(data: bytes, changes: list[tuple[float, int, bytes]]) -> bytes:
    for where, cut, inserted in changes:
        at = int(where * len(data))
        data = data[:at] + inserted + data[at + cut:]
    return data
