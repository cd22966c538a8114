package dev.antorcha.backend.cpu;

import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.SoftReference;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;

/**
 * The large arrays of tensors that became unreachable, kept to be the memory of new tensors
 * instead of fresh arrays (PyTorch's CPU allocator hands freed blocks back the same way). A fresh
 * Java array is zeroed by the JVM on the allocating thread, and a training step of the MNIST CNN
 * allocates some 80 MB of activations and gradients: about a sixth of its time went into that
 * zeroing, and more into the collector copying the arrays that were still live.
 *
 * <p>Only arrays of {@link #MIN_ELEMENTS} to {@link #MAX_ELEMENTS} elements that
 * {@link CpuStorage#allocateUninitialized} made are tracked. An array comes back in two ways: at
 * once when its owner says that nothing will touch the storage again ({@link #give}: autograd's
 * engine for a spent gradient, a node for a pooling's indices or a dropout's mask), or when a
 * {@link PhantomReference} to the storage, enqueued after a collection, tells that no tensor can
 * reach it any more. Arrays of storages made by {@link CpuStorage#allocate} or adopted from a
 * caller are never taken (such arrays may leave the backend, e.g. through {@code toFloatArray()}).
 *
 * <p>Each thread has its own lists and takes only arrays its own allocations made, so an array
 * is handed out again only by the thread that made it, at an allocation: every kernel this
 * thread started before has returned by then (kernels are synchronous), and the op that asks for
 * memory keeps its inputs reachable until its kernel ran ({@code reachabilityFence}). The lists
 * hold at most a third of the maximum heap (512 MB at most, 8 arrays of a length), softly (a heap
 * about to run out clears them before it fails); beyond that, and for lengths no longer asked
 * for, the arrays are left to the collector.
 *
 * <p>Since young collections find the unreachable storages, the arrays serve best where they come
 * often: a small young generation, with the arrays themselves allocated in the old one (the
 * launcher's settings for the CNN, see its heap.sh). A request that finds no array while storages of
 * its length are still tracked provokes one ({@link #collectYoung}: garbage until a weak reference
 * clears, 4 MB at most): a step's arrays died at its end, but the next step's requests came before
 * a collection had found them, and the arrays made instead filled the old generation (the MNIST CNN:
 * about 150 full collections an epoch where a kernel made little garbage of its own, 7 to 11 with this).
 */
final class Recycler {
    /** The smallest array tracked: 256 Ki elements (1 MB of floats), where zeroing starts to count. */
    static final int MIN_ELEMENTS = 1 << 18;
    /**
     * The largest array tracked: 16 Mi elements (64 MB of floats). Beyond it a list would hold what a
     * young collection frees for nothing: the word model's [700, 33278] logits (93 MB), in its large
     * young generation, died young and cheaply, and kept for reuse they made its epoch 14% slower.
     */
    static final int MAX_ELEMENTS = 1 << 24;

    /** {@code -Dantorcha.recycle=false} turns recycling off (the launcher does for word-lm, see there). */
    private static final boolean ENABLED = !"false".equals(System.getProperty("antorcha.recycle"));
    /**
     * At most this many bytes in a thread's lists, and {@link #PER_LENGTH} arrays of one length: in
     * a large young generation (a default heap of several GB) collections come seldom, requests
     * miss meanwhile, and the arrays made instead would otherwise all be kept once found.
     */
    private static final long MAX_FREE_BYTES = 512L << 20;
    private static final int PER_LENGTH = 8;
    /** Allocations after which a length not asked for again is let go. */
    private static final int STALE = 64;
    private static final ThreadLocal<Recycler> LOCAL = ThreadLocal.withInitial(Recycler::new);
    /** Tests: arrays handed out filled with NaN (-1 in int64), so that a kernel which reads memory it did not write shows. */
    private static volatile boolean poison = Boolean.getBoolean("antorcha.poisonUninitialized");

    private final ReferenceQueue<CpuStorage> queue = new ReferenceQueue<>();
    private final HashSet<Tracked> tracked = new HashSet<>();
    private final HashMap<Long, ArrayDeque<SoftReference<Object>>> free = new HashMap<>();
    private final HashMap<Long, Long> lastAsked = new HashMap<>();
    /** Tracked storages of each key not yet found unreachable (or given back). */
    private final HashMap<Long, Integer> pending = new HashMap<>();
    /** No collection is provoked before this clock: the last one found nothing of the length asked for. */
    private long quietUntil;
    /** Allocations without a provoked collection after one that found nothing. */
    private static final int QUIET = 8;
    /** Provoked collections in a row that did not come (the filler was less than the young generation's room). */
    private int noCollection;
    private final long capacity = Math.min(Runtime.getRuntime().maxMemory() / 3, MAX_FREE_BYTES);
    private long freeBytes;
    private long clock;
    private long given;

