package ai.spikegpt.spikes;

/**
 * The spike events that reach a group of linear layers through a LayerNorm: the residual stream in
 * event form, accumulated over every recorded token.
 *
 * <p>In SpikeGPT the residual stream entering a LayerNorm is {@code x = LN0(e) + n}: {@code e} the
 * binary embedding (0/1) and {@code n} the integer spike counts that the blocks so far have added.
 * Its <em>events</em> at token {@code t} are {@code E_t = sum_c (e_t[c] + n_t[c])}: the number of
 * column accumulations an event-driven matrix product performs per output (see {@link
 * OperationCounter}). Because every linear layer after a token shift sees the current and the
 * previous token, the previous token's events are counted too:
 *
 * <pre>
 *   events          = sum_t E_t                       over all recorded positions
 *   previousEvents  = sum_t E_{t-1}                   over positions that have a previous token
 *   density         = events / (positions * C)        mean events per channel and token (can exceed 1)
 *   activeFraction  = |{(t, c) : e_t[c] + n_t[c] > 0}| / (positions * C)
 * </pre>
 *
 * Sites: {@code <i>.att} (what block i's time mix receives, through LN1), {@code <i>.ffn} (the
 * channel mix, through LN2: it includes block i's LIF1 spikes) and {@code head} (through LN_out).
 * With a real-valued embedding (vanilla RWKV, or {@code binary_embedding = false}) only the spike
 * counts {@code n} are events.
 */
public final class StreamStats {

    private final String name;
    private final int width;
    long positions;
    long previousPositions;
    long events;
    long previousEvents;
    long activeElements;

    StreamStats(String name, int width) {
        this.name = name;
        this.width = width;
    }

    StreamStats copy() {
        StreamStats s = new StreamStats(name, width);
        s.positions = positions;
        s.previousPositions = previousPositions;
        s.events = events;
        s.previousEvents = previousEvents;
        s.activeElements = activeElements;
        return s;
    }

    /**
     * @return the site name: {@code <i>.att}, {@code <i>.ffn} or {@code head}
     */
    public String name() {
        return name;
    }

    /**
     * @return the stream width C
     */
    public int width() {
        return width;
    }

    /**
     * @return the token positions seen
     */
    public long positions() {
        return positions;
    }

    /**
     * @return the positions that have a previous token (the token shift's second slot)
     */
    public long previousPositions() {
        return previousPositions;
    }

    /**
     * @return the events at the current token, summed over positions
     */
    public long events() {
        return events;
    }

    /**
     * @return the events at the previous token, summed over positions that have one
     */
    public long previousEvents() {
        return previousEvents;
    }

    /**
     * @return the mean events per channel and token, NaN before any token
     */
    public double density() {
        return positions == 0 ? Double.NaN : events / ((double) positions * width);
    }

    /**
     * @return the fraction of (token, channel) entries with at least one event, NaN before any
     *     token
     */
    public double activeFraction() {
        return positions == 0 ? Double.NaN : activeElements / ((double) positions * width);
    }
}
