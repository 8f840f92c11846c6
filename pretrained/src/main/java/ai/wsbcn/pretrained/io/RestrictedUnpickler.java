package ai.wsbcn.pretrained.io;

import ai.wsbcn.util.InvalidInputException;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pickle reader that can rebuild what PyTorch checkpoints contain — dicts, ordered dicts, lists, tuples, strings,
 * numbers and tensors — and nothing else. It interprets the opcodes itself (nothing is ever executed) and accepts
 * only the globals needed for tensors and containers; any other global (os.system, builtins.eval, ...) is refused
 * with an error naming it, before anything it could do is reached. A checkpoint must never run code.
 */
final class RestrictedUnpickler {

    /** A module-level name referenced by the pickle (only allowed ones are ever created). */
    record Global(String module, String name) {
        String qualified() {
            return module + "." + name;
        }
    }

    /** A pickled tuple. */
    record Tuple(List<Object> items) {
        Object get(int i) {
            return items.get(i);
        }

        int size() {
            return items.size();
        }
    }

    /** A tensor before its storage bytes are attached: storage reference, offset, size, stride. */
    record TensorRef(Object storage, long offset, long[] size, long[] stride) {}

    /** Resolves persistent ids (PyTorch's storage references) found by BINPERSID. */
    interface PersistentLoader {
        Object load(Object pid) throws IOException;
    }

    static final Set<String> ALLOWED = Set.of("collections.OrderedDict", "torch._utils._rebuild_tensor_v2",
            "torch._utils._rebuild_tensor", "torch._utils._rebuild_parameter", "torch.FloatStorage",
            "torch.DoubleStorage", "torch.HalfStorage", "torch.BFloat16Storage", "torch.LongStorage",
            "torch.IntStorage", "torch.ShortStorage", "torch.CharStorage", "torch.ByteStorage", "torch.BoolStorage",
            "torch.storage.UntypedStorage", "torch.float32", "torch.float16", "torch.bfloat16", "torch.float64",
            "torch.int64", "torch.int32", "torch.uint8", "torch.bool", "torch._utils._rebuild_device_tensor_from_numpy",
            "builtins.set");

    private static final Object MARK = new Object();

    private final InputStream in;
    private final String source;
    private final PersistentLoader persistentLoader;
    private final List<Object> stack = new ArrayList<>();
    private final Map<Integer, Object> memo = new HashMap<>();

    RestrictedUnpickler(InputStream in, String source, PersistentLoader persistentLoader) {
        this.in = in;
        this.source = source;
        this.persistentLoader = persistentLoader;
    }

    /** Reads one pickle (up to its STOP opcode) and returns the object it builds. */
    Object load() throws IOException {
        stack.clear();
        memo.clear();
        while (true) {
            int op = in.read();
            if (op < 0) {
                throw new EOFException(source + ": pickle ends without STOP");
            }
            switch (op) {
                case 0x80: // PROTO
                    u8();
                    break;
                case 0x95: // FRAME
                    bytes(8);
                    break;
                case '}':
                    push(new LinkedHashMap<Object, Object>());
                    break;
                case ']':
                    push(new ArrayList<>());
                    break;
                case ')':
                    push(new Tuple(List.of()));
                    break;
                case 'q':
                    memo.put(u8(), peek());
                    break;
                case 'r':
                    memo.put(i32(), peek());
                    break;
                case 0x94: // MEMOIZE
                    memo.put(memo.size(), peek());
                    break;
                case 'h':
                    push(fromMemo(u8()));
                    break;
                case 'j':
                    push(fromMemo(i32()));
                    break;
                case '(':
                    push(MARK);
                    break;
                case 'X':
                    push(new String(bytes(i32()), StandardCharsets.UTF_8));
                    break;
                case 0x8c: // SHORT_BINUNICODE
                    push(new String(bytes(u8()), StandardCharsets.UTF_8));
                    break;
                case 0x8d: // BINUNICODE8
                    push(new String(bytes(Math.toIntExact(i64())), StandardCharsets.UTF_8));
                    break;
                case 'U':
                    push(new String(bytes(u8()), StandardCharsets.ISO_8859_1));
                    break;
                case 'T':
                    push(new String(bytes(i32()), StandardCharsets.ISO_8859_1));
                    break;
                case 'C':
                    push(bytes(u8()));
                    break;
                case 'B':
                    push(bytes(i32()));
                    break;
                case 'c':
                    push(global(line(), line()));
                    break;
                case 0x93: { // STACK_GLOBAL
                    String name = (String) pop();
                    String module = (String) pop();
                    push(global(module, name));
                    break;
                }
                case 'Q':
                    push(persistentLoader.load(pop()));
                    break;
                case 't':
                    push(new Tuple(popToMark()));
                    break;
                case 0x85:
                    push(new Tuple(List.of(pop())));
                    break;
                case 0x86: {
                    Object b = pop();
                    Object a = pop();
                    push(new Tuple(List.of(a, b)));
                    break;
                }
                case 0x87: {
                    Object c = pop();
                    Object b = pop();
                    Object a = pop();
                    push(new Tuple(List.of(a, b, c)));
                    break;
                }
                case 'K':
                    push((long) u8());
                    break;
                case 'M':
                    push((long) (u8() | (u8() << 8)));
                    break;
                case 'J':
                    push((long) i32());
                    break;
                case 0x8a: // LONG1
                    push(longBytes(bytes(u8())));
                    break;
                case 0x8b: // LONG4
                    push(longBytes(bytes(i32())));
                    break;
                case 0x88:
                    push(Boolean.TRUE);
                    break;
                case 0x89:
                    push(Boolean.FALSE);
                    break;
                case 'N':
                    push(null);
                    break;
                case 'G':
                    push(Double.longBitsToDouble(new BigInteger(1, bytes(8)).longValue()));
                    break;
                case 'R': {
                    Object args = pop();
                    Object callable = pop();
                    push(call(callable, (Tuple) args));
                    break;
                }
                case 0x81: { // NEWOBJ
                    Object args = pop();
                    Object cls = pop();
                    push(call(cls, (Tuple) args));
                    break;
                }
                case 'b': // BUILD: state of an OrderedDict / tensor metadata; nothing to apply for our objects
                    pop();
                    break;
                case 's': {
                    Object value = pop();
                    Object key = pop();
                    asMap(peek()).put(key, value);
                    break;
                }
                case 'u': {
                    List<Object> items = popToMark();
                    Map<Object, Object> map = asMap(peek());
                    for (int i = 0; i + 1 < items.size(); i += 2) {
                        map.put(items.get(i), items.get(i + 1));
                    }
                    break;
                }
                case 'a': {
                    Object value = pop();
                    asList(peek()).add(value);
                    break;
                }
                case 'e': {
                    List<Object> items = popToMark();
                    asList(peek()).addAll(items);
                    break;
                }
                case 'd': {
                    List<Object> items = popToMark();
                    Map<Object, Object> map = new LinkedHashMap<>();
                    for (int i = 0; i + 1 < items.size(); i += 2) {
                        map.put(items.get(i), items.get(i + 1));
                    }
                    push(map);
                    break;
                }
                case 'l':
                    push(new ArrayList<>(popToMark()));
                    break;
                case '.':
                    return pop();
                default:
                    throw new InvalidInputException(source + ": unsupported pickle opcode 0x"
                            + Integer.toHexString(op) + " (not something a PyTorch checkpoint needs); refused");
            }
        }
    }

