package archway.lab.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PacerTest {

    @Test
    void slotsAreEvenlySpacedFromTheStart() {
        Pacer pacer = new Pacer(new FakeTicker(), 5_000, 4);

        assertThat(pacer.slot(0)).isEqualTo(5_000);
        assertThat(pacer.slot(1)).isEqualTo(5_000 + 250_000_000L);
        assertThat(pacer.slot(4)).isEqualTo(5_000 + 1_000_000_000L);
    }

    @Test
    void aLateWakeUpDoesNotShiftTheRestOfTheSchedule() throws InterruptedException {
        FakeTicker ticker = new FakeTicker();
        Pacer pacer = Pacer.startingNow(ticker, 100);
        long start = ticker.nanoTime();

        ticker.advance(55_000_000L); // the thread was away for 55 ms

        assertThat(pacer.awaitSlot(1)).isEqualTo(start + 10_000_000L);
        assertThat(ticker.nanoTime()).isEqualTo(start + 55_000_000L);
        assertThat(pacer.awaitSlot(6)).isEqualTo(start + 60_000_000L);
        assertThat(ticker.nanoTime()).isEqualTo(start + 60_000_000L);
    }

    @Test
    void neverOverflowsOnLongSchedules() {
        Pacer pacer = new Pacer(new FakeTicker(), 0, 100_000);
        long day = 86_400L * 100_000;

        assertThat(pacer.slot(day)).isEqualTo(86_400L * 1_000_000_000L);
        assertThat(Pacer.slotsIn(86_400L * 1_000_000_000L, 100_000)).isEqualTo(day);
    }

    @Test
    void countsTheSlotsInAPeriod() {
        assertThat(Pacer.slotsIn(1_500_000_000L, 1_000)).isEqualTo(1_500);
        assertThat(Pacer.slotsIn(999_000_000L, 1)).isZero();
        assertThat(Pacer.slotsIn(0, 1_000)).isZero();
    }
}
