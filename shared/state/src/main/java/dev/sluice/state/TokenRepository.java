package dev.sluice.state;

import dev.sluice.state.items.TokenItem;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Access tokens. The secret is shown once, at {@link #issue}; only its SHA-256 is stored, as the item key, so
 * {@link #verify} is one GetItem on the hash of what the caller presents.
 */
public final class TokenRepository {
    public static final String SECRET_PREFIX = "slc_";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A freshly issued token: {@code secret} is never stored and cannot be recovered. */
    public record Issued(String tokenId, String secret, TokenItem item) {}

    private final StateTables tables;
    private final Clock clock;

    public TokenRepository(StateTables tables, Clock clock) {
        this.tables = tables;
        this.clock = clock;
    }

    public static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Issued issue(String account, String name, Instant expiresAt) {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String secret = SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        TokenItem t = new TokenItem();
        t.setTokenHash(hash(secret));
        t.setTokenId(UUID.randomUUID().toString());
        t.setAccount(AccountRepository.nameKey(account));
        t.setCreatedAt(clock.millis());
        t.setName(name);
        t.setExpiresAt(expiresAt);
        t.setRevoked(false);
        tables.tokens.putItem(PutItemEnhancedRequest.builder(TokenItem.class).item(t)
                .conditionExpression(Expression.builder().expression("attribute_not_exists(tokenHash)").build()).build());
        return new Issued(t.getTokenId(), secret, t);
    }

    /** The token for a presented secret if it exists, is not revoked and has not expired. */
    public Optional<TokenItem> verify(String secret) {
        if (secret == null || !secret.startsWith(SECRET_PREFIX)) return Optional.empty();
        TokenItem t = tables.tokens.getItem(GetItemEnhancedRequest.builder()
                .key(Key.builder().partitionValue(hash(secret)).build()).consistentRead(true).build());
        if (t == null || Boolean.TRUE.equals(t.getRevoked())) return Optional.empty();
        if (t.getExpiresAt() != null && !t.getExpiresAt().isAfter(clock.instant())) return Optional.empty();
        return Optional.of(t);
    }

    /** An account's tokens, newest first (hashes only). */
    public List<TokenItem> byAccount(String account) {
        List<TokenItem> out = new ArrayList<>();
        tables.tokens.index(TokenItem.BY_ACCOUNT).query(QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.keyEqualTo(
                        Key.builder().partitionValue(AccountRepository.nameKey(account)).build()))
                .scanIndexForward(false).build()).forEach(p -> out.addAll(p.items()));
        return out;
    }

    /** Revokes an account's token by id; false if no such token. */
    public boolean revoke(String account, String tokenId) {
        for (TokenItem t : byAccount(account)) {
            if (t.getTokenId().equals(tokenId)) {
                t.setRevoked(true);
                try {
                    tables.tokens.putItem(PutItemEnhancedRequest.builder(TokenItem.class).item(t)
                            .conditionExpression(Expression.builder().expression("attribute_exists(tokenHash)").build()).build());
                    return true;
                } catch (ConditionalCheckFailedException gone) {
                    return false;
                }
            }
        }
        return false;
    }
}
