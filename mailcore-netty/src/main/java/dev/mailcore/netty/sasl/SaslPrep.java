package dev.mailcore.netty.sasl;

import java.text.Normalizer;

/**
 * SASLprep (RFC 4013), the stringprep (RFC 3454) profile for user names and passwords: non-ASCII spaces become
 * U+0020, characters "commonly mapped to nothing" are removed, the result is normalised to NFKC, prohibited
 * characters are rejected and the bidirectional rule is enforced.
 *
 * <p>Normalisation and the bidirectional categories come from the JDK, whose Unicode version is newer than the 3.2
 * that stringprep fixes; for the strings people use as names and passwords the results are the same.
 *
 * <p>{@link #prepare} treats its input as a <em>query</em> (unassigned code points are allowed, RFC 3454 §7), which
 * is right for what a client sends; {@link #prepareStored} treats it as a <em>stored string</em> and also rejects
 * code points the JDK does not know, which is right when a credential is created.
 */
public final class SaslPrep {

    private SaslPrep() {
    }

    /**
     * Prepares a string received from a client (a "query": unassigned code points are allowed).
     *
     * @return the prepared string (may be empty)
     * @throws SaslPrepException when the string contains a prohibited character or violates the bidi rule
     */
    public static String prepare(String input) {
        return prepare(input, false);
    }

    /**
     * Prepares a string to be stored (a user name or password being registered): like {@link #prepare}, but also
     * rejects code points that are unassigned in the JDK's Unicode version.
     *
     * @throws SaslPrepException when the string contains a prohibited or unassigned character or violates the bidi
     *                           rule
     */
    public static String prepareStored(String input) {
        return prepare(input, true);
    }

    private static String prepare(String input, boolean stored) {
        if (input == null) {
            throw new NullPointerException("input");
        }
        // Fast path: printable ASCII maps, normalises and checks to itself.
        if (isPrintableAscii(input)) {
            return input;
        }
        // Unpaired surrogates (C.5) are rejected before they can confuse the normaliser.
        checkSurrogates(input);
        // 1. Map (RFC 4013 §2.1).
        StringBuilder mapped = new StringBuilder(input.length());
        for (int i = 0; i < input.length(); ) {
            int cp = input.codePointAt(i);
            i += Character.charCount(cp);
            if (isNonAsciiSpace(cp)) {
                mapped.append(' ');
            } else if (!isMappedToNothing(cp)) {
                mapped.appendCodePoint(cp);
            }
        }
        // 2. Normalise (§2.2).
        String normalised = Normalizer.normalize(mapped, Normalizer.Form.NFKC);
        // 3. Prohibit (§2.3), 4. bidi (§2.4), and unassigned code points for stored strings (§2.5).
        boolean hasRandAL = false;
        boolean hasL = false;
        for (int i = 0; i < normalised.length(); ) {
            int cp = normalised.codePointAt(i);
            i += Character.charCount(cp);
            if (isProhibited(cp)) {
                throw new SaslPrepException(String.format("prohibited character U+%04X", cp));
            }
            if (stored && !Character.isDefined(cp)) {
                throw new SaslPrepException(String.format("unassigned code point U+%04X", cp));
            }
            byte dir = Character.getDirectionality(cp);
            if (isRandAL(dir)) {
                hasRandAL = true;
            } else if (dir == Character.DIRECTIONALITY_LEFT_TO_RIGHT) {
                hasL = true;
            }
        }
        if (hasRandAL) {
            if (hasL) {
                throw new SaslPrepException("mixes right-to-left and left-to-right characters");
            }
            int first = normalised.codePointAt(0);
            int last = normalised.codePointBefore(normalised.length());
            if (!isRandAL(Character.getDirectionality(first)) || !isRandAL(Character.getDirectionality(last))) {
                throw new SaslPrepException("right-to-left string must start and end with a right-to-left character");
            }
        }
        return normalised;
    }

    private static boolean isPrintableAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    private static void checkSurrogates(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                throw new SaslPrepException(String.format("unpaired surrogate U+%04X", (int) c));
            }
            if (Character.isLowSurrogate(c)) {
                throw new SaslPrepException(String.format("unpaired surrogate U+%04X", (int) c));
            }
        }
    }

    private static boolean isRandAL(byte directionality) {
        return directionality == Character.DIRECTIONALITY_RIGHT_TO_LEFT
                || directionality == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC;
    }

    /** RFC 3454 table C.1.2. */
    static boolean isNonAsciiSpace(int cp) {
        return cp == 0x00A0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x205F
                || cp == 0x3000;
    }

    /** RFC 3454 table B.1. */
    static boolean isMappedToNothing(int cp) {
        switch (cp) {
            case 0x00AD:
            case 0x034F:
            case 0x1806:
            case 0x180B:
            case 0x180C:
            case 0x180D:
            case 0x200B:
            case 0x200C:
            case 0x200D:
            case 0x2060:
            case 0xFEFF:
                return true;
            default:
                return cp >= 0xFE00 && cp <= 0xFE0F;
        }
    }

    /** RFC 4013 §2.3: RFC 3454 tables C.1.2, C.2.1, C.2.2, C.3, C.4, C.5, C.6, C.7, C.8 and C.9. */
    static boolean isProhibited(int cp) {
        if (cp < 0x20 || cp == 0x7F) {
            return true; // C.2.1
        }
        if (cp < 0x7F) {
            return false;
        }
        if (isNonAsciiSpace(cp)) {
            return true; // C.1.2
        }
        if (cp >= 0x80 && cp <= 0x9F) {
            return true; // C.2.2
        }
        switch (cp) {
            case 0x06DD:
            case 0x070F:
            case 0x180E:
            case 0x200C:
            case 0x200D:
            case 0x2028:
            case 0x2029:
            case 0xFEFF:
            case 0x0340: // C.8
            case 0x0341:
            case 0x200E:
            case 0x200F:
            case 0xE0001: // C.9
                return true;
            default:
                break;
        }
        return (cp >= 0x2060 && cp <= 0x2063) // C.2.2
                || (cp >= 0x206A && cp <= 0x206F) // C.2.2, C.8
                || (cp >= 0xFFF9 && cp <= 0xFFFD) // C.2.2, C.6
                || (cp >= 0x1D173 && cp <= 0x1D17A) // C.2.2
                || (cp >= 0xE000 && cp <= 0xF8FF) // C.3
                || (cp >= 0xF0000 && cp <= 0xFFFFD)
                || (cp >= 0x100000 && cp <= 0x10FFFD)
                || (cp >= 0xFDD0 && cp <= 0xFDEF) // C.4
                || (cp & 0xFFFE) == 0xFFFE
                || (cp >= 0xD800 && cp <= 0xDFFF) // C.5
                || (cp >= 0x2FF0 && cp <= 0x2FFB) // C.7
                || (cp >= 0x202A && cp <= 0x202E) // C.8
                || (cp >= 0xE0020 && cp <= 0xE007F); // C.9
    }
}
