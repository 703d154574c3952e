package dev.mailcore.netty.sasl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** The client side of SCRAM-SHA-256, written independently of the server code, for tests. */
public final class ScramTestClient {
    private final String gs2Header;
    private final String clientFirstBare;
    private final String password;
    private String authMessage;
    private byte[] saltedPassword;

    /**
     * @param gs2Header   e.g. {@code n,,}
     * @param saslName    the user name already escaped as a saslname
     * @param clientNonce the client nonce
     */
    public ScramTestClient(String gs2Header, String saslName, String password, String clientNonce) {
        this.gs2Header = gs2Header;
        this.clientFirstBare = "n=" + saslName + ",r=" + clientNonce;
        this.password = password;
    }

    public String clientFirst() {
        return gs2Header + clientFirstBare;
    }

    /** The client-final message for {@code serverFirst}. */
    public String clientFinal(String serverFirst) throws Exception {
        Map<String, String> attrs = attributes(serverFirst);
        String withoutProof = "c=" + Base64.getEncoder().encodeToString(gs2Header.getBytes(StandardCharsets.UTF_8))
                + ",r=" + attrs.get("r");
        return clientFinal(serverFirst, withoutProof);
    }

    /** A client-final message with a caller-chosen client-final-message-without-proof, correctly signed. */
    public String clientFinal(String serverFirst, String withoutProof) throws Exception {
        Map<String, String> attrs = attributes(serverFirst);
        saltedPassword = ScramSha256Test.hi(password.getBytes(StandardCharsets.UTF_8),
                Base64.getDecoder().decode(attrs.get("s")), Integer.parseInt(attrs.get("i")));
        authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] clientKey = ScramSha256Test.hmac(saltedPassword, "Client Key");
        byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
        byte[] clientSignature = ScramSha256Test.hmac(storedKey, authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ clientSignature[i]);
        }
        return withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof);
    }

    /** The server-final message the server must send after the last {@link #clientFinal}. */
    public String expectedServerFinal() throws Exception {
        byte[] serverKey = ScramSha256Test.hmac(saltedPassword, "Server Key");
        return "v=" + Base64.getEncoder().encodeToString(ScramSha256Test.hmac(serverKey, authMessage));
    }

    public static Map<String, String> attributes(String message) {
        Map<String, String> attrs = new HashMap<>();
        for (String part : message.split(",")) {
            attrs.put(part.substring(0, 1), part.substring(2));
        }
        return attrs;
    }
}
