"""Checks on rendered HTML shared by the security and browser tests: what a
strict Content-Security-Policy (no 'unsafe-inline') would refuse to run."""

from html.parser import HTMLParser


def parse_csp(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


class InlineCodeFinder(HTMLParser):
    """Collects inline <script> bodies, on* handler attributes and style
    attributes: anything a strict CSP would refuse to run or apply."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        names = {name.lower(): value for name, value in attrs}
        for name in names:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> inline event handler")
            if name == "style":
                self.problems.append(f"<{tag} style=...> inline style attribute")
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "a" and (names.get("href") or "").strip().lower().startswith("javascript:"):
            self.problems.append("javascript: link")
        script_type = (names.get("type") or "").lower()
        # JSON data islands (type=application/json) are data, not script.
        self._in_inline_script = (
            tag == "script" and "src" not in names and script_type != "application/json"
        )

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline_script = False

    def handle_data(self, data):
        if self._in_inline_script and data.strip():
            self.problems.append(f"inline <script> body: {data.strip()[:80]!r}")


def inline_code_in(html: str) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(html)
    return finder.problems