    private static final class Tracked extends PhantomReference<CpuStorage> {
        Object array;
        final long key;
        final Recycler owner;

        Tracked(CpuStorage storage, Object array, long key, Recycler owner) {
            super(storage, owner.queue);
            this.array = array;
            this.key = key;
            this.owner = owner;
        }
    }

    private Recycler() {
    }

    /** Fills arrays handed out by {@link CpuStorage#allocateUninitialized} with NaN (tests only). */
    static void poisonForTests(boolean on) {
        poison = on;
    }

    static boolean poisoned() {
        return poison;
    }

    /**
     * An array of {@code kind} (0 float, 1 double, 2 long) and length {@code n} from this thread's
     * lists, its old contents left in place; null when there is none, or the length is not tracked.
     */
    static Object take(int kind, int n) {
        return n >= MIN_ELEMENTS && n <= MAX_ELEMENTS && ENABLED && !poison ? LOCAL.get().take(key(kind, n)) : null;
    }

    /** Fills {@code array} with NaN (-1 in int64) when poisoning is on (tests). */
    static void poison(Object array) {
        if (!poison) return;
        switch (array) {
            case float[] f -> java.util.Arrays.fill(f, Float.NaN);
            case double[] d -> java.util.Arrays.fill(d, Double.NaN);
            case long[] l -> java.util.Arrays.fill(l, -1L);
            default -> throw new IllegalArgumentException("no poison for " + array.getClass());
        }
    }

    /** Tracks {@code array}, the memory of {@code storage}, to be taken again once the storage is unreachable. */
    static void track(CpuStorage storage, Object array, int kind, int n) {
        if (n < MIN_ELEMENTS || n > MAX_ELEMENTS || !ENABLED || poison) return;
        Recycler r = LOCAL.get();
        Tracked t = new Tracked(storage, array, key(kind, n), r);
        r.tracked.add(t);
        r.pending.merge(t.key, 1, Integer::sum);
        storage.ticket = t;
    }

    /**
     * {@code storage}'s array to the free list at once: its caller knows that nothing will touch
     * the storage again ({@link CpuBackend#recycle}). Only on the thread that made it; a storage
     * not tracked is left alone.
     */
    static void give(CpuStorage storage) {
        if (!(storage.ticket instanceof Tracked t) || t.array == null) return;
        Recycler r = LOCAL.get();
        if (t.owner != r) return;
        storage.ticket = null;
        r.tracked.remove(t);
        r.untrack(t.key);
        t.clear();
        Object a = t.array;
        t.array = null;
        r.given++;
        r.keep(t.key, a);
    }

    private static long key(int kind, int n) {
        return (long) n << 2 | kind;
    }

    private static long bytes(long key) {
        return (key >>> 2) * ((key & 3) == 0 ? Float.BYTES : Long.BYTES);
    }

    private Object take(long key) {
        drain();
        lastAsked.put(key, ++clock);
        Object a = fromList(key);
        if (a != null) return a;
        // storages of this length are still tracked: some may be unreachable already, unnoticed for
        // want of a young collection since. One now (a filler of garbage), rather than a new array.
        if (pending.getOrDefault(key, 0) > 0 && clock >= quietUntil) {
            if (collectYoung()) {
                noCollection = 0;
                drain();
                a = fromList(key);
                if (a != null) return a;
                quietUntil = clock + QUIET;
            } else {   // a young generation larger than the filler: try again ever more rarely, up to every 1,024
                quietUntil = clock + ((long) QUIET << Math.min(++noCollection, 7));
            }
        }
        dropStale();
        pace(bytes(key));
        return null;
    }

    /** One tracked storage of {@code key} fewer; a length none is left of leaves the map. */
    private void untrack(long key) {
        pending.merge(key, -1, (a, b) -> a + b == 0 ? null : a + b);
    }

    private Object fromList(long key) {
        ArrayDeque<SoftReference<Object>> list = free.get(key);
        if (list == null) return null;
        for (SoftReference<Object> r; (r = list.pollLast()) != null; ) {
            freeBytes -= bytes(key);
            Object a = r.get();
            if (a != null) return a;
        }
        return null;
    }

