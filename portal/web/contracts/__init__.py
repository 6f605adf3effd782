from portal.web.contracts import contract_pages  # noqa: F401 - registers its routes on bp
from portal.web.contracts.views import bp

__all__ = ["bp"]
