package brassboard.cli;

import brassboard.boards.api.Machine;
import brassboard.boards.api.RunResult;
import brassboard.boards.gdb.GdbServer;
import brassboard.boards.gdb.GdbStub;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * {@code run --gdb tcp:[HOST]:PORT [--wait-gdb]}: a GDB remote stub on the machine (see
 * {@link GdbStub} and docs/gdb.md). Listens on loopback unless HOST says otherwise; port 0 picks a
 * free port, printed on stderr.
 */
final class GdbOption {
    private final GdbServer server;
    private final GdbStub stub;

    private GdbOption(GdbServer server, GdbStub stub) {
        this.server = server;
        this.stub = stub;
    }

    /** The endpoint {@code --gdb} names, checked before anything is built. */
    static GdbServer.Endpoint parse(String spec, boolean wait) {
        if (spec == null) {
            if (wait) {
                throw new Main.UsageError("--wait-gdb waits for a debugger: it needs --gdb tcp::PORT");
            }
            return null;
        }
        try {
            return GdbServer.Endpoint.parse(spec);
        } catch (IllegalArgumentException e) {
            throw new Main.UsageError("--gdb " + spec + ": " + e.getMessage());
        }
    }

    /** Listens at {@code at} and attaches the stub to {@code machine}; with {@code wait}, holds it until GDB resumes it. */
    static GdbOption start(Machine machine, GdbServer.Endpoint at, boolean wait, PrintWriter err) {
        GdbServer server;
        try {
            server = new GdbServer(at, line -> {
                err.println("brassboard: " + line);
                err.flush();
            });
        } catch (IOException e) {
            throw new Main.UsageError("--gdb tcp:" + at.host() + ":" + at.port() + ": " + Main.oneLine(e.getMessage()));
        }
        GdbStub stub = GdbStub.attach(machine, server, line -> {
            err.println("brassboard: " + line);
            err.flush();
        });
        err.println("brassboard: gdb: listening on " + server.address() + " (in GDB: target remote " + server.address() + ")"
                + (wait ? "; waiting for it before the first instruction" : ""));
        err.flush();
        GdbOption g = new GdbOption(server, stub);
        if (wait) {
            try {
                stub.waitForClient();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return g;
    }

    /** The run ended: a waiting GDB hears the exit status; the listener closes. */
    void finish(RunResult result) {
        if (result != null) {
            stub.machineEnded(result);
        }
        server.close();
    }
}
