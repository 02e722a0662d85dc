package dev.sluice.state.items;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondaryPartitionKey;
import java.time.Instant;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSecondaryPartitionKey;

/**
 * Table {@code <prefix>accounts}: key = lower-case account name (so a conditional put claims the name); GSI
 * {@value #BY_ID} on accountId.
 */
@DynamoDbBean
public class AccountItem implements PositionalSchema.Item {
    public static final String BY_ID = "by-id";

    private String nameKey;
    private String name;
    private String accountId;
    private String displayName;
    private String email;
    private Instant createdAt;

    /** The table schema, built without reflection (bean introspection costs a cold start ~a third of opening the store) and without a lambda per attribute ({@link PositionalSchema}). */
    public static final TableSchema<AccountItem> SCHEMA = PositionalSchema.builder(AccountItem.class, AccountItem::new)
            .add(String.class, "nameKey", primaryPartitionKey())
            .add(String.class, "name")
            .add(String.class, "accountId", secondaryPartitionKey(BY_ID))
            .add(String.class, "displayName")
            .add(String.class, "email")
            .add(Instant.class, "createdAt")
            .build();

    @Override
    public Object attribute(int position) {
        return switch (position) {
            case 0 -> getNameKey();
            case 1 -> getName();
            case 2 -> getAccountId();
            case 3 -> getDisplayName();
            case 4 -> getEmail();
            case 5 -> getCreatedAt();
            default -> throw new IndexOutOfBoundsException(position);
        };
    }

    @Override
    public void attribute(int position, Object value) {
        switch (position) {
            case 0 -> setNameKey((String) value);
            case 1 -> setName((String) value);
            case 2 -> setAccountId((String) value);
            case 3 -> setDisplayName((String) value);
            case 4 -> setEmail((String) value);
            case 5 -> setCreatedAt((Instant) value);
            default -> throw new IndexOutOfBoundsException(position);
        }
    }

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
