"""Browser tests: Playwright (sync API) driving Debian's Chromium against
pytest-django's ``live_server``, with axe-core checking every page visited.

- Chromium comes from the system (``CHROMIUM_PATH`` or ``chromium`` on PATH);
  browsers are never downloaded. Missing Chromium skips these tests locally
  with a reason, and fails them under ``CI=true`` where it must be present.
- ``live_server`` runs in this process, so mail lands in
  ``django.core.mail.outbox`` (locmem) and tests read verification links there.
- Playwright's sync API keeps an event loop running in the main thread while
  it is started, which makes Django refuse ORM calls from test code ("async
  unsafe") and would break ``async_to_sync`` in other tests. So Playwright is
  started per test module (after the test database exists), and
  DJANGO_ALLOW_ASYNC_UNSAFE is set only while it runs.
"""

import os
import shutil
from pathlib import Path

import pytest

from tests import factories
from tests.security.html_checks import inline_code_in, parse_csp

IN_CI = os.environ.get("CI", "").lower() == "true"
AXE_PATH = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """The system Chromium: CHROMIUM_PATH if set (and executable), else PATH."""
    configured = os.environ.get("CHROMIUM_PATH", "")
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    return shutil.which("chromium")


def _unavailable(reason: str):
    if IN_CI:
        pytest.fail(f"CI=true but browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser(django_db_setup, django_db_blocker):
    executable = chromium_path()
    if executable is None:
        _unavailable("Chromium not found: install Debian's chromium or set CHROMIUM_PATH")
    if not AXE_PATH.exists():
        _unavailable(f"axe-core missing at {AXE_PATH}: run `npm install`")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - test extras not installed
        _unavailable("playwright is not installed: pip install -e '.[test]'")
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(live_server, transactional_db, browser, settings):
    """A fresh browser tab (own cookies) pointed at the live server, which is
    also the site's ``SITE_URL``, so links in e-mails lead back to it.

    ``bypass_csp`` lets the axe helper inject axe-core; the pages' own CSP is
    still sent and is checked by tests/security on the raw responses.
    """
    settings.SITE_URL = live_server.url
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, locale="en-GB")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


