package dev.sluice.fn.common;

import dev.sluice.odf.DatasetAlias;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetNotFoundException;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Resolves the {@code /{account}/{dataset}} of kamu-node's REST paths. In local mode one account owns everything:
 * the path must name it, and datasets are stored under their bare name (as the CLI's workspace has them). Names
 * are validated before any storage access, so a path-traversal attempt is a 400, never a file lookup.
 */
@ApplicationScoped
public class Datasets {
    private final Node node;

    public Datasets(Node node) {
        this.node = node;
    }

    public Dataset get(String account, String name) {
        DatasetAlias.validateName(name);
        requireAccount(account);
        return node.repository().find(name).orElseThrow(() -> new DatasetNotFoundException(account + "/" + name));
    }

    /** The account part of a request, checked against local mode's single account. */
    public String requireAccount(String account) {
        DatasetAlias.validateAccountName(account);
        if (!account.equalsIgnoreCase(node.config().account())) {
            throw ApiException.notFound("account '" + account + "' not found (this local node has only '" + node.config().account() + "')");
        }
        return node.config().account();
    }

    /** The public alias {@code account/name} of a stored dataset. */
    public String publicAlias(String storedAlias) {
        DatasetAlias a = DatasetAlias.parse(storedAlias);
        return a.hasAccount() ? a.toString() : node.config().account() + "/" + a.name();
    }

    /** A dataset name as stored locally: an account part, if any, must be local mode's account and is dropped. */
    public DatasetAlias localAlias(String name) {
        DatasetAlias a = DatasetAlias.parse(name);
        if (a.hasAccount()) requireAccount(a.account());
        return new DatasetAlias(null, a.name());
    }
}
