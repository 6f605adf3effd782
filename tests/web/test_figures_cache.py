"""The dashboards' figures are kept for DASHBOARD_CACHE_SECONDS, and not at all with 0."""

from portal.web.dashboard.figures_cache import remembered


def test_figures_are_kept_for_the_configured_time_only(app, monkeypatch):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    monkeypatch.setitem(app.config, "DASHBOARD_CACHE_SECONDS", 60)
    first, computed_at = remembered(("test", "kept"), compute)
    assert remembered(("test", "kept"), compute) == (first, computed_at)
    assert calls == [1]
    monkeypatch.setitem(app.config, "DASHBOARD_CACHE_SECONDS", 0)
    assert remembered(("test", "kept"), compute)[0] == 2
