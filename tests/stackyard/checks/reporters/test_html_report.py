"""`verify --format html` against a real deployment in moto, opened by headless Chromium (Debian's chromium): the
rendered page holds every check id with its status, the summary bar's counts, no secret and no outside asset; a
screenshot is taken of it as a reader sees it."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from html.parser import HTMLParser

import pytest

from stackyard.checks import check_ids
from stackyard.checks.core.base import CheckResult, Severity, Status
from stackyard.checks.core.runner import VerifyReport
from stackyard.checks.reporters.html_report import render_html
from tests.stackyard.test_verify import queue_arguments
from tests.support.deployed import REDIS_PASSWORD, run_verify

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def chromium(*arguments: str) -> subprocess.CompletedProcess[str]:
    if CHROMIUM is None:
        pytest.fail("chromium is not installed: run `make install` (it installs Debian's chromium)")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]
    return subprocess.run([CHROMIUM, *flags, *arguments], capture_output=True, text=True, timeout=120)


class Text(HTMLParser):
    """The page's visible text, in order."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in ("style", "script", "title")

    def handle_endtag(self, tag):
        self.hidden -= tag in ("style", "script", "title")

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.parts.append(data.strip())


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def test_the_html_report_renders_in_a_real_browser(deployed, queue_redis, tls_files, tmp_path):
    report = tmp_path / "reports" / "verify.html"
    # store-tls-only fails in moto (no bucket policy) and cluster-ssh is skipped: three colours on one page.
    result = run_verify(
        deployed, "--format", "html", "--output-file", str(report), "--skip", "cluster-ssh",
        *queue_arguments(queue_redis, tls_files),
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    html = report.read_text()
    assert not re.search(r"""(src|href)\s*=|url\(|@import""", html), "self-contained: no outside asset"
    secret = deployed.outputs()["data"]["secret_access_key"]
    assert secret not in html and REDIS_PASSWORD not in html

    dom = chromium("--dump-dom", report.as_uri())
    assert dom.returncode == 0 and "<table>" in dom.stdout, dom.stderr[-2000:]
    page = Text()
    page.feed(dom.stdout)
    text = " ".join(page.parts)
    rows = re.findall(r'<tr id="([\w-]+)">.*?class="status"[^>]*>(\w+)<', dom.stdout, re.S)
    assert [check for check, _ in rows] == list(check_ids()), "a row per check, in the report's order"
    statuses = dict(rows)
    assert statuses["store-tls-only"] == "FAIL" and statuses["cluster-ssh"] == "SKIP"
    assert statuses["store-round-trip"] == "PASS"
    for check, status in rows:
        assert check in text and status in text
    passed = sum(status == "PASS" for status in statuses.values())
    assert f"{passed} PASS" in text and "1 FAIL" in text and "some checks failed" in text
    assert "fix: Restore the bucket policy" in text, "a failure shows its remediation"

    screenshot = tmp_path / "verify.png"
    shot = chromium(f"--screenshot={screenshot}", "--window-size=1280,2400", report.as_uri())
    assert shot.returncode == 0, shot.stderr[-2000:]
    assert png_size(screenshot.read_bytes()) == (1280, 2400)
    assert screenshot.stat().st_size > 50_000, "a page with content, not a blank one"


def _result(check_id: str, status: Status, severity: Severity = Severity.HIGH) -> CheckResult:
    return CheckResult(check_id, check_id, "000", severity, "fix it", status, "detail", 0.1)


@pytest.mark.parametrize(
    ("statuses", "headline"),
    [
        ([Status.PASS, Status.PASS], "all checks passed"),
        ([Status.PASS, Status.SKIP], "no check failed, 1 skipped"),
        ([Status.PASS, Status.SKIP, "critical-skip"], "no check failed, 2 skipped (1 critical: check-2)"),
        ([Status.PASS, Status.FAIL, Status.SKIP], "some checks failed"),
        ([Status.ERROR], "some checks failed"),
    ],
)
def test_the_headline_says_all_passed_only_when_every_check_ran_and_passed(statuses, headline):
    results = [
        _result(f"check-{index}", Status.SKIP, Severity.CRITICAL)
        if status == "critical-skip"
        else _result(f"check-{index}", status)
        for index, status in enumerate(statuses)
    ]
    page = render_html(VerifyReport(results, 1.0))
    assert f"<h1>stackyard verify: {headline}</h1>" in page
    assert f"<title>stackyard verify: {headline}</title>" in page
