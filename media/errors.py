"""The one error of the photo pipeline: a Dutch message for people and a code for programs."""

from __future__ import annotations

# HTTP status per code, so a thin endpoint can answer without a table of its own.
STATUS = {
    "empty": 400,
    "too_large": 413,
    "not_an_image": 415,
    "unsupported_format": 415,
    "too_many_pixels": 422,
    "too_much_memory": 422,
    "corrupt": 422,
    "invalid_key": 404,
    "unknown_variant": 404,
    "not_found": 404,
}


class PhotoError(Exception):
    """A photo was refused or could not be found.

    `message` is Dutch and names the problem, for the technician or the desk;
    `code` is a stable English identifier for programs and tests.
    """

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code

    @property
    def status(self) -> int:
        return STATUS.get(self.code, 400)

    def __repr__(self) -> str:
        return f"PhotoError({self.message!r}, {self.code!r})"
