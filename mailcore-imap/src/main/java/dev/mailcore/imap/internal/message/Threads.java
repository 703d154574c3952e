package dev.mailcore.imap.internal.message;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/** RFC 5256 §3 threading: ORDEREDSUBJECT and REFERENCES, and the THREAD response format. */
final class Threads {

    /** A message in a thread tree, or a dummy ({@code message} null). */
    static final class Node {
        final String id;
        SearchCandidate message;
        Node parent;
        final List<Node> children = new ArrayList<>(1);
        Instant date;
        String subject;
        boolean reply;

        Node(String id, SearchCandidate message) {
            this.id = id;
            this.message = message;
        }

        boolean dummy() {
            return message == null;
        }

        void add(Node child) {
            child.parent = this;
            children.add(child);
        }

        void unlink() {
            if (parent != null) {
                parent.children.remove(this);
                parent = null;
            }
        }

        /** True when this node is {@code other} or below it. */
        boolean within(Node other) {
            for (Node n = this; n != null; n = n.parent) {
                if (n == other) {
                    return true;
                }
            }
            return false;
        }
    }

    private Threads() {
    }

    private static Node leaf(SearchCandidate c) {
        Node n = new Node(null, c);
        prepare(n);
        return n;
    }

    private static void prepare(Node n) {
        n.date = Search.sentDate(n.message);
        ParsedMessage p = n.message.parsed();
        n.subject = Search.casemap(p.baseSubject());
        n.reply = p instanceof ParsedMimeMessage m && m.isReplyOrForward();
    }

    /** Date order, then sequence order; a dummy sorts as its first child. */
    private static final Comparator<Node> BY_DATE = Comparator
            .comparing((Node n) -> first(n).date)
            .thenComparingLong(n -> first(n).message.sequence());

    private static Node first(Node n) {
        while (n.dummy() && !n.children.isEmpty()) {
            n = n.children.get(0);
        }
        return n;
    }

    // ---- ORDEREDSUBJECT ----

    static List<Node> orderedSubject(List<SearchCandidate> bySequence) {
        List<Node> all = new ArrayList<>(bySequence.size());
        for (SearchCandidate c : bySequence) {
            all.add(leaf(c));
        }
        all.sort(Comparator.comparing((Node n) -> n.subject).thenComparing(BY_DATE));
        List<Node> roots = new ArrayList<>();
        Node root = null;
        for (Node n : all) {
            if (root != null && root.subject.equals(n.subject)) {
                root.add(n);
            } else {
                root = n;
                roots.add(n);
            }
        }
        roots.sort(BY_DATE);
        return roots;
    }

    // ---- REFERENCES ----

    static List<Node> references(List<SearchCandidate> bySequence) {
        Map<String, Node> table = new LinkedHashMap<>();
        int unique = 0;
        // (1)
        for (SearchCandidate c : bySequence) {
            ParsedMessage p = c.parsed();
            String id = p.messageId();
            Node node = id == null ? null : table.get(id);
            if (id == null || (node != null && !node.dummy())) {
                id = "\u0000unique-" + (unique++);
                node = null;
            }
            if (node == null) {
                node = new Node(id, c);
                table.put(id, node);
            } else {
                node.message = c;
            }
            prepare(node);
            // (A)
            List<String> refs = p.references();
            Node prev = null;
            for (String ref : refs) {
                Node r = table.get(ref);
                if (r == null) {
                    r = new Node(ref, null);
                    table.put(ref, r);
                }
                if (prev != null && r.parent == null && prev != r && !prev.within(r)) {
                    prev.add(r);
                }
                prev = r;
            }
            // (B)
            if (node.parent != null) {
                node.unlink();
            }
            if (prev != null && prev != node && !prev.within(node)) {
                prev.add(node);
            }
        }
        // (2)
        List<Node> roots = new ArrayList<>();
        for (Node n : table.values()) {
            if (n.parent == null) {
                roots.add(n);
            }
        }
        // (3)
        roots = prune(roots, true);
        for (Node n : roots) {
            n.parent = null;
        }
        // (4)
        for (Node n : roots) {
            if (n.dummy()) {
                n.children.sort(BY_DATE);
            }
        }
        roots.sort(BY_DATE);
        // (5)
        Map<String, Node> subjects = new HashMap<>();
        for (Node n : roots) {
            String s = threadSubject(n);
            if (s.isEmpty()) {
                continue;
            }
            Node t = subjects.get(s);
            if (t == null || (!t.dummy() && (n.dummy() || (t.reply && !n.reply)))) {
                subjects.put(s, n);
            }
        }
        List<Node> merged = new ArrayList<>(roots);
        for (Node n : roots) {
            String s = threadSubject(n);
            if (s.isEmpty()) {
                continue;
            }
            Node t = subjects.get(s);
            if (t == n || t == null) {
                continue;
            }
            if (t.dummy() && n.dummy()) {
                for (Node c : new ArrayList<>(n.children)) {
                    t.add(c);
                }
                n.children.clear();
                merged.remove(n);
            } else if (t.dummy()) {
                merged.remove(n);
                t.add(n);
            } else if (n.reply && !t.reply) {
                merged.remove(n);
                t.add(n);
            } else {
                Node d = new Node(null, null);
                int at = merged.indexOf(t);
                merged.set(at, d);
                merged.remove(n);
                d.add(t);
                d.add(n);
                subjects.put(s, d);
            }
        }
        for (Node n : merged) {
            n.parent = null;
        }
        // (6)
        sortTree(merged);
        return merged;
    }

    private static String threadSubject(Node n) {
        Node m = n.dummy() ? (n.children.isEmpty() ? null : n.children.get(0)) : n;
        return m == null || m.subject == null ? "" : m.subject;
    }

    private static List<Node> prune(List<Node> siblings, boolean top) {
        List<Node> out = new ArrayList<>(siblings.size());
        for (Node n : siblings) {
            List<Node> kids = prune(new ArrayList<>(n.children), false);
            n.children.clear();
            for (Node k : kids) {
                n.add(k);
            }
            if (n.dummy()) {
                if (n.children.isEmpty()) {
                    continue;
                }
                if (!top || n.children.size() == 1) {
                    for (Node k : n.children) {
                        k.parent = n.parent;
                        out.add(k);
                    }
                    continue;
                }
            }
            out.add(n);
        }
        return out;
    }

    private static void sortTree(List<Node> siblings) {
        for (Node n : siblings) {
            sortTree(n.children);
        }
        siblings.sort(BY_DATE);
    }

    // ---- output ----

    /** Writes a thread's members inside its parentheses. */
    static void format(StringBuilder b, Node n, ToLongFunction<SearchCandidate> number) {
        if (n.dummy()) {
            for (Node c : n.children) {
                b.append('(');
                format(b, c, number);
                b.append(')');
            }
            return;
        }
        b.append(number.applyAsLong(n.message));
        if (n.children.size() == 1) {
            b.append(' ');
            format(b, n.children.get(0), number);
        } else if (n.children.size() > 1) {
            b.append(' ');
            for (Node c : n.children) {
                b.append('(');
                format(b, c, number);
                b.append(')');
            }
        }
    }
}
