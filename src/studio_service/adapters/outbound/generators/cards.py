"""A text card: the prompt set in white on a dark 16:9 frame with libvips (Pango), for storyboards and titles."""

from __future__ import annotations

import html
from pathlib import Path

import pyvips

WIDTH, HEIGHT = 1280, 720
MARGIN = 80


def render_card(text: str, path: Path, *, width: int = WIDTH, height: int = HEIGHT) -> Path:
    """Write a PNG of ``text`` (plain text, escaped for Pango) centred on the frame; blocking: call off the loop."""
    words = pyvips.Image.text(
        html.escape(text),
        width=width - 2 * MARGIN,
        height=height - 2 * MARGIN,
        dpi=150,
        align="centre",
        font="sans",
        wrap="word-char",
    )
    words = words.crop(0, 0, min(words.width, width), min(words.height, height))
    background = pyvips.Image.black(width, height, bands=3).new_from_image([24, 26, 38])
    ink = words.new_from_image([240, 240, 240]).bandjoin(words).copy(interpretation="srgb")
    card = background.composite2(ink, "over", x=(width - words.width) // 2, y=(height - words.height) // 2)
    card.flatten().cast("uchar").write_to_file(str(path))
    return path
