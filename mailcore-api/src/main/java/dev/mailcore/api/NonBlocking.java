package dev.mailcore.api;

/**
 * Marks an SPI implementation ({@link DeliveryPolicy}, {@link RecipientResolver}, {@link Filter}, {@link Transport},
 * a {@link dev.mailcore.api.store.Store}) whose methods never block: no network or disk I/O, no waiting on locks held
 * for long. mailcore calls such an implementation directly on its I/O threads instead of handing each call to the
 * worker executor, which saves two thread switches per SMTP command. When in doubt, do not implement it: a blocking
 * call on an I/O thread stalls every connection that thread serves.
 */
public interface NonBlocking {

    /**
     * Whether {@code spi} can be called on an I/O thread: it implements this interface, or it is a chain made by
     * {@link DeliveryPolicy#allOf} whose members all can. {@code null} counts as non-blocking (nothing is called).
     */
    static boolean isNonBlocking(Object spi) {
        if (spi == null || spi instanceof NonBlocking) {
            return true;
        }
        if (spi instanceof PolicyChain chain) {
            return chain.members().stream().allMatch(NonBlocking::isNonBlocking);
        }
        return false;
    }
}
