package io.deltaplane.metadata.views;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.names.SchemaName;
import io.deltaplane.metadata.names.TableName;
import io.deltaplane.metadata.table.TableEntry;
import io.deltaplane.metadata.table.api.TableService;
import io.deltaplane.support.paging.Page;
import io.deltaplane.support.paging.PageTokens;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * A schema's tables and views as one listing, in name order, as Unity Catalog lists them: a page of
 * each after the same cursor, merged, is the first page of both (each is sorted and holds at least
 * as many as the page needs): one statement for the tables' page, one for the views', whatever
 * they hold, after the authorization's. Getting or dropping a name finds whichever holds it.
 */
@Service
public class TablesAndViews {

    /** A table or a view, whichever a name is. */
    public sealed interface Listed permits Listed.Table, Listed.ViewEntry {
        String name();

        record Table(TableEntry table) implements Listed {
            @Override
            public String name() {
                return table.name();
            }
        }

        record ViewEntry(View view) implements Listed {
            @Override
            public String name() {
                return view.name().name();
            }
        }
    }

    private final TableService tables;
    private final ViewService views;

    TablesAndViews(TableService tables, ViewService views) {
        this.tables = requireNonNull(tables, "tables");
        this.views = requireNonNull(views, "views");
    }

    public Page<Listed> list(SchemaName schema, String pageToken, int limit) {
        Page<TableEntry> tablePage = tables.list(schema, pageToken, limit); // USE_SCHEMA; 404 for no schema
        Page<View> viewPage = views.listInUsableSchema(schema, pageToken, limit);
        List<Listed> merged = new ArrayList<>();
        tablePage.items().forEach(t -> merged.add(new Listed.Table(t)));
        viewPage.items().forEach(v -> merged.add(new Listed.ViewEntry(v)));
        merged.sort(java.util.Comparator.comparing(Listed::name));
        boolean more = merged.size() > limit || tablePage.nextPageToken() != null || viewPage.nextPageToken() != null;
        List<Listed> page = merged.subList(0, Math.min(limit, merged.size()));
        String next = more && !page.isEmpty()
                ? PageTokens.encode(page.get(page.size() - 1).name())
                : null;
        return new Page<>(List.copyOf(page), next);
    }

    /** The table, else the view, of that name (an EXTERNAL table first takes in its engines' commits). */
    public Listed load(TableName name) {
        try {
            return new Listed.Table(tables.load(name));
        } catch (ApiException e) {
            if (!e.is(ErrorCode.TABLE_NOT_FOUND)) {
                throw e;
            }
            return views.find(name).<Listed>map(Listed.ViewEntry::new).orElseThrow(() -> e);
        }
    }

    /**
     * Hands the table to {@code owner} (null: unchanged); a {@code newName} is refused, a name a
     * table or a view has being 409 ({@link TableService#refuseRename}).
     */
    public TableEntry update(TableName name, String newName, String owner) {
        tables.refuseRename(name, newName, views::exists);
        return tables.transferOwnership(name, owner);
    }

    /** Drops the table (its files stay), else the view, of that name. */
    public void drop(TableName name) {
        if (views.exists(name) && views.delete(name)) {
            return;
        }
        tables.drop(name, false);
    }
}
