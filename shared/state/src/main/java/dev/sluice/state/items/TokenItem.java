package dev.sluice.state.items;

import java.time.Instant;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSecondaryPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSecondarySortKey;

/**
 * Table {@code <prefix>tokens}: key = SHA-256 (hex) of the secret — the secret itself is never stored. GSI
 * {@value #BY_ACCOUNT} (account, createdAt ms) lists an account's tokens.
 */
@DynamoDbBean
public class TokenItem {
    public static final String BY_ACCOUNT = "by-account";

    private String tokenHash;
    private String tokenId;
    private String account;
    private Long createdAt;
    private String name;
    private Instant expiresAt;
    private Boolean revoked;

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
