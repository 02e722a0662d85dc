package dev.sluice.state;

import dev.sluice.state.items.AccountItem;
import java.util.Locale;
import java.util.Optional;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/** Accounts keyed by lower-case name (creation claims the name with a conditional put); by id through GSI. */
public final class AccountRepository {
    private final StateTables tables;

    public AccountRepository(StateTables tables) {
        this.tables = tables;
    }

    public static String nameKey(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** Creates the account; false if the name (case-insensitively) is taken. */
    public boolean create(AccountItem account) {
        account.setNameKey(nameKey(account.getName()));
        try {
            tables.accounts.putItem(PutItemEnhancedRequest.builder(AccountItem.class).item(account)
                    .conditionExpression(Expression.builder().expression("attribute_not_exists(nameKey)").build()).build());
            return true;
        } catch (ConditionalCheckFailedException taken) {
            return false;
        }
    }

    public Optional<AccountItem> byName(String name) {
        return Optional.ofNullable(tables.accounts.getItem(GetItemEnhancedRequest.builder()
                .key(Key.builder().partitionValue(nameKey(name)).build()).consistentRead(true).build()));
    }

    public Optional<AccountItem> byId(String accountId) {
        return tables.accounts.index(AccountItem.BY_ID)
                .query(QueryConditional.keyEqualTo(Key.builder().partitionValue(accountId).build()))
                .stream().flatMap(p -> p.items().stream()).findFirst();
    }
}
