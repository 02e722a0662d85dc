package dev.sluice.storage;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * Where an {@link S3ObjectStore} lives and how to reach it.
 *
 * <p>Parsed from {@code s3://bucket[/prefix][?endpoint=http://host:port&region=eu-west-1&pathStyle=true]}.
 * Without an endpoint the AWS default endpoint for the region is used; with one (MinIO, s3proxy, …) path-style
 * addressing is the default. Credentials are not part of the URI: they come from the AWS default provider chain
 * unless {@link #withCredentials} sets static ones (tests, local servers).
 *
 * @param bucket bucket name
 * @param prefix key prefix inside the bucket, "" or ending with '/'
 * @param endpoint endpoint override, or null for AWS
 * @param region region name, or null for the SDK's default region chain (us-east-1 when an endpoint is set)
 * @param pathStyle force path-style addressing ({@code http://host/bucket/key})
 * @param accessKeyId static access key id, or null
 * @param secretAccessKey static secret, or null
 */
public record S3Config(String bucket, String prefix, URI endpoint, String region, boolean pathStyle,
                       String accessKeyId, String secretAccessKey) {

    public S3Config {
        Objects.requireNonNull(bucket, "bucket");
        if (bucket.isEmpty() || bucket.contains("/")) {
            throw new IllegalArgumentException("Invalid S3 bucket name '" + bucket + "'");
        }
        prefix = normalizePrefix(prefix == null ? "" : prefix);
        if ((accessKeyId == null) != (secretAccessKey == null)) {
            throw new IllegalArgumentException("Set both accessKeyId and secretAccessKey, or neither");
        }
    }

    /** Parses {@code s3://bucket/prefix?endpoint=…&region=…&pathStyle=…}. */
    public static S3Config parse(String uri) {
        URI parsed = URI.create(uri);
        if (!"s3".equalsIgnoreCase(parsed.getScheme()) || parsed.getAuthority() == null) {
            throw new IllegalArgumentException("Expected s3://bucket[/prefix], got '" + uri + "'");
        }
        URI endpoint = null;
        String region = null;
        Boolean pathStyle = null;
        if (parsed.getRawQuery() != null) {
            for (String pair : parsed.getRawQuery().split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                switch (name) {
                    case "endpoint" -> endpoint = URI.create(value);
                    case "region" -> region = value;
                    case "pathStyle" -> pathStyle = parseBoolean(name, value);
                    default -> throw new IllegalArgumentException("Unknown S3 URI parameter '" + name + "' in " + uri);
                }
            }
        }
        String path = parsed.getPath() == null ? "" : parsed.getPath();
        return new S3Config(parsed.getAuthority(), path, endpoint, region,
                pathStyle != null ? pathStyle : endpoint != null, null, null);
    }

    public S3Config withEndpoint(URI newEndpoint) {
        return new S3Config(bucket, prefix, newEndpoint, region, pathStyle, accessKeyId, secretAccessKey);
    }

    public S3Config withCredentials(String newAccessKeyId, String newSecretAccessKey) {
        return new S3Config(bucket, prefix, endpoint, region, pathStyle, newAccessKeyId, newSecretAccessKey);
    }

    public S3Config withPathStyle(boolean newPathStyle) {
        return new S3Config(bucket, prefix, endpoint, region, newPathStyle, accessKeyId, secretAccessKey);
    }

    /** {@code s3://bucket/prefix}, no query parameters. */
    public String location() {
        return prefix.isEmpty() ? "s3://" + bucket : "s3://" + bucket + "/" + prefix.substring(0, prefix.length() - 1);
    }

    @Override
    public String toString() {
        // Never print the secret.
        return "S3Config[" + location() + (endpoint != null ? ", endpoint=" + endpoint : "")
                + (region != null ? ", region=" + region : "") + ", pathStyle=" + pathStyle
                + (accessKeyId != null ? ", staticCredentials" : "") + "]";
    }

    static String normalizePrefix(String prefix) {
        String p = prefix;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        if (p.isEmpty()) {
            return "";
        }
        if (!p.endsWith("/")) {
            p = p + "/";
        }
        return Keys.requireValidPrefix(p);
    }

    private static boolean parseBoolean(String name, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("S3 URI parameter " + name + " must be true or false");
        };
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
