package org.rootmirror.sync.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Child JVM main for the crash tests: {@code CrashingWriter DIR POINT} saves version A completely
 * through {@link ZoneStore#save}, then starts storing another version through the same steps save
 * uses ({@link VersionWriter}), prints {@code MID-WRITE} at {@code POINT} and waits there to be
 * killed. The points:
 *
 * <ul>
 *   <li>{@code zone}: while writing a large new zone B (it keeps writing, slowly, until killed);
 *   <li>{@code meta}: B's zone file written, half of B's metadata written;
 *   <li>{@code between}: B's zone file renamed into place, its .meta not yet;
 *   <li>{@code replace-zone}: while writing a different text for A's own serial (a forced re-fetch);
 *   <li>{@code replace-between}: that text renamed over A's zone file, the new .meta not yet.
 * </ul>
 */
public final class CrashingWriter {
  static final long SERIAL_A = 2026073101L;
  static final long SERIAL_B = 2026073102L;
  static final int MINUTE_A = 0;
  static final int MINUTE_B = 30;
  /** Zone B, and the replacement of A, are this large: a write of several MB that takes a moment. */
  static final int LARGE = 8 << 20;

  private CrashingWriter() {}

  static byte[] zoneA() {
    return TestZones.zone(SERIAL_A, 256 * 1024);
  }

  /** The text a forced re-fetch of A's serial brings: the same serial, other bytes. */
  static byte[] zoneAReplaced() {
    byte[] text = TestZones.zone(SERIAL_A, LARGE);
    text[text.length - 2] = 'X';
    return text;
  }

  static ZoneMetadata metadataA() {
    return TestZones.stored(TestZones.metadata(SERIAL_A, MINUTE_A), zoneA());
  }

  static ZoneMetadata metadataAReplaced() {
    return TestZones.stored(TestZones.metadata(SERIAL_A, MINUTE_B), zoneAReplaced());
  }

  public static void main(String[] args) throws Exception {
    ChildJvm.exitAfter(Duration.ofSeconds(60));
    Path dir = Path.of(args[0]);
    String point = args[1];
    ZoneStore store = new ZoneStore(dir);
    store.save(zoneA(), TestZones.metadata(SERIAL_A, MINUTE_A));
    ChildJvm.say("SAVED A");

    // as the sync pipeline does: hold the lock for the whole write (the kill must release it)
    ZoneStore.WriterLock lock = store.lock(0).orElseThrow();
    Path zones = dir.resolve(ZoneStore.ZONES);
    switch (point) {
      case "zone" -> {
        VersionWriter b = new VersionWriter(zones, SERIAL_B);
        b.writeZone(CrashingWriter::writeForever);
      }
      case "meta" -> {
        byte[] text = TestZones.zone(SERIAL_B, LARGE);
        byte[] meta = metaBytes(TestZones.stored(TestZones.metadata(SERIAL_B, MINUTE_B), text));
        VersionWriter b = new VersionWriter(zones, SERIAL_B);
        b.writeZone(AtomicFiles.Body.of(text));
        b.writeMeta(channel -> {
          AtomicFiles.writeFully(channel, ByteBuffer.wrap(meta, 0, meta.length / 2));
          channel.force(true);
          ChildJvm.say("MID-WRITE during the .meta");
          ChildJvm.sleepForever();
        });
      }
      case "between" -> {
        byte[] text = TestZones.zone(SERIAL_B, LARGE);
        VersionWriter b = new VersionWriter(zones, SERIAL_B);
        b.writeZone(AtomicFiles.Body.of(text));
        b.writeMeta(AtomicFiles.Body.of(metaBytes(TestZones.stored(TestZones.metadata(SERIAL_B, MINUTE_B), text))));
        b.commitZone();
        ChildJvm.say("MID-WRITE between the zone file and its .meta");
        ChildJvm.sleepForever();
      }
      case "replace-zone" -> {
        byte[] text = zoneAReplaced();
        VersionWriter a = new VersionWriter(zones, SERIAL_A);
        a.writeZone(channel -> {
          AtomicFiles.writeFully(channel, ByteBuffer.wrap(text, 0, text.length / 2));
          ChildJvm.say("MID-WRITE during the replacing zone file");
          ChildJvm.sleepForever();
        });
      }
      case "replace-between" -> {
        VersionWriter a = new VersionWriter(zones, SERIAL_A);
        a.writeZone(AtomicFiles.Body.of(zoneAReplaced()));
        a.writeMeta(AtomicFiles.Body.of(metaBytes(metadataAReplaced())));
        a.commitZone();
        ChildJvm.say("MID-WRITE between the replacing zone file and its .meta");
        ChildJvm.sleepForever();
      }
      default -> throw new IllegalArgumentException("no such point: " + point);
    }
    lock.close();
    throw new IllegalStateException("not killed at " + point);
  }

  private static byte[] metaBytes(ZoneMetadata m) {
    return MetadataFile.format(m, ZoneStore.zoneFileName(m.serial()));
  }

  /** Writes zone B: 4 MB at once, then the signal, then 1 MB every 10 ms (up to 64 MB) until killed. */
  private static void writeForever(FileChannel channel) throws IOException {
    byte[] chunk = TestZones.zone(SERIAL_B, 1 << 20);
    for (int mb = 0; mb < 64; mb++) {
      AtomicFiles.writeFully(channel, ByteBuffer.wrap(chunk));
      if (mb == 3) {
        ChildJvm.say("MID-WRITE during the zone file");
      }
      if (mb >= 3) {
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    ChildJvm.sleepForever();
  }
}
