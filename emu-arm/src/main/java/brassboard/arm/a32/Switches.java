package brassboard.arm.a32;

/**
 * The translator's on/off measurement switches ({@code -Dbrassboard.jit.follow}, {@code .calls},
 * {@code .rawPages}). A class of its own, with no static state, so that any class may read a switch in
 * its static initialiser without starting another's.
 */
final class Switches {
    private Switches() {
    }

    /**
     * The setting {@code value} of switch {@code property} names (null: on); anything but {@code true} or
     * {@code false} is reported on {@code err} in one line, saying {@code onMeans}, and the switch stays on
     * (a measurement switch must not stop a run).
     */
    static boolean on(String property, String value, String onMeans, java.io.PrintStream err) {
        if (value == null || value.strip().equalsIgnoreCase("true")) {
            return true;
        }
        if (value.strip().equalsIgnoreCase("false")) {
            return false;
        }
        err.println("brassboard: -D" + property + "=" + value + " ignored: expected true or false; " + onMeans);
        return true;
    }
}
