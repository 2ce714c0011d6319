package io.distillguard.policy;

/**
 * Why a rule fired: which rule, on which signal, the observed value and the threshold it crossed.
 * Serialized into the escalation webhook as {@code {"rule","signal","value","threshold"}}.
 */
public record Reason(String rule, String signal, double value, double threshold) {}
