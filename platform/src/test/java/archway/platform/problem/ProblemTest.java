package archway.platform.problem;

import static org.assertj.core.api.Assertions.assertThat;

import archway.platform.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ProblemTest {

    private static Problem parse(String json) throws IOException {
        return Json.mapper().readValue(json, Problem.class);
    }

    @Test
    void escapesQuotesBackslashesAndNewlinesSoTheJsonParsesBackToTheSameProblem() throws IOException {
        Problem problem = new Problem("/problems/\"odd\"", "Ti\\tle", 400,
                "the name \"O'Brien\\\" is\nnot\r\nallowed\there");

        assertThat(parse(problem.toJson())).isEqualTo(problem);
    }

    @Test
    void escapesEveryControlCharacter() throws IOException {
        StringBuilder controls = new StringBuilder();
        for (char c = 0; c < 0x20; c++) {
            controls.append(c);
        }
        Problem problem = Problem.of(400, "before" + controls + "after\u007f");

        String json = problem.toJson();

        assertThat(json.chars().filter(c -> c < 0x20)).as("no raw control character in the document").isEmpty();
        assertThat(parse(json)).isEqualTo(problem);
    }

    @Test
    void keepsTextBeyondAsciiIntact() throws IOException {
        Problem problem = Problem.of(409, "«Ærøskøbing» is taken \u2028 by 😀 already");

        assertThat(parse(problem.toJson())).isEqualTo(problem);
    }

    @Test
    void aDetailThatTriesToCloseTheStringCannotAddFields() throws IOException {
        Problem problem = Problem.of(400, "x\",\"status\":200,\"admin\":true,\"y\":\"");

        JsonNode tree = Json.mapper().readTree(problem.toJson());

        assertThat(tree.path("status").asInt()).isEqualTo(400);
        assertThat(tree.has("admin")).isFalse();
        assertThat(tree.path("detail").asText()).isEqualTo(problem.detail());
    }

    @Test
    void aMissingDetailIsWrittenAsAnEmptyString() throws IOException {
        assertThat(parse(new Problem("/problems/x", "X", 418, null).toJson()).detail()).isEmpty();
    }

    @Test
    void wellKnownStatusesHaveTheirOwnTypeAndTitle() {
        assertThat(Problem.of(413, "too big")).isEqualTo(new Problem("/problems/content-too-large", "Content Too Large", 413, "too big"));
        assertThat(Problem.of(418, "teapot")).isEqualTo(new Problem("/problems/client-error", "Client Error", 418, "teapot"));
        assertThat(Problem.of(599, "odd")).isEqualTo(new Problem("/problems/internal-error", "Internal Server Error", 599, "odd"));
    }
}
