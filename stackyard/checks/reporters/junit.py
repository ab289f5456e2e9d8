"""JUnit XML, one testcase per check, for CI systems that show test reports."""

from __future__ import annotations

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
    suite = TestSuite("stackyard verify", cases, timestamp=None)
    return to_xml_report_string([suite], prettyprint=True)
