/**
 * The mailcore testing SDK: {@link dev.mailcore.testing.TestMailServer} (a real mailcore server on free ports with
 * exact waits, a record of sessions and scripted {@link dev.mailcore.testing.FaultScript faults}), the JUnit 5
 * {@link dev.mailcore.testing.MailcoreExtension} and {@link dev.mailcore.testing.MailcoreTest} annotation with
 * parameter injection of servers and Jakarta Mail sessions, AssertJ {@link dev.mailcore.testing.MailAssertions}, and
 * fixtures for time ({@link dev.mailcore.testing.ManualClock}) and DNS ({@link dev.mailcore.testing.FakeDns}).
 * Certificates live in {@link dev.mailcore.testing.tls}.
 */
package dev.mailcore.testing;
