package brassboard.arm.a32;

/** Executes one decoded A32 instruction whose condition passed; bound to one core's handler objects. */
@FunctionalInterface
public interface A32Handler {
    void execute(int word);
}
