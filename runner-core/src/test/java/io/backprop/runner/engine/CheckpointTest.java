package io.backprop.runner.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckpointTest {
    private static void arrays(DataOutputStream out, double[]... arrays) throws IOException {
        out.writeInt(arrays.length);
        for (double[] a : arrays) {
            out.writeInt(a.length);
            for (double v : a) out.writeDouble(v);
        }
    }

    private static Checkpoint read(byte[] bytes) throws IOException {
        return Checkpoint.read(new DataInputStream(new ByteArrayInputStream(bytes)));
    }

    @Test
    void aVersion2CheckpointReadsAsTheSlotsOfDenseLayers() throws IOException {
        var bytes = new ByteArrayOutputStream();
        var out = new DataOutputStream(bytes);
        out.writeInt(0x42505243);
        out.writeInt(2);
        out.writeInt(7);
        out.writeLong(700);
        out.writeDouble(1.5);
        arrays(out, new double[] {1, 2}, new double[] {3}); // weights per layer
        arrays(out, new double[] {4}, new double[] {5}); // biases per layer
        arrays(out, new double[] {6}); // optimizer state
        out.writeBoolean(false);
        arrays(out, new double[] {8}); // schedule state
        Checkpoint c = read(bytes.toByteArray());
        assertEquals(7, c.epoch());
        assertEquals(4, c.parameters().length);
        assertArrayEquals(new double[] {1, 2}, c.parameters()[0]);
        assertArrayEquals(new double[] {4}, c.parameters()[1]);
        assertArrayEquals(new double[] {3}, c.parameters()[2]);
        assertArrayEquals(new double[] {5}, c.parameters()[3]);
        assertNull(c.bestParameters());
        assertArrayEquals(new double[] {8}, c.scheduleState().get(0));
    }

    @Test
    void aCheckpointReadsBackAsItWasWritten() throws IOException {
        var c = new Checkpoint(
                3,
                30,
                0.25,
                new double[][] {{1, 2}, {3}, {4, 5, 6}},
                List.of(new double[] {7}),
                new double[][] {{1}, {2}, {3}},
                List.of(new double[] {9}));
        var bytes = new ByteArrayOutputStream();
        c.write(new DataOutputStream(bytes));
        Checkpoint back = read(bytes.toByteArray());
        assertEquals(3, back.parameters().length);
        for (int s = 0; s < 3; s++) {
            assertArrayEquals(c.parameters()[s], back.parameters()[s]);
            assertArrayEquals(c.bestParameters()[s], back.bestParameters()[s]);
        }
        assertArrayEquals(new double[] {7}, back.optimizerState().get(0));
        assertArrayEquals(new double[] {9}, back.scheduleState().get(0));
    }
}
