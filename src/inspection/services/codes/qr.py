"""The QR code of a verification page, drawn as SVG by segno (pure Python, no network)."""

from __future__ import annotations

import io

import segno

__all__ = ["qr_svg"]


def qr_svg(url: str, *, standalone: bool = True) -> bytes:
    """An SVG QR code of `url` (error correction M, a quiet zone of four modules).

    `standalone=False` leaves out the XML declaration, for an SVG inlined in a page.
    """
    qr = segno.make(url, error="m", micro=False)
    out = io.BytesIO()
    qr.save(out, kind="svg", scale=6, border=4, xmldecl=standalone, title="检查码核验二维码")
    return out.getvalue()
