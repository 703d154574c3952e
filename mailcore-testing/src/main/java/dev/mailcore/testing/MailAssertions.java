package dev.mailcore.testing;

/**
 * Entry point for the SDK's AssertJ assertions. Import statically next to (or instead of) AssertJ's own:
 *
 * <pre>{@code
 * import static dev.mailcore.testing.MailAssertions.assertThat;
 *
 * assertThat(server.awaitMessage(m -> m.isFor("bob@example.com")))
 *         .hasSender("noreply@app.example").hasSubject("Reset your password")
 *         .hasTextBodyContaining("https://app.example/reset?token=");
 * assertThat(server).hasReceived(1).usedTls();
 * }</pre>
 */
public final class MailAssertions {
    private MailAssertions() {
    }

    public static ReceivedMessageAssert assertThat(ReceivedMessage actual) {
        return new ReceivedMessageAssert(actual);
    }

    public static TestMailServerAssert assertThat(TestMailServer actual) {
        return new TestMailServerAssert(actual);
    }
}
