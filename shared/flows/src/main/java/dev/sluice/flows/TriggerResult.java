package dev.sluice.flows;

/** A manual trigger's answer: the task the flow runs, and whether this request created it (false: one was active). */
public record TriggerResult(TaskView task, boolean created) {}