    private Global global(String module, String name) {
        Global g = new Global(module, name);
        if (!ALLOWED.contains(g.qualified())) {
            throw new InvalidInputException(source + ": refused: the pickle references the global '" + g.qualified()
                    + "', which a checkpoint does not need (only tensors and containers are loaded; nothing is"
                    + " executed)");
        }
        return g;
    }

    private Object call(Object callable, Tuple args) {
        if (!(callable instanceof Global)) {
            throw new InvalidInputException(source + ": refused: the pickle calls a non-global object");
        }
        String name = ((Global) callable).qualified();
        switch (name) {
            case "collections.OrderedDict":
                return new LinkedHashMap<Object, Object>();
            case "builtins.set":
                return new ArrayList<>(args.size() > 0 && args.get(0) instanceof List ? (List<?>) args.get(0)
                        : List.of());
            case "torch._utils._rebuild_tensor_v2":
            case "torch._utils._rebuild_tensor":
                return new TensorRef(args.get(0), ((Number) args.get(1)).longValue(), longs(args.get(2)),
                        longs(args.get(3)));
            case "torch._utils._rebuild_parameter":
                return args.get(0);
            default:
                throw new InvalidInputException(source + ": refused: the pickle calls '" + name
                        + "', which a tensor checkpoint does not need");
        }
    }

    private static long[] longs(Object tuple) {
        List<Object> items = ((Tuple) tuple).items();
        long[] out = new long[items.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) items.get(i)).longValue();
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> asMap(Object o) {
        if (!(o instanceof Map)) {
            throw new InvalidInputException(source + ": malformed pickle (SETITEM on a " + typeName(o) + ")");
        }
        return (Map<Object, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private List<Object> asList(Object o) {
        if (!(o instanceof List)) {
            throw new InvalidInputException(source + ": malformed pickle (APPEND on a " + typeName(o) + ")");
        }
        return (List<Object>) o;
    }

    private static String typeName(Object o) {
        return o == null ? "None" : o.getClass().getSimpleName();
    }

    private Object fromMemo(int key) {
        if (!memo.containsKey(key)) {
            throw new InvalidInputException(source + ": malformed pickle (memo " + key + " missing)");
        }
        return memo.get(key);
    }

    private void push(Object o) {
        stack.add(o);
    }

    private Object pop() {
        if (stack.isEmpty()) {
            throw new InvalidInputException(source + ": malformed pickle (stack underflow)");
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek() {
        if (stack.isEmpty()) {
            throw new InvalidInputException(source + ": malformed pickle (empty stack)");
        }
        return stack.get(stack.size() - 1);
    }

    private List<Object> popToMark() {
        int i = stack.size() - 1;
        while (i >= 0 && stack.get(i) != MARK) {
            i--;
        }
        if (i < 0) {
            throw new InvalidInputException(source + ": malformed pickle (no MARK)");
        }
        List<Object> items = new ArrayList<>(stack.subList(i + 1, stack.size()));
        stack.subList(i, stack.size()).clear();
        return items;
    }

    private int u8() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException(source + ": truncated pickle");
        }
        return b;
    }

    private int i32() throws IOException {
        byte[] b = bytes(4);
        return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
    }

    private long i64() throws IOException {
        byte[] b = bytes(8);
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xff);
        }
        return v;
    }

    private byte[] bytes(int n) throws IOException {
        if (n < 0 || n > (1 << 30)) {
            throw new InvalidInputException(source + ": malformed pickle (length " + n + ")");
        }
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new EOFException(source + ": truncated pickle");
        }
        return b;
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = u8()) != '\n') {
            sb.append((char) c);
            if (sb.length() > 256) {
                throw new InvalidInputException(source + ": malformed pickle (GLOBAL name too long)");
            }
        }
        return sb.toString();
    }

    /** Little-endian two's-complement integer (LONG1/LONG4), as a Long when it fits, else a BigInteger. */
    private static Object longBytes(byte[] le) {
        if (le.length == 0) {
            return 0L;
        }
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) {
            be[i] = le[le.length - 1 - i];
        }
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }
}
