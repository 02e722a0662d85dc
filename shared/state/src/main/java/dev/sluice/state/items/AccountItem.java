package dev.sluice.state.items;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondaryPartitionKey;
import java.time.Instant;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSecondaryPartitionKey;

/**
 * Table {@code <prefix>accounts}: key = lower-case account name (so a conditional put claims the name); GSI
 * {@value #BY_ID} on accountId.
 */
@DynamoDbBean
public class AccountItem {
    public static final String BY_ID = "by-id";

    private String nameKey;
    private String name;
    private String accountId;
    private String displayName;
    private String email;
    private Instant createdAt;

    /** The table schema, built without reflection (bean introspection costs a cold start ~a third of opening the store). */
    public static final TableSchema<AccountItem> SCHEMA = StaticTableSchema.builder(AccountItem.class)
            .newItemSupplier(AccountItem::new)
            .addAttribute(String.class, a -> a.name("nameKey").getter(AccountItem::getNameKey).setter(AccountItem::setNameKey).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name("name").getter(AccountItem::getName).setter(AccountItem::setName))
            .addAttribute(String.class, a -> a.name("accountId").getter(AccountItem::getAccountId).setter(AccountItem::setAccountId).tags(secondaryPartitionKey(BY_ID)))
            .addAttribute(String.class, a -> a.name("displayName").getter(AccountItem::getDisplayName).setter(AccountItem::setDisplayName))
            .addAttribute(String.class, a -> a.name("email").getter(AccountItem::getEmail).setter(AccountItem::setEmail))
            .addAttribute(Instant.class, a -> a.name("createdAt").getter(AccountItem::getCreatedAt).setter(AccountItem::setCreatedAt))
            .build();

    @DynamoDbPartitionKey
    public String getNameKey() { return nameKey; }
    public void setNameKey(String v) { nameKey = v; }
    public String getName() { return name; }
    public void setName(String v) { name = v; }
    @DynamoDbSecondaryPartitionKey(indexNames = BY_ID)
    public String getAccountId() { return accountId; }
    public void setAccountId(String v) { accountId = v; }
    public String getDisplayName() { return displayName; }
    public void setDisplayName(String v) { displayName = v; }
    public String getEmail() { return email; }
    public void setEmail(String v) { email = v; }
    public Instant getCreatedAt() { return createdAt; }
    public void setCreatedAt(Instant v) { createdAt = v; }
}
