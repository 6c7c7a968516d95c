"""Errors that carry an HTTP status and a message naming the bad value."""

from __future__ import annotations


class AppError(Exception):
    status = 400

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class BadRequest(AppError):
    status = 400


class Unauthorized(AppError):
    status = 401


class Forbidden(AppError):
    status = 403


class NotFound(AppError):
    status = 404


class RequestTimeout(AppError):
    status = 408


class Conflict(AppError):
    status = 409


class PayloadTooLarge(AppError):
    status = 413


class Unprocessable(AppError):
    status = 422


class TooManyRequests(AppError):
    status = 429

    def __init__(self, message: str, field: str | None = None, retry_after: int = 0) -> None:
        super().__init__(message, field)
        # Seconds until trying again can succeed (the Retry-After header); 0: not known.
        self.retry_after = retry_after
