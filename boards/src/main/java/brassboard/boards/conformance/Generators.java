package brassboard.boards.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** What the A32 and T32 generators share: class selection, case sizing and the initial window. */
final class Generators {
    /** Builds one case of exactly the given number of instructions. */
    interface CaseMaker {
        TestCase next(int id, int length);
    }

    private Generators() {
    }

    /** {@code known}, or only {@code onlyClass}; an unknown class is an error naming the known ones. */
    static List<String> select(String onlyClass, List<String> known) {
        if (onlyClass != null && !known.contains(onlyClass)) {
            throw new IllegalArgumentException("unknown class '" + onlyClass + "'; known classes: " + String.join(", ", known));
        }
        return onlyClass == null ? known : List.of(onlyClass);
    }

    /** Test cases of 1 to {@code maxSequence} instructions holding {@code instructions} in all (the last may be shorter). */
    static List<TestCase> generate(long instructions, int maxSequence, SplittableRandom rnd, CaseMaker maker) {
        List<TestCase> cases = new ArrayList<>();
        long left = instructions;
        while (left > 0) {
            int len = (int) Math.min(left, 1 + rnd.nextInt(maxSequence));
            TestCase c = maker.next(cases.size(), len);
            cases.add(c);
            left -= c.insns().size();
        }
        return cases;
    }

    /** A class, weighted by the square root of its number of encodings: big classes get more, small ones still plenty. */
    static String pickClass(SplittableRandom rnd, List<String> classes, Map<String, ? extends List<?>> byClass) {
        double total = 0;
        for (String c : classes) {
            total += Math.sqrt(byClass.get(c).size());
        }
        double x = rnd.nextDouble() * total;
        for (String c : classes) {
            x -= Math.sqrt(byClass.get(c).size());
            if (x < 0) {
                return c;
            }
        }
        return classes.get(classes.size() - 1);
    }

    /** The scratch window's initial contents: random words, a quarter of them "interesting" values. */
    static byte[] window(SplittableRandom rnd) {
        byte[] window = new byte[Harness.WINDOW_SIZE];
        for (int i = 0; i < window.length; i += 4) {
            int v = rnd.nextInt(4) == 0 ? A32Generator.interesting(rnd) : rnd.nextInt();
            window[i] = (byte) v;
            window[i + 1] = (byte) (v >>> 8);
            window[i + 2] = (byte) (v >>> 16);
            window[i + 3] = (byte) (v >>> 24);
        }
        return window;
    }
}
