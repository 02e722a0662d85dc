package dev.sluice.state.items;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondarySortKey;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSecondaryPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSecondarySortKey;

/**
 * Table {@code <prefix>datasets}. Two item types share it: a dataset ({@code pk = did:odf:…}) and an alias claim
 * ({@code pk = alias#<account lower>/<name lower>}, {@code claimedBy = did}) written with attribute_not_exists(pk) so
 * an alias maps to at most one dataset. GSI {@value #BY_ALIAS}: (aliasAccount, aliasName), lower-case, only on
 * dataset items (sparse).
 */
@DynamoDbBean
public class DatasetItem implements PositionalSchema.Item {
    public static final String BY_ALIAS = "by-alias";
    public static final String TYPE_DATASET = "dataset";
    public static final String TYPE_ALIAS_CLAIM = "alias-claim";
    /** aliasAccount of datasets without an account part (single-tenant workspace). */
    public static final String NO_ACCOUNT = "-";

    private String pk;
    private String type;
    private String aliasAccount;
    private String aliasName;
    private String alias;
    private String kind;
    private String owner;
    private String visibility;
    private String head;
    private Long seq;
    private Instant lastUpdated;
    private String schema;
    private Set<String> upstream;
    private Set<String> downstream;
    private String claimedBy;

    /** The table schema, built without reflection (bean introspection costs a cold start ~a third of opening the store) and without a lambda per attribute ({@link PositionalSchema}). */
    public static final TableSchema<DatasetItem> SCHEMA = PositionalSchema.builder(DatasetItem.class, DatasetItem::new)
            .add(String.class, "pk", primaryPartitionKey())
            .add(String.class, "type")
            .add(String.class, "aliasAccount", secondaryPartitionKey(BY_ALIAS))
            .add(String.class, "aliasName", secondarySortKey(BY_ALIAS))
            .add(String.class, "alias")
            .add(String.class, "kind")
            .add(String.class, "owner")
            .add(String.class, "visibility")
            .add(String.class, "head")
            .add(Long.class, "seq")
            .add(Instant.class, "lastUpdated")
            .add(String.class, "schema")
            .add(EnhancedType.setOf(String.class), "upstream")
            .add(EnhancedType.setOf(String.class), "downstream")
            .add(String.class, "claimedBy")
            .build();

    @Override
    public Object attribute(int position) {
        return switch (position) {
            case 0 -> getPk();
            case 1 -> getType();
            case 2 -> getAliasAccount();
            case 3 -> getAliasName();
            case 4 -> getAlias();
            case 5 -> getKind();
            case 6 -> getOwner();
            case 7 -> getVisibility();
            case 8 -> getHead();
            case 9 -> getSeq();
            case 10 -> getLastUpdated();
            case 11 -> getSchema();
            case 12 -> getUpstream();
            case 13 -> getDownstream();
            case 14 -> getClaimedBy();
            default -> throw new IndexOutOfBoundsException(position);
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    public void attribute(int position, Object value) {
        switch (position) {
            case 0 -> setPk((String) value);
            case 1 -> setType((String) value);
            case 2 -> setAliasAccount((String) value);
            case 3 -> setAliasName((String) value);
            case 4 -> setAlias((String) value);
            case 5 -> setKind((String) value);
            case 6 -> setOwner((String) value);
            case 7 -> setVisibility((String) value);
            case 8 -> setHead((String) value);
            case 9 -> setSeq((Long) value);
            case 10 -> setLastUpdated((Instant) value);
            case 11 -> setSchema((String) value);
            case 12 -> setUpstream((Set<String>) value);
            case 13 -> setDownstream((Set<String>) value);
            case 14 -> setClaimedBy((String) value);
            default -> throw new IndexOutOfBoundsException(position);
        }
    }

    @DynamoDbPartitionKey
    public String getPk() { return pk; }
    public void setPk(String v) { pk = v; }
    public String getType() { return type; }
    public void setType(String v) { type = v; }
    @DynamoDbSecondaryPartitionKey(indexNames = BY_ALIAS)
    public String getAliasAccount() { return aliasAccount; }
    public void setAliasAccount(String v) { aliasAccount = v; }
    @DynamoDbSecondarySortKey(indexNames = BY_ALIAS)
    public String getAliasName() { return aliasName; }
    public void setAliasName(String v) { aliasName = v; }
    public String getAlias() { return alias; }
    public void setAlias(String v) { alias = v; }
    public String getKind() { return kind; }
    public void setKind(String v) { kind = v; }
    public String getOwner() { return owner; }
    public void setOwner(String v) { owner = v; }
    public String getVisibility() { return visibility; }
    public void setVisibility(String v) { visibility = v; }
    public String getHead() { return head; }
    public void setHead(String v) { head = v; }
    public Long getSeq() { return seq; }
    public void setSeq(Long v) { seq = v; }
    public Instant getLastUpdated() { return lastUpdated; }
    public void setLastUpdated(Instant v) { lastUpdated = v; }
    public String getSchema() { return schema; }
    public void setSchema(String v) { schema = v; }
    public Set<String> getUpstream() { return upstream; }
    public void setUpstream(Set<String> v) { upstream = v; }
    public Set<String> getDownstream() { return downstream; }
    public void setDownstream(Set<String> v) { downstream = v; }
    public String getClaimedBy() { return claimedBy; }
    public void setClaimedBy(String v) { claimedBy = v; }

    public static String claimKey(String account, String name) {
        return "alias#" + (account == null ? NO_ACCOUNT : account.toLowerCase(java.util.Locale.ROOT)) + "/"
                + name.toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DatasetItem d)) return false;
        return Objects.equals(pk, d.pk) && Objects.equals(type, d.type) && Objects.equals(aliasAccount, d.aliasAccount)
                && Objects.equals(aliasName, d.aliasName) && Objects.equals(alias, d.alias) && Objects.equals(kind, d.kind)
                && Objects.equals(owner, d.owner) && Objects.equals(visibility, d.visibility) && Objects.equals(head, d.head)
                && Objects.equals(seq, d.seq) && Objects.equals(lastUpdated, d.lastUpdated) && Objects.equals(schema, d.schema)
                && Objects.equals(upstream, d.upstream) && Objects.equals(downstream, d.downstream)
                && Objects.equals(claimedBy, d.claimedBy);
    }

    @Override
    public int hashCode() {
        return Objects.hash(pk, head, seq);
    }

    @Override
    public String toString() {
        return "DatasetItem{pk=" + pk + ", type=" + type + ", alias=" + alias + ", kind=" + kind + ", owner=" + owner
                + ", visibility=" + visibility + ", head=" + head + ", seq=" + seq + ", lastUpdated=" + lastUpdated
                + ", schema=" + schema + ", upstream=" + upstream + ", downstream=" + downstream + ", claimedBy=" + claimedBy + "}";
    }
}
