"""A PDF sent with a report, rebuilt without what it says about its author (SECURITY.md
§2.1: file metadata is a named threat) or what could act when staff open it.

The pages are copied into a new document (pypdf), so the document's information (author,
creator, dates) and its catalogue (scripts run on opening, attached files, forms, the
outline) stay behind. Then everything the new document reaches is walked: XMP metadata
streams, private application data, annotations (links, scripts, comments with their
author) and actions are dropped, and a JPEG picture on a page loses its EXIF, XMP and
comments — a scan or a photo keeps its location there otherwise. Only PDF is taken as a
document: Word and OpenDocument files carry their authors in too many places to trust a
scrub."""

import io

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    EncodedStreamObject,
    IndirectObject,
    NameObject,
    PdfObject,
    StreamObject,
)

MAX_BYTES = 8 * 2**20
MAX_PAGES = 300
# Keys of any dictionary that carry metadata, actions or things drawn over the page.
_DROP = (
    "/Metadata",  # XMP: author, tool, dates, sometimes a location
    "/PieceInfo",  # an application's private data
    "/LastModified",
    "/Annots",  # comments (with their author), links, widgets
    "/AA",  # actions run on opening or closing a page
    "/A",
    "/OpenAction",
    "/JS",
    "/Thumb",
)


class NotADocument(ValueError):
    pass


def strip(data: bytes) -> bytes:
    """The PDF rebuilt from its pages without metadata; ``NotADocument`` for anything
    unreadable, encrypted, too large or too long."""
    if not data or len(data) > MAX_BYTES:
        raise NotADocument("size")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise NotADocument("encrypted")
        if len(reader.pages) > MAX_PAGES:
            raise NotADocument("pages")
        writer = PdfWriter()
        for page in reader.pages:
            for key in _DROP:  # before copying: what they point to is not copied either
                page.pop(key, None)
            writer.add_page(page)
        writer.metadata = None
        _scrub(writer.root_object, set())
        out = io.BytesIO()
        writer.write(out)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as error:
        if isinstance(error, NotADocument):
            raise
        raise NotADocument("unreadable") from error
    return out.getvalue()


def _scrub(node: PdfObject, seen: set[int]) -> None:
    if isinstance(node, IndirectObject):
        if node.idnum in seen:
            return
        seen.add(node.idnum)
        node = node.get_object()  # type: ignore[assignment]
    if isinstance(node, DictionaryObject):
        for key in _DROP:
            node.pop(key, None)
        if isinstance(node, StreamObject) and _is_jpeg(node):
            # The encoded bytes are the JPEG file itself: rewritten without its metadata
            # segments (pypdf's ``set_data`` re-encodes Flate streams only).
            node._data = _jpeg_without_metadata(node._data)
        for value in dict.values(node):
            _scrub(value, seen)
    elif isinstance(node, ArrayObject):
        for value in node:
            _scrub(value, seen)


def _is_jpeg(stream: StreamObject) -> bool:
    filters = stream.get("/Filter")
    if isinstance(filters, ArrayObject):
        if NameObject("/DCTDecode") in filters:
            # A JPEG inside another encoding: not worth the risk of a half-scrubbed picture.
            raise NotADocument("filters")
        return False
    return isinstance(stream, EncodedStreamObject) and filters == "/DCTDecode"


def _jpeg_without_metadata(data: bytes) -> bytes:
    """The JPEG's segments but APP1–APP13 and APP15 (EXIF, XMP, IPTC, ICC, makers' notes)
    and comments; APP0 (JFIF) and APP14 (Adobe's colour transform) are needed to draw it."""
    if data[:2] != b"\xff\xd8":
        raise NotADocument("jpeg")
    out = bytearray(data[:2])
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            raise NotADocument("jpeg")
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker == 0xDA:  # start of scan: the rest is the picture
            out += data[at:]
            return bytes(out)
        end = at + 2 + int.from_bytes(data[at + 2 : at + 4], "big")
        if not (0xE1 <= marker <= 0xEF and marker != 0xEE) and marker != 0xFE:
            out += data[at:end]
        at = end
    raise NotADocument("jpeg")
