/** Fault plans: rules loaded from YAML or built in Java, validated against a machine's fault points, and the engine that injects them. */
package brassboard.boards.faults;
