package smpcall.run;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The supertypes a class file names (its constant pool, this_class, super_class and
 * interfaces), to define compiled classes supertypes first.
 */
final class ClassBytes {
    private ClassBytes() {}

    /** The binary names of the superclass and interfaces of the class in {@code bytes}. */
    static List<String> supertypes(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        if (b.getInt() != 0xCAFEBABE) throw new IllegalArgumentException("not a class file");
        b.getShort();
        b.getShort();
        int n = b.getShort() & 0xffff;
        String[] utf8 = new String[n];
        int[] classNameIndex = new int[n];
        for (int i = 1; i < n; i++) {
            int tag = b.get();
            switch (tag) {
                case 1 -> {
                    byte[] s = new byte[b.getShort() & 0xffff];
                    b.get(s);
                    utf8[i] = new String(s, java.nio.charset.StandardCharsets.UTF_8);   // modified UTF-8; class names are plain
                }
                case 7 -> classNameIndex[i] = b.getShort() & 0xffff;
                case 8, 16, 19, 20 -> b.getShort();
                case 15 -> { b.get(); b.getShort(); }
                case 3, 4, 9, 10, 11, 12, 17, 18 -> b.getInt();
                case 5, 6 -> { b.getLong(); i++; }
                default -> throw new IllegalArgumentException("constant pool tag " + tag);
            }
        }
        b.getShort();   // access flags
        b.getShort();   // this_class
        List<String> out = new ArrayList<>();
        int sup = b.getShort() & 0xffff;
        if (sup != 0) out.add(utf8[classNameIndex[sup]].replace('/', '.'));
        int ni = b.getShort() & 0xffff;
        for (int i = 0; i < ni; i++) out.add(utf8[classNameIndex[b.getShort() & 0xffff]].replace('/', '.'));
        return out;
    }

    /** The classes in an order where each comes after the supertypes among them. */
    static Map<String, byte[]> supertypesFirst(Map<String, byte[]> classes) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        Set<String> visiting = new HashSet<>();
        for (String name : classes.keySet()) visit(name, classes, out, visiting);
        return out;
    }

    private static void visit(String name, Map<String, byte[]> classes, Map<String, byte[]> out, Set<String> visiting) {
        if (out.containsKey(name) || !classes.containsKey(name) || !visiting.add(name)) return;
        for (String s : supertypes(classes.get(name))) visit(s, classes, out, visiting);
        out.put(name, classes.get(name));
    }
}
