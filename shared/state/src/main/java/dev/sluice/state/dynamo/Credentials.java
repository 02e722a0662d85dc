package dev.sluice.state.dynamo;

import java.util.Objects;

/** AWS signing credentials; {@link #toString()} never shows the secret or the session token. */
public record Credentials(String accessKeyId, String secretAccessKey, String sessionToken) {
    public Credentials {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        if (sessionToken != null && sessionToken.isEmpty()) sessionToken = null;
    }

    @Override
    public String toString() {
        return "Credentials[" + accessKeyId + ", secret hidden" + (sessionToken != null ? ", with session token" : "") + "]";
    }
}
