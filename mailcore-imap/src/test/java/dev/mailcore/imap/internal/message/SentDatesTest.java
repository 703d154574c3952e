package dev.mailcore.imap.internal.message;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.ZonedDateTime;

import static org.assertj.core.api.Assertions.assertThat;

class SentDatesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "Mon, 7 Feb 1994 21:52:25 -0800 (PST)|1994-02-07T21:52:25-08:00",
        "7 Feb 1994 21:52:25 -0800|1994-02-07T21:52:25-08:00",
        "Tue, 1 Jul 2003 10:52:37 +0200|2003-07-01T10:52:37+02:00",
        "1 Jan 2024 10:00 +0000|2024-01-01T10:00Z",
        "Thu, 13 Feb 69 23:32:54 -0330|1969-02-13T23:32:54-03:30",
        "Fri, 21 Nov 97 09:55:06 GMT|1997-11-21T09:55:06Z",
        "Fri, 21 Nov 1997 09:55:06 EST|1997-11-21T09:55:06-05:00",
        "Fri, 21 Nov 1997 09:55:06 PDT|1997-11-21T09:55:06-07:00",
        "21 nov 1997 09:55:06|1997-11-21T09:55:06Z",
        "Sat,21 Nov 2015 01:02:03 +0100|2015-11-21T01:02:03+01:00",
        "21-Nov-2015 01:02:03 +0100|2015-11-21T01:02:03+01:00",
        "Wed, 10 Jan 2024 11:00:00 -0000|2024-01-10T11:00Z",
        "Wed, 10 Jan 2024 11:00:00 +9999|2024-01-10T11:00Z",
    })
    void parsesRfc5322DatesLeniently(String value, String expected) {
        assertThat(SentDates.parse(value)).isEqualTo(ZonedDateTime.parse(expected));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"garbage", "32 Jan 2024 10:00 +0000", "Mon,", "1 Foo 2024", "''"})
    void givesNullForWhatIsNotADate(String value) {
        assertThat(SentDates.parse(value)).isNull();
    }

    @Test
    void givesNullForAMissingHeader() {
        assertThat(SentDates.parse(null)).isNull();
        assertThat(Mail.parse(Mail.crlf("Subject: x", "", "")).sentDate()).isNull();
        assertThat(Mail.parse(Mail.crlf("Date: 2 Jan 2000 00:00 +0100", "", "")).sentDate())
                .isEqualTo(ZonedDateTime.parse("2000-01-02T00:00+01:00"));
    }
}
