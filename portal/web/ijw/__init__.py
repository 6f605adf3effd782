from portal.web.ijw.views import bp

__all__ = ["bp"]
