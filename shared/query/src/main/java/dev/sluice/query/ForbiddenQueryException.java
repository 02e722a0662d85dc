package dev.sluice.query;

/**
 * The query is valid SQL but does something the sandbox does not allow: more than one statement, a statement other
 * than a query, file/URL/catalog table functions, settings or environment snooping, qualified catalog names → 400
 * (a client error, not an authorization failure).
 */
public final class ForbiddenQueryException extends QueryException {
    public ForbiddenQueryException(String message) {
        super(message);
    }

    @Override
    public int httpStatus() {
        return 400;
    }
}
