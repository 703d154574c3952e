package dev.mailcore.api;

/** Syntax checks for the IP forms of RFC 5321 address literals. */
final class AddressLiterals {
    private AddressLiterals() {
    }

    /** IPv4-address-literal: four decimal octets 0–255, no leading zeros beyond a single digit. */
    static boolean isIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
                    || p.length() > 1 && p.charAt(0) == '0' || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    /** IPv6-addr of RFC 5321 §4.1.3: full, compressed, and either with a trailing IPv4 part. */
    static boolean isIpv6(String s) {
        int groupsAllowed = 8;
        String hexPart = s;
        int lastColon = s.lastIndexOf(':');
        if (lastColon >= 0 && s.indexOf('.', lastColon) > 0) {
            if (!isIpv4(s.substring(lastColon + 1))) {
                return false;
            }
            hexPart = s.substring(0, lastColon + 1) + "0";
            groupsAllowed = 7;
        }
        int doubleColon = hexPart.indexOf("::");
        if (doubleColon >= 0 && hexPart.indexOf("::", doubleColon + 1) >= 0) {
            return false;
        }
        if (doubleColon < 0) {
            return groups(hexPart) == groupsAllowed;
        }
        String left = hexPart.substring(0, doubleColon);
        String right = hexPart.substring(doubleColon + 2);
        int l = left.isEmpty() ? 0 : groups(left);
        int r = right.isEmpty() ? 0 : groups(right);
        return l >= 0 && r >= 0 && l + r <= groupsAllowed - 1;
    }

    private static int groups(String s) {
        String[] parts = s.split(":", -1);
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 4) {
                return -1;
            }
            for (int i = 0; i < p.length(); i++) {
                char c = p.charAt(i);
                if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                    return -1;
                }
            }
        }
        return parts.length;
    }
}
