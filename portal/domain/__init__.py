"""The portal's rules: plain Python on models and values; no request, never commits."""


def code_label(code) -> str | None:
    """A code list member as people quote it: e.g. 'WJ759 6' or 'WJ001 9307'."""
    return f"{type(code).__name__} {code.value}" if code else None


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
        return code_label(self.code)

    def __str__(self) -> str:
        text = str(self.message)
        return f"{text} ({self.code_label})" if self.code else text
