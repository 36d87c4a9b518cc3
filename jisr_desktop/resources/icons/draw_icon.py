"""Draws jisr.png and jisr.ico (a white bridge over water on a teal square) with Pillow:
`.venv/bin/python jisr_desktop/resources/icons/draw_icon.py` from the repository root."""

from __future__ import annotations

from PIL import Image, ImageDraw

S = 1024
img = Image.new("RGBA", (S, S), (0, 0, 0, 0))
d = ImageDraw.Draw(img)
d.rounded_rectangle([32, 32, S - 32, S - 32], radius=200, fill=(15, 118, 110, 255))
white = (255, 255, 255, 255)
# deck
d.rectangle([150, 560, S - 150, 610], fill=white)
# arch (thick ellipse arc)
d.arc([190, 300, S - 190, 820], start=180, end=360, fill=white, width=56)
# hangers
for x in (330, 430, 512, 594, 694):
    d.rectangle([x - 10, 400 if x in (430, 512, 594) else 450, x + 10, 560], fill=white)
# piers
d.rectangle([190, 560, 246, 760], fill=white)
d.rectangle([S - 246, 560, S - 190, 760], fill=white)
# water
for i, y in enumerate((800, 870)):
    d.arc([180 + 40 * i, y - 40, S - 180 - 40 * i, y + 40], start=20, end=160, fill=(153, 246, 228, 255), width=22)
img = img.resize((512, 512), Image.Resampling.LANCZOS)
img.save("jisr_desktop/resources/icons/jisr.png")
img.save("jisr_desktop/resources/icons/jisr.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])
