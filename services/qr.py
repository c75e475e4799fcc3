"""QR codes as inline SVG (no image library, no CDN): check-in and verification links."""
import segno
from markupsafe import Markup
from markupsafe import escape


def qr_svg(data: str, scale: int = 6, label: str = "") -> Markup:
    """An <svg> element encoding `data`, ready to drop into a template; `label` (else the
    data) is what a screen reader says for the picture."""
    code = segno.make(data, error="m", micro=False)
    svg = code.svg_inline(scale=scale, dark="#000", light="#fff", border=2)
    named = f'<svg role="img" aria-label="{escape(label or data)}" '
    return Markup(svg.replace("<svg ", named, 1))  # segno's own markup, our escaped label


def qr_png(data: str, scale: int = 8) -> bytes:
    """The same code as PNG bytes, for PDFs."""
    import io

    out = io.BytesIO()
    segno.make(data, error="m", micro=False).save(out, kind="png", scale=scale, border=2)
    return out.getvalue()
