"""JUnit XML, one testcase per check, for CI systems that show test reports."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from junit_xml import TestCase, TestSuite, to_xml_report_string

from stackyard.checks.core.base import Status
from stackyard.checks.core.runner import VerifyReport


def render_junit(report: VerifyReport) -> str:
    cases = []
    for result in report.results:
        case = TestCase(
            name=result.id,
            classname=f"stackyard.verify.seed{result.seed}",
            elapsed_sec=result.duration_s,
            stdout=f"{result.title} (severity {result.severity.value}): {result.detail}",
        )
        fix = f"fix: {result.remediation}"
        if result.status is Status.FAIL:
            case.add_failure_info(message=result.detail, output=fix, failure_type="CheckFailed")
        elif result.status is Status.ERROR:
            case.add_error_info(message=result.detail, output=fix, error_type="CheckError")
        elif result.status is Status.SKIP:
            case.add_skipped_info(message=result.detail)
        cases.append(case)
    suite = TestSuite("stackyard verify", cases, timestamp=None, properties={"endpoint": report.target})
    document = ET.fromstring(to_xml_report_string([suite]))
    # junit-xml sums the cases' times; they run at once, so the suite took the run's wall time.
    wall = f"{report.duration_s:.6f}"
    document.set("time", wall)
    for element in document.iter("testsuite"):
        element.set("time", wall)
    ET.indent(document)
    return ET.tostring(document, encoding="unicode", xml_declaration=True) + "\n"