def current_totp_code(user) -> str:
    """The code an authenticator app would show ``user`` now (never one about
    to expire: see tests.factories.totp_code_for_secret)."""
    return factories.current_totp_code(user)


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"axe-core found {len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"- [{violation['impact']}] {violation['id']}: {violation['help']}"
            f" ({violation['helpUrl']})"
        )
        for node in violation["nodes"][:5]:
            target = ", ".join(str(t) for t in node.get("target", []))
            lines.append(f"    at {target}")
            lines.append(f"       {node.get('html', '')[:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"       {summary[:300]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    ... and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


def run_axe(page) -> list[dict]:
    """Inject axe-core into ``page`` and return its WCAG 2.2 AA violations."""
    page.add_script_tag(path=str(AXE_PATH))
    return page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({
                    target: n.target, html: n.html, failureSummary: n.failureSummary,
                })),
            }));
        }""",
        AXE_TAGS,
    )


def assert_served_under_strict_csp(page) -> None:
    """The current page, fetched again as sent by the server (the browser
    context bypasses CSP for axe), has a CSP without 'unsafe-inline' and no
    inline script, event handler or style attribute for that CSP to block."""
    response = page.context.request.get(page.url, max_redirects=0)
    try:
        if response.status >= 300 and response.status < 400:
            return  # the page moved on (e.g. a one-time link); checked where it lands
        policy = response.headers.get("content-security-policy", "")
        assert policy, f"{page.url} was sent without a Content-Security-Policy"
        assert "'unsafe-inline'" not in policy, f"{page.url}: {policy}"
        assert "'unsafe-inline'" not in str(parse_csp(policy).get("script-src"))
        problems = inline_code_in(response.text())
        assert not problems, f"{page.url} has inline code CSP blocks:\n" + "\n".join(problems)
    finally:
        response.dispose()


REFLOW_WIDTH = 320  # WCAG 1.4.10: content reflows at 320 CSS pixels
CLS_LIMIT = 0.1  # Core Web Vitals: "good" cumulative layout shift

# Layout shifts the page has had since it loaded (buffered, so those before
# this script ran count too), less those just after a person's input.
_LAYOUT_SHIFT_JS = """() => new Promise((resolve) => {
    let total = 0;
    const sources = [];
    const observer = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
            if (entry.hadRecentInput) continue;
            total += entry.value;
            for (const source of entry.sources || []) {
                const node = source.node;
                sources.push(node && node.nodeType === 1
                    ? node.tagName.toLowerCase() + (node.id ? "#" + node.id : "")
                      + (node.className && typeof node.className === "string"
                         ? "." + node.className.trim().split(/\\s+/).join(".") : "")
                    : String(node && node.nodeName));
            }
        }
    });
    observer.observe({type: "layout-shift", buffered: true});
    // Buffered entries are delivered in a task of their own: wait for it.
    setTimeout(() => { observer.disconnect(); resolve({total, sources}); }, 50);
})"""

_OVERFLOW_JS = """() => {
    const width = window.innerWidth;
    const wide = [];
    // Inside a scroll region (overflow-x auto/hidden) an element may be wider.
    const clipped = (el) => {
        for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
            if (getComputedStyle(up).overflowX !== "visible") return true;
        }
        return false;
    };
    for (const el of document.querySelectorAll("body *")) {
        const box = el.getBoundingClientRect();
        if (box.right > width + 1 && el.offsetParent !== null && !clipped(el)) {
            // Only the outermost element that overflows: its children follow it.
            if (!wide.some((outer) => outer.contains(el))) wide.push(el);
        }
    }
    return {
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: width,
        wide: wide.slice(0, 5).map((el) => el.outerHTML.slice(0, 160)),
    };
}"""


def layout_shift(page) -> dict:
    """The page's cumulative layout shift so far and which elements moved."""
    return page.evaluate(_LAYOUT_SHIFT_JS)


def assert_layout_is_stable(page) -> None:
    """The page has not shifted its layout by 0.1 or more since it loaded."""
    shift = layout_shift(page)
    assert shift["total"] < CLS_LIMIT, (
        f"{page.url} shifted its layout by {shift['total']:.3f} after load"
        f" (moved: {', '.join(sorted(set(shift['sources']))) or 'unknown'})"
    )


def assert_reflows_at_320(page) -> None:
    """At 320 CSS pixels wide the page needs no horizontal scrolling (WCAG
    1.4.10); wide tables scroll inside their own region instead. The tab is
    put back to the size it had, so the test goes on as it was."""
    before = page.viewport_size
    page.set_viewport_size({"width": REFLOW_WIDTH, "height": before["height"] if before else 720})
    try:
        measured = page.evaluate(_OVERFLOW_JS)
    finally:
        if before:
            page.set_viewport_size(before)
    assert measured["scrollWidth"] <= measured["innerWidth"], (
        f"{page.url} scrolls sideways at {REFLOW_WIDTH}px: it is {measured['scrollWidth']}px"
        " wide. Too wide:\n" + "\n".join(measured["wide"])
    )


@pytest.fixture
def axe():
    """``axe(page)`` asserts the page in its current state has no WCAG 2.2 AA
    violations, listing each one readably if it has, that the page is served
    under a strict CSP with no inline code, that its layout has not shifted
    by 0.1 or more since it loaded, and that it reflows at 320 CSS pixels
    without horizontal scrolling. Every page an e2e test checks gets all four."""

    def _check(page) -> None:
        assert_layout_is_stable(page)
        violations = run_axe(page)
        assert not violations, format_violations(page.url, violations)
        assert_served_under_strict_csp(page)
        assert_reflows_at_320(page)

    return _check


@pytest.fixture
def new_page(browser, live_server):
    """Another person's browser: a separate context with its own cookies."""
    contexts = []

    def _open():
        context = browser.new_context(base_url=live_server.url, bypass_csp=True, locale="en-GB")
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()
