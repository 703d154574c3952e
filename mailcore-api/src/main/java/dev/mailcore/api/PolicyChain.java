package dev.mailcore.api;

import java.util.List;
import java.util.function.Function;

/** {@link DeliveryPolicy#allOf(DeliveryPolicy...)}: the first non-accept decision wins. */
final class PolicyChain implements DeliveryPolicy {
    private final List<? extends DeliveryPolicy> chain;

    PolicyChain(List<? extends DeliveryPolicy> chain) {
        this.chain = chain;
    }

    List<? extends DeliveryPolicy> members() {
        return chain;
    }

    private Decision first(Function<DeliveryPolicy, Decision> phase) {
        for (DeliveryPolicy policy : chain) {
            Decision d = phase.apply(policy);
            if (d == null) {
                throw new MailcoreException("policy " + policy.getClass().getName() + " returned null, not a Decision");
            }
            if (!(d instanceof Decision.Accept)) {
                return d;
            }
        }
        return Decision.ACCEPT;
    }

    @Override
    public Decision onConnect(SessionInfo session) {
        return first(p -> p.onConnect(session));
    }

    @Override
    public Decision onHelo(SessionInfo session) {
        return first(p -> p.onHelo(session));
    }

    @Override
    public Decision onMailFrom(SessionInfo session, ReversePath from, MailParameters parameters) {
        return first(p -> p.onMailFrom(session, from, parameters));
    }

    @Override
    public Decision onRecipient(SessionInfo session, ReversePath from, EnvelopeRecipient recipient) {
        return first(p -> p.onRecipient(session, from, recipient));
    }
}
