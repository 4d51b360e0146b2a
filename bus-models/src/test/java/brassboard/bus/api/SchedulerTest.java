package brassboard.bus.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchedulerTest {
    @Test
    void whatAnotherThreadPostsRunsOnlyWhenTheSimulationThreadAsksInOrder() throws Exception {
        Scheduler s = new Scheduler();
        List<String> ran = new ArrayList<>();
        s.advanceTo(40);
        Thread host = new Thread(() -> {
            s.postFromHost(() -> ran.add("first@" + s.now()));
            s.postFromHost(() -> ran.add("second@" + s.now()));
        });
        host.start();
        host.join();
        assertThat(ran).isEmpty();
        s.runHostPosts();
        assertThat(ran).containsExactly("first@40", "second@40");
        s.runHostPosts();
        assertThat(ran).hasSize(2);
    }

    @Test
    void eventsFireInTimeThenSequenceOrder() {
        Scheduler s = new Scheduler();
        List<String> fired = new ArrayList<>();
        s.schedule(30, "c", () -> fired.add("c@" + s.now()));
        s.schedule(10, "a", () -> fired.add("a@" + s.now()));
        s.schedule(10, "b", () -> fired.add("b@" + s.now()));
        s.advanceTo(100);
        assertThat(fired).containsExactly("a@10", "b@10", "c@30");
        assertThat(s.now()).isEqualTo(100);
    }

    @Test
    void eventsScheduledByCallbacksInsideTheWindowFire() {
        Scheduler s = new Scheduler();
        List<Long> times = new ArrayList<>();
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            times.add(s.now());
            s.schedule(25, "tick", tick[0]);
        };
        s.schedule(0, "tick", tick[0]);
        s.advanceTo(60);
        assertThat(times).containsExactly(0L, 25L, 50L);
        assertThat(s.nextEventTime()).isEqualTo(75);
    }

    @Test
    void cancelledEventsDoNotFire() {
        Scheduler s = new Scheduler();
        List<String> fired = new ArrayList<>();
        Scheduler.Event e = s.schedule(5, "x", () -> fired.add("x"));
        assertThat(s.cancel(e)).isTrue();
        assertThat(s.cancel(e)).isFalse();
        s.step(10);
        assertThat(fired).isEmpty();
        assertThat(s.hasPendingEvents()).isFalse();
        assertThat(s.nextEventTime()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void timeNeverRunsBackwards() {
        Scheduler s = new Scheduler();
        s.step(50);
        assertThatThrownBy(() -> s.advanceTo(10)).hasMessageContaining("back");
        assertThatThrownBy(() -> s.scheduleAt(10, "late", () -> { })).hasMessageContaining("before the current time");
        assertThatThrownBy(() -> s.schedule(-1, "neg", () -> { })).hasMessageContaining("negative");
    }

    @Test
    void insideAQuantumNowIncludesTheCpusElapsedTime() {
        Scheduler s = new Scheduler();
        s.step(100);
        long[] elapsed = {0};
        List<Long> fired = new ArrayList<>();
        s.beginQuantum(() -> elapsed[0]);
        elapsed[0] = 40;
        assertThat(s.now()).isEqualTo(140);
        s.schedule(5, "mid", () -> fired.add(s.now()));
        assertThatThrownBy(() -> s.step(1)).isInstanceOf(IllegalStateException.class);
        s.endQuantum();
        assertThat(s.now()).isEqualTo(100);
        s.advanceTo(200);
        assertThat(fired).containsExactly(145L);
    }
}
