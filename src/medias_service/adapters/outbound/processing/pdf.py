"""PDF with pdfium: page count and the first page rendered (blocking; pdfium is not thread-safe, hence the lock)."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import pypdfium2 as pdfium
import pyvips

from medias_service.adapters.outbound.processing.images import render_image
from medias_service.domain.processing import MediaInfo, Rendition, SizeSpec, UnprocessableMedia

_PDFIUM = threading.Lock()


def render_pdf(path: str, sizes: Sequence[SizeSpec], *, quality: int) -> tuple[MediaInfo, list[Rendition]]:
    """Page count, the first page's size in points (1/72 inch), and the first page rendered for each size: a page
    is vector, so it is drawn at the largest size asked for rather than scaled from a fixed bitmap."""
    with _PDFIUM:
        try:
            document = pdfium.PdfDocument(path)
        except pdfium.PdfiumError as exc:
            raise UnprocessableMedia(f"The PDF cannot be opened: {exc}") from exc
        try:
            pages = len(document)
            if pages == 0:
                raise UnprocessableMedia("The PDF has no pages")
            page = document[0]
            width, height = page.get_size()
            info = MediaInfo(width=round(width), height=round(height), page_count=pages)
            if not sizes or width <= 0 or height <= 0:
                return info, []
            scale = max(spec.edge for spec in sizes) / max(width, height)
            bitmap = page.render(scale=scale, rev_byteorder=True)  # RGB(A), not pdfium's BGR
            image = pyvips.Image.new_from_memory(
                _packed(bitmap), bitmap.width, bitmap.height, bitmap.n_channels, "uchar"
            )
            page.close()
        finally:
            document.close()
    return info, render_image(image, sizes, quality=quality)


def _packed(bitmap: pdfium.PdfBitmap) -> bytes:
    """The pixels without pdfium's row padding."""
    row = bitmap.width * bitmap.n_channels
    data = memoryview(bitmap.buffer).cast("B")
    if bitmap.stride == row:
        return bytes(data[: row * bitmap.height])
    return b"".join(bytes(data[y * bitmap.stride : y * bitmap.stride + row]) for y in range(bitmap.height))
