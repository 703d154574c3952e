package dev.mailcore.api.store;

import dev.mailcore.api.store.StoreError;
import dev.mailcore.api.store.StoreException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MailboxNamesTest {

    @Test
    void parentsAreListedOutermostFirst() {
        assertThat(MailboxNames.parents("a/b/c")).containsExactly("a", "a/b");
        assertThat(MailboxNames.parents("a")).isEmpty();
    }

    @Test
    void descendantsAreRecognisedOnlyAtALevelBoundary() {
        assertThat(MailboxNames.isDescendant("a/b", "a")).isTrue();
        assertThat(MailboxNames.isDescendant("a/b/c", "a")).isTrue();
        assertThat(MailboxNames.isDescendant("ab", "a")).isFalse();
        assertThat(MailboxNames.isDescendant("a", "a")).isFalse();
    }

    @Test
    void rejectsEmptyLevelsAndControlCharacters() {
        for (String bad : new String[] {"", "/", "/a", "a/", "a//b", "a\r\nb", "tab\there", "del\u007f"}) {
            assertThatThrownBy(() -> MailboxNames.validate(bad)).as(bad).isInstanceOfSatisfying(
                    StoreException.class, e -> assertThat(e.error()).isEqualTo(StoreError.NOT_ALLOWED));
            assertThat(MailboxNames.isValid(bad)).isFalse();
        }
    }

    @Test
    void acceptsOrdinaryAndInternationalNames() {
        for (String good : new String[] {"INBOX", "a/b/c", "Sent Items", "Entwürfe", "[Gmail]/All Mail", "日本"}) {
            MailboxNames.validate(good);
            assertThat(MailboxNames.isValid(good)).isTrue();
        }
    }
}
