package dev.mailcore.store.maildir;

import dev.mailcore.api.store.Store;
import dev.mailcore.store.tck.DurableStoreContract;

import org.junit.jupiter.api.AfterEach;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/** The durable store contract for {@link MaildirStore}; reopen = close + open the same root with the same settings. */
class MaildirStoreTest extends DurableStoreContract {

    private record Made(Path root, Function<Path, MaildirStore> factory) {
    }

    private final Map<Store, Made> made = Collections.synchronizedMap(new IdentityHashMap<>());
    private final List<Path> roots = Collections.synchronizedList(new ArrayList<>());

    /** Removes this test's Maildirs now rather than at JVM exit (thousands of files in the concurrency tests). */
    @AfterEach
    void deleteRoots() throws IOException {
        List<Path> copy;
        synchronized (roots) {
            copy = new ArrayList<>(roots);
            roots.clear();
        }
        for (Path root : copy) {
            try (Stream<Path> all = Files.walk(root)) {
                for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private Store make(Function<Path, MaildirStore> factory) {
        Path root = newTempDirectory("maildir-store");
        roots.add(root);
        MaildirStore s = factory.apply(root);
        made.put(s, new Made(root, factory));
        return s;
    }

    @Override
    protected Store newStore() {
        return make(MaildirStore::open);
    }

    @Override
    protected Store newStoreWithQuota(long bytesPerUser, long messagesPerUser) {
        return make(root -> MaildirStore.builder(root).quota(bytesPerUser, messagesPerUser).build());
    }

    @Override
    protected Store newStoreWithDefaultFolders() {
        return make(root -> MaildirStore.builder(root).standardFolders().build());
    }

    @Override
    protected Store reopen(Store old) {
        Made m = made.remove(old);
        old.close();
        MaildirStore s = m.factory().apply(m.root());
        made.put(s, m);
        return s;
    }
}
