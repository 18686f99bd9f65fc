package smpcall.kernel;

import smpcall.machine.RefCell;

/** The lock-less list of include/linux/llist.h, on CSD nodes. */
final class Llist {
    private Llist() {}

    /**
     * llist_add(): push {@code node} onto {@code head} with a cmpxchg loop. Returns true if
     * the list was empty before, which is what tells the sender to send an IPI.
     */
    static boolean llistAdd(Csd node, RefCell<Csd> head) {
        Csd first = head.readOnce();
        while (true) {
            node.next.set(first);
            Csd seen = head.cmpxchg(first, node);
            if (seen == first) return first == null;
            first = seen;
        }
    }

    /** llist_del_all(): take the whole list. */
    static Csd llistDelAll(RefCell<Csd> head) {
        return head.xchg(null);
    }

    /** llist_reverse_order(): the list is pushed LIFO; this restores the order of arrival. */
    static Csd llistReverseOrder(Csd head) {
        Csd newHead = null;
        while (head != null) {
            Csd tmp = head;
            head = head.next.get();
            tmp.next.set(newHead);
            newHead = tmp;
        }
        return newHead;
    }
}
