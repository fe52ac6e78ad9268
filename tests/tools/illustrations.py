"""Draw the sample content's illustrations (no stock photos): content/images/*.png.

    .venv/bin/python -m tests.tools.illustrations

Flat drawings made with Pillow, the same bytes on every run (no date, no metadata).
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parents[2]
IMAGES = ROOT / "content" / "images"
SIZE = (1600, 900)


def vigil() -> Image.Image:
    """Families' vigil at dusk: a row of candles and figures holding up photographs."""
    image = Image.new("RGB", SIZE, "#1d2a44")
    draw = ImageDraw.Draw(image)
    for y in range(0, 560, 4):  # dusk sky
        shade = int(40 + y * 0.12)
        draw.rectangle((0, y, SIZE[0], y + 4), fill=(shade, shade // 2 + 20, 70 + y // 10))
    draw.rectangle((0, 560, SIZE[0], SIZE[1]), fill="#2b2b33")
    for i in range(9):  # people holding photographs
        x = 120 + i * 170
        draw.ellipse((x - 28, 330, x + 28, 386), fill="#101018")
        draw.rounded_rectangle((x - 52, 386, x + 52, 620), 30, fill="#101018")
        draw.rectangle((x - 44, 400, x + 44, 500), fill="#e9e4d8")
        draw.ellipse((x - 16, 414, x + 16, 446), fill="#9a9386")
        draw.rounded_rectangle((x - 26, 446, x + 26, 492), 10, fill="#9a9386")
    for i in range(14):  # candles in front
        x = 70 + i * 112
        draw.rectangle((x - 12, 700, x + 12, 790), fill="#f3ead2")
        draw.ellipse((x - 40, 620, x + 40, 700), fill="#5a4320")
        draw.polygon([(x, 640), (x - 12, 680), (x, 698), (x + 12, 680)], fill="#ffc23d")
        draw.polygon([(x, 660), (x - 5, 684), (x, 694), (x + 5, 684)], fill="#fff2b0")
    return image


def crossings() -> Image.Image:
    """A schematic map: a front line, crossings on it and lorries queuing."""
    image = Image.new("RGB", SIZE, "#efe6cf")
    draw = ImageDraw.Draw(image)
    draw.polygon([(0, 0), (760, 0), (900, 300), (820, 560), (980, 900), (0, 900)], fill="#dfd2ad")
    points = [(760, 0), (900, 300), (820, 560), (980, 900)]
    for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):  # dashed front line
        length = math.dist((x1, y1), (x2, y2))
        for step in range(0, int(length), 28):
            a, b = step / length, min(1, (step + 16) / length)
            draw.line((x1 + (x2 - x1) * a, y1 + (y2 - y1) * a, x1 + (x2 - x1) * b, y1 + (y2 - y1) * b),
                      fill="#8a1c1c", width=8)
    draw.line((0, 700, 1600, 420), fill="#6f8fb0", width=26)  # river
    for x, y in ((900, 300), (856, 480), (930, 790)):  # crossings
        draw.ellipse((x - 34, y - 34, x + 34, y + 34), fill="#8a1c1c")
        draw.ellipse((x - 16, y - 16, x + 16, y + 16), fill="#efe6cf")
    for i in range(6):  # a queue of lorries
        x = 1020 + i * 90
        draw.rectangle((x, 270, x + 70, 310), fill="#4d5560")
        draw.rectangle((x + 50, 278, x + 70, 300), fill="#c9d3de")
        draw.ellipse((x + 6, 304, x + 22, 320), fill="#222")
        draw.ellipse((x + 48, 304, x + 64, 320), fill="#222")
    return image


def meeting_table() -> Image.Image:
    """A meeting seen from above: two delegations across a table, papers and flags."""
    image = Image.new("RGB", SIZE, "#d9d4c7")
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((260, 300, 1340, 600), 40, fill="#7a5232")
    for i in range(5):
        x = 360 + i * 220
        for y, sign in ((220, 1), (680, -1)):
            draw.ellipse((x - 50, y - 50, x + 50, y + 50), fill="#38404a" if sign > 0 else "#5b2a2a")
            draw.ellipse((x - 26, y - 26, x + 26, y + 26), fill="#2a2f36" if sign > 0 else "#471f1f")
            draw.rectangle((x - 40, y + sign * 90 - 30, x + 40, y + sign * 90 + 30), fill="#f7f4ec")
            draw.line((x - 28, y + sign * 90 - 12, x + 28, y + sign * 90 - 12), fill="#9c978c", width=4)
            draw.line((x - 28, y + sign * 90 + 4, x + 20, y + sign * 90 + 4), fill="#9c978c", width=4)
    draw.rectangle((780, 420, 820, 480), fill="#f7f4ec")
    draw.line((800, 380, 800, 480), fill="#3a3a3a", width=6)
    return image


def sanctions_chart() -> Image.Image:
    """A report's cover: a falling bar chart of resources and a line of evasion attempts."""
    image = Image.new("RGB", SIZE, "#f4f1ea")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, SIZE[0], 120), fill="#8a1c1c")
    for y in range(220, 820, 100):
        draw.line((160, y, 1480, y), fill="#d6d2c8", width=3)
    heights = [560, 520, 430, 380, 300, 260, 210, 180]
    for i, h in enumerate(heights):
        x = 200 + i * 160
        draw.rectangle((x, 820 - h, x + 100, 820), fill="#0b4f8a")
    line = [(250 + i * 160, 820 - v) for i, v in enumerate([120, 180, 170, 260, 240, 330, 310, 380])]
    draw.line(line, fill="#b45309", width=10, joint="curve")
    for x, y in line:
        draw.ellipse((x - 14, y - 14, x + 14, y + 14), fill="#b45309")
    draw.line((160, 820, 1480, 820), fill="#1b1b1b", width=5)
    return image


def painted(image: Image.Image) -> Image.Image:
    """A drawing softened like a photograph (blur and a fixed grain): the case where
    AVIF and WebP copies save most, so the sample site shows them."""
    soft = image.filter(ImageFilter.GaussianBlur(3))
    grain = Image.effect_noise(SIZE, 18).convert("RGB")
    return Image.blend(soft, grain, 0.06)


def main() -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    for name, draw in (("crossings", crossings), ("meeting-table", meeting_table),
                       ("sanctions-chart", sanctions_chart)):
        draw().save(IMAGES / f"{name}.png", optimize=True)
        print(IMAGES / f"{name}.png", (IMAGES / f"{name}.png").stat().st_size)
    painted(vigil()).save(IMAGES / "vigil.jpg", quality=85, optimize=True, progressive=True)
    print(IMAGES / "vigil.jpg", (IMAGES / "vigil.jpg").stat().st_size)


if __name__ == "__main__":
    main()
