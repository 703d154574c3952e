package dev.mailcore.store.tck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/** Deletes temporary directories made for tests when the JVM exits. */
final class TempDirectories {
    private static final List<Path> DIRS = new CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TempDirectories::deleteAll, "store-tck-cleanup"));
    }

    private TempDirectories() {
    }

    static void deleteOnExit(Path dir) {
        DIRS.add(dir);
    }

    private static void deleteAll() {
        for (Path dir : DIRS) {
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | RuntimeException ignored) {
                // best effort: the directory is in the system temp area anyway
            }
        }
    }
}