    /**
     * Allocates garbage (pieces of 128 KB, 4 MB at most) until a collection clears a weak reference
     * to a new object, then waits up to 5 ms for the reference handler to queue a storage it found
     * unreachable ({@link #drain} takes the rest). False when no collection came (a young generation
     * larger than 4 MB).
     */
    private boolean collectYoung() {
        WeakReference<Object> canary = new WeakReference<>(new Object());
        for (int made = 0; canary.get() != null; made += 128 * 1024) {
            if (made >= 4 << 20) return false;
            filler = new byte[128 * 1024];
        }
        long until = System.nanoTime() + 5_000_000;
        for (Reference<? extends CpuStorage> r; System.nanoTime() < until; Thread.onSpinWait()) {
            if ((r = queue.poll()) != null) {
                found((Tracked) r);
                break;
            }
        }
        return true;
    }

    /** Moves the arrays of storages found unreachable since the last call to their free lists. */
    private void drain() {
        for (Reference<? extends CpuStorage> r; (r = queue.poll()) != null; ) found((Tracked) r);
    }

    /** {@code t}'s storage is unreachable: its array to the free list. */
    private void found(Tracked t) {
        tracked.remove(t);
        untrack(t.key);
        if (t.array != null) keep(t.key, t.array);
        t.array = null;
    }

    /** {@code array} to the free list of {@code key}, unless that would take the lists over capacity. */
    private void keep(long key, Object array) {
        long b = bytes(key);
        ArrayDeque<SoftReference<Object>> list = free.get(key);
        if (list != null && list.size() >= PER_LENGTH) return;   // left to the collector
        if (freeBytes + b > capacity) evictFor(b, key);
        if (freeBytes + b > capacity) return;   // left to the collector
        free.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(new SoftReference<>(array));
        freeBytes += b;
    }

    /**
     * On a miss, a small array of garbage (a quarter of the miss, at most 512 KB): a young collection
     * is what finds unreachable storages, and work that makes few small objects (an evaluation
     * under no_grad) would otherwise go many large allocations without one, each of them a miss.
     */
    private static void pace(long missed) {
        filler = new byte[(int) Math.min(missed / 4, 512 * 1024)];
    }

    @SuppressWarnings("unused")
    private static volatile byte[] filler;

    /**
     * On a miss (a new length, as when a training loop turns to evaluation with another batch size):
     * lets go of the lengths not asked for in the last {@link #STALE} allocations, so that the heap
     * holds the arrays the work in hand uses rather than those of the work before.
     */
    private void dropStale() {
        for (Iterator<Map.Entry<Long, ArrayDeque<SoftReference<Object>>>> it = free.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, ArrayDeque<SoftReference<Object>>> e = it.next();
            if (lastAsked.getOrDefault(e.getKey(), 0L) < clock - STALE) {
                freeBytes -= bytes(e.getKey()) * e.getValue().size();
                it.remove();
            }
        }
        if (lastAsked.size() > 4 * STALE) lastAsked.values().removeIf(w -> w < clock - STALE);
    }

    /** Drops the arrays of the lengths asked for least recently (not {@code keep}'s) until {@code b} more bytes fit. */
    private void evictFor(long b, long keep) {
        while (freeBytes + b > capacity) {
            long oldest = -1, when = Long.MAX_VALUE;
            for (Map.Entry<Long, ArrayDeque<SoftReference<Object>>> e : free.entrySet()) {
                if (e.getKey() == keep || e.getValue().isEmpty()) continue;
                long w = lastAsked.getOrDefault(e.getKey(), 0L);
                if (w < when) {
                    when = w;
                    oldest = e.getKey();
                }
            }
            if (oldest < 0) return;
            ArrayDeque<SoftReference<Object>> list = free.get(oldest);
            list.pollFirst();
            freeBytes -= bytes(oldest);
            if (list.isEmpty()) free.remove(oldest);
        }
    }

    /**
     * Lets the collector have every array this thread keeps, those of storages found unreachable
     * but not yet listed included: called when an allocation failed, before it is tried again.
     */
    static void release() {
        Recycler r = LOCAL.get();
        for (Tracked t : r.tracked) t.array = null;    // a dead storage's array may wait in the queue
        r.tracked.clear();
        r.free.clear();
        r.freeBytes = 0;
    }

    /** How many arrays this thread's owners gave back at once ({@link #give}; tests). */
    static long givenForTests() {
        return LOCAL.get().given;
    }

    /** The bytes in this thread's free lists (tests). */
    static long freeBytesForTests() {
        Recycler r = LOCAL.get();
        r.drain();
        return r.freeBytes;
    }

    /** Empties this thread's free lists (tests). */
    static void clearForTests() {
        Recycler r = LOCAL.get();
        r.drain();
        for (Iterator<ArrayDeque<SoftReference<Object>>> it = r.free.values().iterator(); it.hasNext(); ) {
            it.next().clear();
            it.remove();
        }
        r.freeBytes = 0;
    }
}
