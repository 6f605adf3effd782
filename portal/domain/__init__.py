"""The portal's rules: plain Python on models and values; no request, never commits."""


class DomainError(Exception):
    """A rule was broken: a Dutch `message`, the iJw `code` (a code list member) where one
    applies, and the form `field` it concerns where there is one."""

    def __init__(self, message, code=None, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.field = field

    @property
    def code_label(self) -> str | None:
        """E.g. 'WJ759 6' or 'WJ001 9307'."""
        return f"{type(self.code).__name__} {self.code.value}" if self.code else None

    def __str__(self) -> str:
        text = str(self.message)
        return f"{text} ({self.code_label})" if self.code else text
