package dev.sluice.state.items;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondarySortKey;
import java.time.Instant;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;
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

    /** The table schema, built without reflection (bean introspection costs a cold start ~a third of opening the store). */
    public static final TableSchema<TokenItem> SCHEMA = StaticTableSchema.builder(TokenItem.class)
            .newItemSupplier(TokenItem::new)
            .addAttribute(String.class, a -> a.name("tokenHash").getter(TokenItem::getTokenHash).setter(TokenItem::setTokenHash).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name("tokenId").getter(TokenItem::getTokenId).setter(TokenItem::setTokenId))
            .addAttribute(String.class, a -> a.name("account").getter(TokenItem::getAccount).setter(TokenItem::setAccount).tags(secondaryPartitionKey(BY_ACCOUNT)))
            .addAttribute(Long.class, a -> a.name("createdAt").getter(TokenItem::getCreatedAt).setter(TokenItem::setCreatedAt).tags(secondarySortKey(BY_ACCOUNT)))
            .addAttribute(String.class, a -> a.name("name").getter(TokenItem::getName).setter(TokenItem::setName))
            .addAttribute(Instant.class, a -> a.name("expiresAt").getter(TokenItem::getExpiresAt).setter(TokenItem::setExpiresAt))
            .addAttribute(Boolean.class, a -> a.name("revoked").getter(TokenItem::getRevoked).setter(TokenItem::setRevoked))
            .build();

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
