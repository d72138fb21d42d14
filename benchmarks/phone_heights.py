"""How tall the opportunity finder's results are on a phone (390 px wide), in Chromium.

    python benchmarks/phone_heights.py SITE_DIR

Serves a built site (python build.py build --out SITE_DIR) on a free port and prints, for a few
supplier profiles, the height in CSS pixels of the results section (#svm-results) and of the
whole page, and where the home page's "Find opportunities" link sits (above the fold is < 844).
Figures are recorded in benchmarks/phone.md.
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

PROFILES = {
    "Norwich, free advice, IT": "offer=professional-advice&area=norwich&subject=IT+support",
    "anywhere, donations": "offer=money&area=norfolk",
    "anywhere, every kind of help": "offer=money&offer=volunteering&offer=professional-advice"
    "&offer=in-kind&offer=jobs&offer=training&offer=supply-chain&area=norfolk",
}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib's name
        pass


def main(site: Path) -> None:
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium")
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(url)
        link = page.get_by_role("link", name="Find opportunities").first
        print(f"home: 'Find opportunities' top at {link.bounding_box()['y']:.0f} px")
        for name, query in PROFILES.items():
            page.goto(url + "match/?" + query)
            page.wait_for_selector("#svm-results[data-state=done]")
            results = page.locator("#svm-results").bounding_box()["height"]
            whole = page.evaluate("document.documentElement.scrollHeight")
            print(f"{name}: results {results:.0f} px, page {whole} px")
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
