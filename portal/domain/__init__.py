"""The portal's rules: plain Python on models and values; no request, never commits."""


class DomainError(Exception):
    """A rule was broken. `code` is the iJw code where one applies; `message` is Dutch."""

    def __init__(self, message, code: str | None = None, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.field = field
