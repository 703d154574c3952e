package dev.mailcore.netty.internal;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SessionIdsTest {

    @Test
    void idsAreShortAndUnique() {
        SessionIds ids = new SessionIds();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            String id = ids.next();
            assertThat(id).matches("[0-9a-z]{5,8}");
            assertThat(seen.add(id)).isTrue();
        }
    }

    @Test
    void idsStartWithThePerServerPrefixAndCountInBase36() {
        SessionIds ids = new SessionIds("abcd");
        assertThat(ids.next()).isEqualTo("abcd1");
        for (int i = 2; i < 36; i++) {
            ids.next();
        }
        assertThat(ids.next()).isEqualTo("abcd10");
    }

    @Test
    void serversUseDifferentPrefixes() {
        Set<String> prefixes = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            String id = new SessionIds().next();
            prefixes.add(id.substring(0, 4));
        }
        assertThat(prefixes).hasSizeGreaterThan(1);
    }
}
