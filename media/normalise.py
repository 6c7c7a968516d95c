"""Turn a decoded photo into what is stored: upright, sRGB, RGB, and without any metadata.

Nothing from the source file survives but the pixels: EXIF (with GPS position, camera serial
and time), XMP, comments and embedded thumbnails are dropped. The colour profile is applied
(converted to sRGB) and then dropped too, since sRGB is what browsers assume without one.
"""

from __future__ import annotations

import io
import logging

from PIL import Image, ImageCms, ImageOps

log = logging.getLogger(__name__)

_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
_BACKGROUND = (255, 255, 255)


def normalise(image: Image.Image) -> Image.Image:
    """`image` upright, RGB, sRGB, with an empty `info` (no metadata left to write).

    `image` is consumed: it may be changed in place and returned, which spares a copy of a
    photo that can be 150 MB in memory.
    """
    icc = image.info.get("icc_profile")
    _upright(image)
    flat = _flatten(image)
    rgb = _to_srgb(flat, icc) if icc else flat
    if rgb.mode != "RGB":
        rgb = rgb.convert("RGB")
    rgb.info = {}
    return rgb


def _upright(image: Image.Image) -> None:
    try:
        ImageOps.exif_transpose(image, in_place=True)
    except Exception as exc:  # Unreadable EXIF is the sender's metadata, not a bad photo.
        log.info("EXIF orientation ignored: %s", exc)


def _flatten(image: Image.Image) -> Image.Image:
    """Remove transparency (onto white, like a page) and bring 16-bit grey down to 8 bits."""
    if image.mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, _BACKGROUND)
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    if image.mode.startswith("I"):
        # Pillow clips 16-bit values to 255 on convert("L"); scale them instead.
        return image.convert("I").point(lambda value: value / 256).convert("L")
    return image


def _to_srgb(image: Image.Image, icc: bytes) -> Image.Image:
    if image.mode not in ("RGB", "CMYK"):
        return image
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if image.mode == "RGB" and "srgb" in ImageCms.getProfileDescription(profile).lower():
            return image
        converted = ImageCms.profileToProfile(
            image, profile, _SRGB, renderingIntent=ImageCms.Intent.PERCEPTUAL, outputMode="RGB"
        )
    except (ImageCms.PyCMSError, OSError, ValueError) as exc:
        # A broken or mismatched profile: the pixels as they are beat refusing the photo.
        log.info("colour profile ignored: %s", exc)
        return image
    assert converted is not None  # profileToProfile returns None only with inPlace=True
    return converted
