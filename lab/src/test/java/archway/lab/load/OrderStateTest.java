package archway.lab.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OrderStateTest {

    @Test
    void timeToTerminalRunsFromTheFirstPendingToTheTerminalEntry() throws IOException {
        OrderState state = parse("""
                {"id": "o-1", "status": "CONFIRMED", "history": [
                  {"status": "PENDING", "at": "2026-12-01T12:00:00.123456Z"},
                  {"status": "PAID", "at": "2026-12-01T12:00:00.500000Z"},
                  {"status": "CONFIRMED", "at": "2026-12-01T12:00:01.373456Z"}]}""");

        assertThat(state.terminal()).isTrue();
        assertThat(state.toTerminal()).contains(Duration.ofMillis(1_250));
    }

    @Test
    void aRejectedOrderIsTerminalWithItsReason() throws IOException {
        OrderState state = parse("""
                {"status": "REJECTED", "reason": "out_of_stock", "history": [
                  {"status": "PENDING", "at": "2026-12-01T12:00:00Z"},
                  {"status": "REJECTED", "reason": "out_of_stock", "at": "2026-12-01T12:00:00.040Z"}]}""");

        assertThat(state.terminal()).isTrue();
        assertThat(state.reason()).isEqualTo("out_of_stock");
        assertThat(state.toTerminal()).contains(Duration.ofMillis(40));
    }

    @Test
    void pendingAndPaidOrdersAreNotTerminalYet() throws IOException {
        assertThat(parse("{\"status\": \"PENDING\", \"history\": []}").terminal()).isFalse();
        assertThat(parse("{\"status\": \"PAID\"}").terminal()).isFalse();
        assertThat(parse("{\"status\": \"PAID\"}").toTerminal()).isEmpty();
    }

    @Test
    void aTerminalOrderWithoutAUsableHistoryHasNoTime() throws IOException {
        assertThat(parse("{\"status\": \"CONFIRMED\"}").toTerminal()).isEmpty();
        assertThat(parse("{\"status\": \"CONFIRMED\", \"history\": [{\"status\": \"CONFIRMED\", \"at\": \"yesterday\"}]}")
                .toTerminal()).isEmpty();
    }

    @Test
    void anAnswerWithoutAStatusIsNotAnOrder() {
        assertThatThrownBy(() -> parse("{\"id\": \"o-1\"}")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> parse("<html>")).isInstanceOf(IOException.class);
    }

    private static OrderState parse(String json) throws IOException {
        return OrderState.parse(json.getBytes(StandardCharsets.UTF_8));
    }
}
