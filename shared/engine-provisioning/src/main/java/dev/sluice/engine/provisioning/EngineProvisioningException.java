package dev.sluice.engine.provisioning;

/** An engine could not be started or deployed (bad configuration, a child JVM that never became healthy, ...). */
public class EngineProvisioningException extends RuntimeException {
    public EngineProvisioningException(String message) {
        super(message);
    }

    public EngineProvisioningException(String message, Throwable cause) {
        super(message, cause);
    }
}
