package io.deltaplane.metadata.commit;

import io.deltaplane.metadata.delta.CommitActions.AddFile;
import java.util.List;

/** Added files as the column arrays the commit statement unnests ({@link CommitRepository#append}). */
record AddRows(String[] paths, long[] sizes, String[] json, long totalSize) {
    static AddRows of(List<AddFile> adds) {
        String[] paths = new String[adds.size()];
        long[] sizes = new long[adds.size()];
        String[] json = new String[adds.size()];
        long total = 0;
        for (int i = 0; i < adds.size(); i++) {
            AddFile add = adds.get(i);
            paths[i] = add.path();
            sizes[i] = add.size();
            json[i] = add.json();
            total += add.size();
        }
        return new AddRows(paths, sizes, json, total);
    }
}
