package brassboard.boards.campaign;

import brassboard.boards.api.RunResult;
import java.util.List;
import java.util.Optional;

/**
 * What one run did, as the classifier needs it.
 *
 * @param end             how the machine's run ended
 * @param output          the console output (at most the campaign's {@code max-output} bytes)
 * @param outputTruncated the firmware printed more than that
 * @param lockups         headlines of the lockup detectors' reports
 * @param exceptionLoop   what the exception-loop detector found, if it stopped the run
 * @param faultsInjected  how many faults the plan injected
 * @param firstFaults     the first few injections, one line each
 */
record RunObservation(RunResult end, byte[] output, boolean outputTruncated, List<String> lockups, Optional<String> exceptionLoop,
                   long faultsInjected, List<String> firstFaults) {
}
