package dev.sluice.state.items;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondarySortKey;
import java.time.Instant;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSecondaryPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSecondarySortKey;

/**
 * Table {@code <prefix>tokens}: key = SHA-256 (hex) of the secret — the secret itself is never stored. GSI
 * {@value #BY_ACCOUNT} (account, createdAt ms) lists an account's tokens.
 */
@DynamoDbBean
public class TokenItem implements PositionalSchema.Item {
    public static final String BY_ACCOUNT = "by-account";

    private String tokenHash;
    private String tokenId;
    private String account;
    private Long createdAt;
    private String name;
    private Instant expiresAt;
    private Boolean revoked;

    /** The table schema, built without reflection (bean introspection costs a cold start ~a third of opening the store) and without a lambda per attribute ({@link PositionalSchema}). */
    public static final TableSchema<TokenItem> SCHEMA = PositionalSchema.builder(TokenItem.class, TokenItem::new)
            .add(String.class, "tokenHash", primaryPartitionKey())
            .add(String.class, "tokenId")
            .add(String.class, "account", secondaryPartitionKey(BY_ACCOUNT))
            .add(Long.class, "createdAt", secondarySortKey(BY_ACCOUNT))
            .add(String.class, "name")
            .add(Instant.class, "expiresAt")
            .add(Boolean.class, "revoked")
            .build();

    @Override
    public Object attribute(int position) {
        return switch (position) {
            case 0 -> getTokenHash();
            case 1 -> getTokenId();
            case 2 -> getAccount();
            case 3 -> getCreatedAt();
            case 4 -> getName();
            case 5 -> getExpiresAt();
            case 6 -> getRevoked();
            default -> throw new IndexOutOfBoundsException(position);
        };
    }

    @Override
    public void attribute(int position, Object value) {
        switch (position) {
            case 0 -> setTokenHash((String) value);
            case 1 -> setTokenId((String) value);
            case 2 -> setAccount((String) value);
            case 3 -> setCreatedAt((Long) value);
            case 4 -> setName((String) value);
            case 5 -> setExpiresAt((Instant) value);
            case 6 -> setRevoked((Boolean) value);
            default -> throw new IndexOutOfBoundsException(position);
        }
    }

    @DynamoDbPartitionKey
    public String getTokenHash() { return tokenHash; }
    public void setTokenHash(String v) { tokenHash = v; }
    public String getTokenId() { return tokenId; }
    public void setTokenId(String v) { tokenId = v; }
    @DynamoDbSecondaryPartitionKey(indexNames = BY_ACCOUNT)
    public String getAccount() { return account; }
    public void setAccount(String v) { account = v; }
    @DynamoDbSecondarySortKey(indexNames = BY_ACCOUNT)
    public Long getCreatedAt() { return createdAt; }
    public void setCreatedAt(Long v) { createdAt = v; }
    public String getName() { return name; }
    public void setName(String v) { name = v; }
    public Instant getExpiresAt() { return expiresAt; }
    public void setExpiresAt(Instant v) { expiresAt = v; }
    public Boolean getRevoked() { return revoked; }
    public void setRevoked(Boolean v) { revoked = v; }
}
