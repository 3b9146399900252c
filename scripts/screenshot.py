"""Screenshot pages of a running Pathways server in Debian's Chromium (for looking, not testing).

.venv/bin/python scripts/screenshot.py http://127.0.0.1:8000/en/ screenshots/home.png [--login manager] [--width 390 --height 844]
"""

import argparse

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("output")
    parser.add_argument("--login", help="username to sign in as (demo password)")
    parser.add_argument("--password", default="pathways-demo")
    parser.add_argument("--width", type=int, default=390)
    parser.add_argument("--height", type=int, default=844)
    parser.add_argument("--full-page", action="store_true")
    args = parser.parse_args()
    base = args.url.split("/", 3)[:3]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": args.width, "height": args.height})
        if args.login:
            page.goto("/".join(base) + "/accounts/login/")
            page.fill("input[name=username]", args.login)
            page.fill("input[name=password]", args.password)
            with page.expect_navigation():
                page.click("main button[type=submit]")
        page.goto(args.url)
        page.screenshot(path=args.output, full_page=args.full_page)
        browser.close()


if __name__ == "__main__":
    main()
