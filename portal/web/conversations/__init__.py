from portal.web.conversations.views import bp

__all__ = ["bp"]
