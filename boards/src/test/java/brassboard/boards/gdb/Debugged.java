package brassboard.boards.gdb;

import brassboard.boards.api.Machine;
import brassboard.boards.api.RunLimits;
import brassboard.boards.api.RunResult;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A machine run on its own thread with the stub attached, held before its first instruction until a client resumes it. */
final class Debugged implements AutoCloseable {
    final Machine machine;
    final GdbServer server;
    final GdbStub stub;
    final List<String> log = new CopyOnWriteArrayList<>();
    private final Thread runner;
    private volatile RunResult result;
    private volatile Throwable failure;

    Debugged(Machine machine, RunLimits limits) throws Exception {
        this.machine = machine;
        this.server = new GdbServer(new GdbServer.Endpoint("127.0.0.1", 0), log::add);
        this.stub = GdbStub.attach(machine, server, log::add);
        runner = new Thread(() -> {
            try {
                stub.waitForClient();
                result = machine.run(limits);
                stub.machineEnded(result);
            } catch (Throwable t) {
                failure = t;
            }
        }, "simulation");
        runner.setDaemon(true);
        runner.start();
    }

    RspClient connect() throws Exception {
        return new RspClient(server.port());
    }

    /** The run's result, once it ends (within 60 s). */
    RunResult awaitEnd() throws Exception {
        runner.join(TimeUnit.SECONDS.toMillis(60));
        if (failure != null) {
            throw new AssertionError("the simulation thread failed", failure);
        }
        if (result == null) {
            throw new AssertionError("the run did not end within 60 s");
        }
        return result;
    }

    @Override
    public void close() {
        server.close();
    }
}
