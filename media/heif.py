"""HEIC/HEIF support through the pillow-heif plugin, registered once for the process."""

from __future__ import annotations

import threading

from pillow_heif import register_heif_opener

_lock = threading.Lock()
_registered = False


def register() -> None:
    """Teach Pillow to open HEIC/HEIF (iPhone photos).

    Embedded thumbnails, depth maps and auxiliary images are switched off: only the primary
    image is used, and decoding the rest would cost time and memory for nothing.
    """
    global _registered
    with _lock:
        if not _registered:
            register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)
            _registered = True
