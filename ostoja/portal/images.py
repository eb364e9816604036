"""A photo sent with a report, re-encoded (SECURITY.md §2.1: file metadata is a named
threat): the pixels are decoded and written anew, so EXIF — the GPS position, the camera,
the time — and any other chunk are gone. Only JPEG, PNG and WebP are taken; the result is
a JPEG (a PNG stays a PNG, for screenshots)."""

import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 8 * 2**20
MAX_PIXELS = 40_000_000
ACCEPTED = {"JPEG", "PNG", "WEBP"}


class NotAPhoto(ValueError):
    pass


@dataclass(frozen=True)
class Photo:
    content: bytes
    content_type: str
    extension: str


def reencode(data: bytes) -> Photo:
    """The photo decoded and written again without metadata; ``NotAPhoto`` for anything
    else, too large, or too many pixels (a decompression bomb)."""
    if not data or len(data) > MAX_BYTES:
        raise NotAPhoto("size")
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in ACCEPTED:
                raise NotAPhoto("format")
            if image.width * image.height > MAX_PIXELS:
                raise NotAPhoto("pixels")
            png = image.format == "PNG"
            # Turned as the camera meant, before its orientation tag goes with the rest.
            upright = ImageOps.exif_transpose(image)
            alpha = png and ("A" in upright.getbands() or "transparency" in upright.info)
            pixels = upright.convert("RGBA" if alpha else "RGB")
            # The pixels only, in a new image: no info, no EXIF, no ICC, no text chunks.
            clean = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise NotAPhoto("unreadable") from error
    out = io.BytesIO()
    if png:
        clean.save(out, format="PNG")
        return Photo(out.getvalue(), "image/png", "png")
    clean.save(out, format="JPEG", quality=85)
    return Photo(out.getvalue(), "image/jpeg", "jpg")
