package dev.sluice.fn.common;

/**
 * The JSON body of every error response: HTTP status, a stable machine-readable {@code error} code and a message
 * naming the problem (never a stack trace).
 */
public record ApiError(int status, String error, String message) {}
