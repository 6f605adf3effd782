from portal.web.door import answers, refusals  # noqa: F401 - register their routes
from portal.web.door.views import bp, install_session_interface

__all__ = ["bp", "install_session_interface"]
