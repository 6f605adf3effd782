from portal.web.door import answers  # noqa: F401 - registers the answer download
from portal.web.door.views import bp, install_session_interface

__all__ = ["bp", "install_session_interface"]
