"""Domain errors raised by services; pages and the API each turn them into a response."""


class ServiceError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message, *, code=None, fields=None, retry_after=None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.fields = fields or {}
        self.retry_after = retry_after


class NotFound(ServiceError):
    status = 404
    code = "not_found"


class Forbidden(ServiceError):
    status = 403
    code = "forbidden"


class Conflict(ServiceError):
    status = 409
    code = "conflict"


class Invalid(ServiceError):
    status = 422
    code = "invalid"


class RateLimited(ServiceError):
    status = 429
    code = "rate_limited"
