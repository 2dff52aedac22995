"""Decks rendered to images with LibreOffice, as a trainer would see them (`make office` installs it).

LibreOffice is slow (several seconds a deck), so only a representative subset is rendered here: two
audiences of two topics and the one-slide 7-minute briefing. The structural rules are checked on every
deck from the pptx itself (test_briefing_decks.py).
"""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from pptx import Presentation

SUBSET = [("01-lead-practitioner", "school DSLs"), ("06-child-protection-standards", "police officers")]


def _tools() -> tuple[str, str]:
    soffice, pdftoppm = shutil.which("soffice"), shutil.which("pdftoppm")
    if not soffice or not pdftoppm:
        pytest.skip("LibreOffice (soffice) and poppler-utils (pdftoppm) are needed to render decks to images: "
                    "run `make office` (as root: apt-get install -y libreoffice-impress poppler-utils)")
    return soffice, pdftoppm


def to_images(data: bytes, name: str, out: Path) -> list[Path]:
    """pptx bytes -> one PNG per slide (LibreOffice headless to PDF, then pdftoppm at 50 dpi)."""
    soffice, pdftoppm = _tools()
    src = out / f"{name}.pptx"
    src.write_bytes(data)
    profile = out / "lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), str(src)], check=True, capture_output=True, timeout=240)
    subprocess.run([pdftoppm, "-r", "50", "-png", str(out / f"{name}.pdf"), str(out / name)], check=True,
                   capture_output=True, timeout=120)
    return sorted(out.glob(f"{name}-*.png"))


def _png_size(path: Path) -> tuple[int, int]:
    w, h = struct.unpack(">II", path.read_bytes()[16:24])
    return w, h


@pytest.mark.slow
def test_decks_render_to_16_9_images_one_per_slide(settings, corpus, tmp_path):
    from wtkb.briefing import build_pack
    from wtkb.briefing.render import render

    for slug, audience in SUBSET:
        pack = build_pack(settings, slug, audience=audience, corpus=corpus)
        data = render(pack, "pptx")
        images = to_images(data, slug, tmp_path)
        assert len(images) == len(Presentation(io.BytesIO(data)).slides), slug
        for img in images:
            w, h = _png_size(img)
            assert abs(w / h - 16 / 9) < 0.02, (img.name, w, h)
            assert img.stat().st_size > 3000, img.name  # not a blank page


@pytest.mark.slow
def test_seven_minute_slide_renders_to_one_a4_page(settings, corpus, tmp_path):
    from wtkb.briefing import build_pack
    from wtkb.briefing.render import render

    pack = build_pack(settings, "01-lead-practitioner", corpus=corpus)
    images = to_images(render(pack, "seven-pptx"), "seven", tmp_path)
    assert len(images) == 1
    w, h = _png_size(images[0])
    assert abs(h / w - 297 / 210) < 0.02
