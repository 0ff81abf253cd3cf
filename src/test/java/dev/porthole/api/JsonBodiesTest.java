package dev.porthole.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.porthole.docker.EnvironmentSpec;
import dev.porthole.error.PortholeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A body that does not fit is refused in Porthole's words: what is wrong and where, never the JSON library's. */
class JsonBodiesTest {
    private final JsonBodies bodies = new JsonBodies();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "null                                  | the body must be a JSON object",
        "[]                                    | malformed JSON body: the body must be a JSON object, not a list",
        "`\"/bin/sh\"`                         | malformed JSON body: the body must be a JSON object, not text",
        "42                                    | malformed JSON body: the body must be a JSON object, not a number",
        "true                                  | malformed JSON body: the body must be a JSON object, not true",
        "{                                     | malformed JSON body: it ends before the JSON value does",
        "{}{}                                  | malformed JSON body: there is more after the JSON object",
        "{'shell':1}                           | malformed JSON body: it is not JSON (line 1, column 2)",
        "`{\"shell\":\"a\",\"shell\":\"b\"}`   | malformed JSON body: duplicate field 'shell'",
        "`{\"colour\":\"red\"}`                | malformed JSON body: unknown field 'colour'; the fields are shell, user",
        "`{\"shell\":5}`                       | malformed JSON body: 'shell' must be text",
        "`{\"shell\":[\"/bin/sh\"]}`           | malformed JSON body: 'shell' must be text",
        "`{\"user\":false}`                    | malformed JSON body: 'user' must be text",
        "`{\"shell\":[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]}` | malformed JSON body: it is nested deeper than 16 levels",
    })
    void anExecBodyThatDoesNotFitIsRefusedInOurWords(String body, String message) {
        PortholeException e = assertThrows(PortholeException.class, () -> bodies.read(body, ExecRequest.class));
        assertEquals(message, e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "`{\"user\":\"ci\",\"roles\":\"porthole-exec\"}` | malformed JSON body: 'roles' must be a list",
        "`{\"user\":\"ci\",\"roles\":[5]}`               | malformed JSON body: 'roles[0]' must be text",
    })
    void whereInTheBodyIsNamed(String body, String message) {
        PortholeException e = assertThrows(PortholeException.class, () -> bodies.read(body, TokenRequest.class));
        assertEquals(message, e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "`{\"id\":\"2\",\"url\":\"tcp://h:1\"}`         | malformed JSON body: 'id' must be a whole number",
        "`{\"id\":2.5,\"url\":\"tcp://h:1\"}`           | malformed JSON body: 'id' must be a whole number",
        "`{\"id\":2.0,\"url\":\"tcp://h:1\"}`           | malformed JSON body: 'id' must be a whole number",
        "`{\"url\":\"tcp://h:1\",\"tls\":{\"skipVerify\":\"true\"}}` | malformed JSON body: 'tls.skipVerify' must be true or false",
        "`{\"url\":\"tcp://h:1\",\"tls\":\"x\"}`        | malformed JSON body: 'tls' must be an object",
    })
    void numbersAndBooleansAreNotReadFromText(String body, String message) {
        PortholeException e = assertThrows(PortholeException.class, () -> bodies.read(body, EnvironmentSpec.class));
        assertEquals(message, e.getMessage());
    }

    @Test
    void anEmptyBodyIsAnEmptyObject() {
        assertEquals(new ExecRequest(null, null), bodies.read("  ", ExecRequest.class));
    }
}
