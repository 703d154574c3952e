package dev.mailcore.server;

import dev.mailcore.api.auth.AuthResult;
import dev.mailcore.api.auth.ScramCredential;
import dev.mailcore.netty.sasl.ScramSha256;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryUsersTest {

    @Test
    void scramCredentialIsDerivedFromThePasswordOnFirstUseAndThenKept() {
        InMemoryUsers users = new InMemoryUsers();
        String user = users.add("Alice@Example.COM", "secret");

        ScramCredential first = users.scramSha256("alice@example.com").orElseThrow();
        ScramCredential again = users.scramSha256("ALICE@example.com").orElseThrow();

        assertThat(first.user()).isEqualTo(user).isEqualTo("Alice@example.com");
        assertThat(again).isSameAs(first);
        ScramCredential expected = ScramSha256.credential(user, "secret", first.salt(), first.iterations());
        assertThat(first.storedKey()).isEqualTo(expected.storedKey());
        assertThat(first.serverKey()).isEqualTo(expected.serverKey());
        assertThat(first.iterations()).isGreaterThanOrEqualTo(4096);
    }

    @Test
    void replacingAUserReplacesTheirScramCredentialAndPassword() {
        InMemoryUsers users = new InMemoryUsers();
        users.add("bob@example.com", "old");
        ScramCredential old = users.scramSha256("bob@example.com").orElseThrow();
        users.add("bob@example.com", "new");

        ScramCredential fresh = users.scramSha256("bob@example.com").orElseThrow();
        assertThat(fresh.storedKey())
                .isEqualTo(ScramSha256.credential("bob@example.com", "new", fresh.salt(), 4096).storedKey())
                .isNotEqualTo(old.storedKey());
        assertThat(users.verifyPassword("bob@example.com", "new")).isInstanceOf(AuthResult.Success.class);
        assertThat(users.verifyPassword("bob@example.com", "old")).isEqualTo(AuthResult.FAILURE);
        assertThat(users.scramSha256("nobody@example.com")).isEmpty();
    }
}
