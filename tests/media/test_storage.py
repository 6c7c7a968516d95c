"""Content-addressed storage: layout, idempotency, atomic writes, keys that cannot escape."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path, PurePosixPath

import pytest
from PIL import Image

from media import PhotoError, delete, open_path, store, validate_key
from media.storage import relative_path, write_once

from .images import photo


def _files(root: Path) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def test_layout_and_result(tmp_path: Path) -> None:
    stored = store(tmp_path, photo("JPEG", (2000, 1000), quality=90))
    key = stored.key

    original = tmp_path / key[:2] / key[2:4] / f"{key}.jpg"
    assert stored.path == f"{key[:2]}/{key[2:4]}/{key}.jpg"
    assert stored.derivatives == {
        "screen": f"{key[:2]}/{key[2:4]}/{key}-screen.jpg",
        "thumb": f"{key[:2]}/{key[2:4]}/{key}-thumb.jpg",
    }
    assert _files(tmp_path) == sorted([stored.path, *stored.derivatives.values()])
    assert stored.sha256 == key == hashlib.sha256(original.read_bytes()).hexdigest()
    assert stored.bytes == original.stat().st_size
    assert (stored.width, stored.height) == (2000, 1000)
    assert stored.created is True


@pytest.mark.parametrize(
    ("size", "screen", "thumb"),
    [
        ((4000, 3000), (1600, 1200), (320, 240)),
        ((1000, 3000), (533, 1600), (107, 320)),
        ((640, 480), (640, 480), (320, 240)),
        ((40, 20), (40, 20), (40, 20)),
    ],
)
def test_derivatives_fit_their_long_side_and_are_never_enlarged(
    size: tuple[int, int], screen: tuple[int, int], thumb: tuple[int, int], tmp_path: Path
) -> None:
    stored = store(tmp_path, photo("PNG", size))

    for variant, expected in (("screen", screen), ("thumb", thumb)):
        with Image.open(tmp_path / stored.derivatives[variant]) as image:
            assert (image.format, image.size) == ("JPEG", expected)


def test_storing_again_writes_nothing_and_returns_the_same_key(tmp_path: Path) -> None:
    data = photo("JPEG", (300, 200))
    first = store(tmp_path, data)
    times = {path: path.stat().st_mtime_ns for path in tmp_path.rglob("*.jpg")}

    again = store(tmp_path, data)

    assert again == first.__class__(**{**first.__dict__, "created": False})
    assert {path: path.stat().st_mtime_ns for path in tmp_path.rglob("*.jpg")} == times


def test_a_missing_derivative_is_made_again(tmp_path: Path) -> None:
    first = store(tmp_path, photo("JPEG", (300, 200)))
    (tmp_path / first.derivatives["thumb"]).unlink()

    again = store(tmp_path, photo("JPEG", (300, 200)))

    assert again.created is True
    assert (tmp_path / first.derivatives["thumb"]).is_file()


def test_concurrent_stores_of_one_photo_agree(tmp_path: Path) -> None:
    data = photo("JPEG", (1200, 900))
    keys: list[str] = []

    def run() -> None:
        keys.append(store(tmp_path, data).key)

    threads = [threading.Thread(target=run) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(keys) == 8 and len(set(keys)) == 1
    assert len(_files(tmp_path)) == 3


def test_no_temporary_file_is_left_when_a_write_fails(tmp_path: Path) -> None:
    target = PurePosixPath("ab", "cd", "taken")
    (tmp_path / target).mkdir(parents=True)  # os.replace cannot put a file over a directory

    with pytest.raises(OSError):
        write_once(tmp_path, target, b"data")

    assert _files(tmp_path) == []


def test_a_refused_photo_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(PhotoError):
        store(tmp_path, photo("JPEG", (300, 200))[:-100])

    assert _files(tmp_path) == []


@pytest.mark.parametrize(
    "key",
    [
        "../etc/passwd",
        "../../../../etc/passwd",
        "",
        "ab/cd",
        "A" * 64,
        "0" * 63,
        "0" * 65,
        "0" * 64 + "\n",
        "0" * 62 + "/x",
        "g" * 64,
        "%2e%2e%2f" + "0" * 55,
    ],
)
def test_keys_that_are_not_sha256_hex_are_refused(key: str, tmp_path: Path) -> None:
    with pytest.raises(PhotoError) as caught:
        open_path(tmp_path, key)

    assert (caught.value.message, caught.value.code) == ("Ongeldige fotosleutel", "invalid_key")
    with pytest.raises(PhotoError, match="Ongeldige fotosleutel"):
        delete(tmp_path, key)


def test_open_path(tmp_path: Path) -> None:
    stored = store(tmp_path, photo("JPEG", (300, 200)))

    assert open_path(tmp_path, stored.key) == tmp_path / stored.path
    assert open_path(tmp_path, stored.key, "thumb") == tmp_path / stored.derivatives["thumb"]
    assert validate_key(stored.key) == stored.key


def test_open_path_of_an_unknown_variant(tmp_path: Path) -> None:
    with pytest.raises(PhotoError) as caught:
        open_path(tmp_path, "0" * 64, "../../secret")

    assert caught.value.message == (
        "Onbekende fotovariant: '../../secret' (bekend: original, screen, thumb)"
    )
    assert caught.value.code == "unknown_variant"


def test_open_path_of_a_photo_that_is_not_there(tmp_path: Path) -> None:
    with pytest.raises(PhotoError) as caught:
        open_path(tmp_path, "0" * 64, "screen")

    assert (caught.value.message, caught.value.code, caught.value.status) == (
        "Foto niet gevonden",
        "not_found",
        404,
    )


def test_delete_removes_every_variant(tmp_path: Path) -> None:
    stored = store(tmp_path, photo("JPEG", (300, 200)))

    assert delete(tmp_path, stored.key) is True
    assert delete(tmp_path, stored.key) is False
    assert _files(tmp_path) == []


def test_relative_paths_are_posix_and_inside_the_root() -> None:
    key = "ab" + "c" * 62

    assert str(relative_path(key, "screen")) == f"ab/cc/{key}-screen.jpg"
