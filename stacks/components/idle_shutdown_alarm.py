"""flambé's auto-shutdown: an alarm that stops (or terminates) an instance whose CPU has idled for its timeout."""

from __future__ import annotations

from dataclasses import dataclass

from constructs import Construct

from stacks.engine.aws.cloudwatch_metric_alarm import CloudwatchMetricAlarm

# flambé's thresholds (flambe/cluster/aws.py): an orchestrator idles below 4 % CPU, a factory below 0.5 %.
IDLE_CPU_PERCENT = {"orchestrator": 4.0, "factory": 0.5}
# CloudWatch allows period x evaluation periods of at most one day for periods under an hour.
FIVE_MINUTES = 300
ONE_HOUR = 3600


def alarm_window(timeout_hours: int) -> tuple[int, int]:
    """(period seconds, evaluation periods) covering the timeout; 0 hours means five minutes, as in flambé."""
    if timeout_hours == 0:
        return FIVE_MINUTES, 1
    if timeout_hours <= 24:
        return FIVE_MINUTES, timeout_hours * 12
    return ONE_HOUR, timeout_hours


@dataclass(frozen=True)
class IdleShutdownAlarmProps:
    alarm_name: str
    """Stable name, derived from the instance's name."""
    instance_id: str
    """Instance watched and acted on."""
    role: str
    """orchestrator or factory: picks flambé's CPU threshold."""
    timeout_hours: int
    """Idle time before the action (0: five minutes)."""
    action_arn: str
    """arn:<partition>:automate:<region>:ec2:stop (or :terminate)."""


class IdleShutdownAlarm(Construct):
    """Average CPUUtilization below flambé's threshold for the whole timeout -> the EC2 action."""

    def __init__(self, scope: Construct, id: str, props: IdleShutdownAlarmProps):
        super().__init__(scope, id)
        period, evaluation_periods = alarm_window(props.timeout_hours)
        threshold = IDLE_CPU_PERCENT[props.role]
        idle_for = f"{props.timeout_hours} h" if props.timeout_hours else "five minutes"
        self.alarm = CloudwatchMetricAlarm(
            self,
            "alarm",
            alarm_name=props.alarm_name,
            alarm_description=f"Idle {props.role}: average CPU below {threshold}% for {idle_for}",
            namespace="AWS/EC2",
            metric_name="CPUUtilization",
            dimensions={"InstanceId": props.instance_id},
            statistic="Average",
            comparison_operator="LessThanThreshold",
            threshold=threshold,
            period=period,
            evaluation_periods=evaluation_periods,
            unit="Percent",
            alarm_actions=[props.action_arn],
        )
