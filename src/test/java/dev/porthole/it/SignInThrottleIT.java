package dev.porthole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The sign-in throttle counts an attempt before the realm is asked, so attempts sent at once cannot all slip past
 * it, and it counts a name the way a realm compares names (case, surrounding and repeated spaces, full-width and
 * other compatibility forms, invisible characters) and an address the way a network assigns them (an IPv6 /64 is
 * one client). The wait after the free failures is a minute here, so nothing in these tests outlasts it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SignInThrottleIT {
    private static final int FREE = 3;
    private static final int FREE_PER_ADDRESS = 10;
    private TestServer.Running server;
    private int addresses;

    @BeforeAll
    void start() {
        server = TestServer.startServer(
                "security.sign-in.free-failures=" + FREE,
                "security.sign-in.lockout-failures=10",
                "security.sign-in.free-failures-per-address=" + FREE_PER_ADDRESS,
                "security.sign-in.lockout-failures-per-address=30",
                "security.sign-in.delay=60s",
                "security.sign-in.lockout=15m");
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }

    @Test
    void attemptsAtOnceOnOneNameReachTheRealmOnlyAsOftenAsTheFreeFailures() throws Exception {
        String name = "parallel-" + System.nanoTime();
        Map<Integer, Integer> statuses = atOnce(2 * FREE, i -> login(name, "wrong", address()));
        assertEquals(Map.of(401, FREE, 429, FREE), statuses);
    }

    @Test
    void attemptsAtOnceFromOneAddressReachTheRealmOnlyAsOftenAsItsFreeFailures() throws Exception {
        String address = address();
        Map<Integer, Integer> statuses = atOnce(FREE_PER_ADDRESS + 4, i -> login("spray-" + i + "-" + System.nanoTime(),
                "wrong", address));
        assertEquals(Map.of(401, FREE_PER_ADDRESS, 429, 4), statuses);
    }

    @Test
    void aNameIsCountedAsTheRealmComparesIt() {
        String name = "ghost" + (System.nanoTime() % 100000);
        for (int i = 0; i < FREE; i++) {
            assertEquals(401, login(name, "wrong", address()).status());
        }
        String fullWidth = name.chars().mapToObj(c -> Character.toString(c >= '!' && c <= '~' ? c - '!' + '\uFF01' : c))
                .reduce("", String::concat);
        for (String spelling : List.of(name, name.toUpperCase(), " " + name, name + "  ", fullWidth,
                name.substring(0, 2) + "\u200B" + name.substring(2), name.substring(0, 2) + "\u00AD" + name.substring(2))) {
            ApiClient.Response r = login(spelling, "wrong", address());
            assertEquals(429, r.status(), "'" + spelling + "' got fresh counters: " + r.body());
        }
    }

    @Test
    void oneIpv6NetworkCountsAsOneAddress() {
        for (int i = 0; i < FREE_PER_ADDRESS; i++) {
            assertEquals(401, login("v6-" + i + "-" + System.nanoTime(), "wrong", "2001:db8:77:1::" + (i + 1)).status());
        }
        for (String sibling : List.of("2001:db8:77:1::ff", "2001:DB8:77:1:0:0:0:1", "2001:db8:77:1:abcd::9")) {
            ApiClient.Response r = login("v6-next-" + System.nanoTime(), "wrong", sibling);
            assertEquals(429, r.status(), sibling + ": " + r.body());
        }
        assertEquals(401, login("v6-other-" + System.nanoTime(), "wrong", "2001:db8:77:2::1").status(),
                "another network is another client");
    }

    /** Sends {@code count} attempts released at the same moment; answers how many got each status. */
    private static Map<Integer, Integer> atOnce(int count, IntFunction<ApiClient.Response> attempt) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(count);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<CompletableFuture<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                answers.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return attempt.apply(n).status();
                }, threads));
            }
            go.countDown();
            Map<Integer, Integer> statuses = new TreeMap<>();
            for (CompletableFuture<Integer> answer : answers) {
                statuses.merge(answer.join(), 1, Integer::sum);
            }
            return Collections.unmodifiableMap(statuses);
        } finally {
            threads.shutdownNow();
        }
    }

    /** A client address of its own for each use, so that only what a test means to count is counted. */
    private String address() {
        addresses++;
        return "198.51.100." + (100 + addresses);
    }

    private ApiClient.Response login(String user, String password, String address) {
        String body = "{\"username\":\"" + user.replace("\\", "\\\\").replace("\"", "\\\"") + "\",\"password\":\"" + password + "\"}";
        return server.client().send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "api/auth/login"))
                .header("Content-Type", "application/json").header("X-Forwarded-For", address)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }
}
