package dev.sluice.flows;

/** A flow configuration (trigger, cron expression, retry or stop policy, priority) that is not valid: bad input. */
public class FlowConfigException extends IllegalArgumentException {
    public FlowConfigException(String message) {
        super(message);
    }
}
