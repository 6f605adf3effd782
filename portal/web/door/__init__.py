from portal.web.door.views import bp, install_session_interface

__all__ = ["bp", "install_session_interface"]
