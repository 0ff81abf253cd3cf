package dev.porthole.error;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProblemTest {

    @Test
    void everyProblemButTheOrdinaryEndHasAnErrorStatusAndAValidCloseCode() {
        for (Problem problem : Problem.values()) {
            if (problem == Problem.ENDED) {
                assertTrue(problem.closeCode() == 1000, "an ordinary end closes with 1000");
                continue;
            }
            assertTrue(problem.httpStatus() >= 400 && problem.httpStatus() < 600, problem.name());
            int code = problem.closeCode();
            boolean standard = code == 1001 || code == 1008 || code == 1009 || code == 1011;
            boolean application = code >= 4000 && code <= 4999;
            assertTrue(standard || application, problem + " closes with " + code);
        }
    }

    @Test
    void clientErrorsMirrorTheirHttpStatusInTheApplicationRange() {
        Set<Integer> seen = new HashSet<>();
        for (Problem problem : Problem.values()) {
            if (problem.closeCode() >= 4000) {
                assertTrue(problem.closeCode() == 4000 + problem.httpStatus(), problem.name());
                assertTrue(seen.add(problem.closeCode()), "two problems close with " + problem.closeCode());
            }
        }
    }

    @Test
    void printableReplacesControlCharactersAndBoundsLength() {
        assertTrue(Printable.of("a\u0000b\nc", 10).equals("a?b?c"));
        assertTrue(Printable.of("x".repeat(100), 10).equals("x".repeat(10) + "…"));
    }
}
