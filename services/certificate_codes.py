"""Verification codes: 80 random bits in Crockford base32, read aloud or typed without
confusion (no I, L, O, U), grouped XXXX-XXXX-XXXX-XXXX."""
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 16


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i:i + 4] for i in range(0, LENGTH, 4))


def normalise_code(text: str) -> str:
    """What a person typed or scanned, in the stored form: upper case, O→0, I/L→1, grouped."""
    cleaned = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    cleaned = cleaned.replace("O", "0").replace("I", "1").replace("L", "1")
    if len(cleaned) != LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return ""
    return "-".join(cleaned[i:i + 4] for i in range(0, LENGTH, 4))
