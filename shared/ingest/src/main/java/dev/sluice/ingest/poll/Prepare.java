package dev.sluice.ingest.poll;

import dev.sluice.data.read.BadInputException;
import dev.sluice.odf.CompressionFormat;
import dev.sluice.odf.PrepStep;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Prepare steps, file to file in the scratch folder (nothing is held in memory whole): Decompress Gzip (streamed),
 * Decompress Zip (random access into the archive: the {@code subPath} entry, or the first file entry), Pipe (the
 * command reads the data on stdin and writes the result on stdout; both redirected to files, so no pumping threads).
 */
final class Prepare {
    private static final int STDERR_TAIL_BYTES = 2048;

    private Prepare() {}

    /** Runs the steps over {@code input}; returns the last step's output (a new scratch file) or {@code input} itself. */
    static Path run(List<PrepStep> steps, Path input, Path scratchDir, PollOptions o, Redactor redactor) throws IOException {
        Path current = input;
        List<Path> produced = new ArrayList<>();
        boolean ok = false;
        try {
            for (PrepStep step : steps) {
                Files.createDirectories(scratchDir);
                Path out = Files.createTempFile(scratchDir, ".prep-", ".data");
                produced.add(out);
                if (step instanceof PrepStep.Decompress d) {
                    if (d.format() == CompressionFormat.Zip) unzip(current, d.subPath(), out);
                    else gunzip(current, out);
                } else if (step instanceof PrepStep.Pipe p) {
                    pipe(p.command(), current, out, scratchDir, o, redactor);
                } else {
                    throw new PrepareException("prepare step " + step.kind() + " is not supported");
                }
                // Intermediate results are dropped as soon as the next one exists.
                if (current != input) Files.deleteIfExists(current);
                current = out;
            }
            ok = true;
            return current;
        } finally {
            if (!ok) {
                for (Path p : produced) Files.deleteIfExists(p);
            }
        }
    }

    static void gunzip(Path in, Path out) throws IOException {
        try (InputStream gz = new GZIPInputStream(Files.newInputStream(in), 1 << 16); OutputStream os = Files.newOutputStream(out)) {
            gz.transferTo(os);
        } catch (ZipException | EOFException e) {
            throw new BadInputException("Decompress Gzip: the data is not valid gzip (" + e.getMessage() + ")", e);
        }
    }

    static void unzip(Path in, String subPath, Path out) throws IOException {
        ZipFile zip;
        try {
            zip = new ZipFile(in.toFile());
        } catch (ZipException e) {
            throw new BadInputException("Decompress Zip: the data is not a valid zip archive (" + e.getMessage() + ")", e);
        }
        try (zip) {
            ZipEntry entry;
            if (subPath != null && !subPath.isBlank()) {
                entry = zip.getEntry(subPath);
                if (entry == null || entry.isDirectory()) {
                    throw new PrepareException("Decompress Zip: the archive has no file '" + subPath + "' (it has " + names(zip) + ")");
                }
            } else {
                entry = firstFile(zip);
                if (entry == null) throw new PrepareException("Decompress Zip: the archive contains no file");
            }
            try (InputStream is = zip.getInputStream(entry); OutputStream os = Files.newOutputStream(out)) {
                is.transferTo(os);
            } catch (ZipException | EOFException e) {
                throw new BadInputException("Decompress Zip: entry '" + entry.getName() + "' is corrupt (" + e.getMessage() + ")", e);
            }
        }
    }

    private static ZipEntry firstFile(ZipFile zip) {
        Enumeration<? extends ZipEntry> en = zip.entries();
        while (en.hasMoreElements()) {
            ZipEntry e = en.nextElement();
            if (!e.isDirectory()) return e;
        }
        return null;
    }

    private static String names(ZipFile zip) {
        List<String> names = new ArrayList<>();
        Enumeration<? extends ZipEntry> en = zip.entries();
        int total = 0;
        while (en.hasMoreElements()) {
            ZipEntry e = en.nextElement();
            if (e.isDirectory()) continue;
            if (names.size() < 10) names.add("'" + e.getName() + "'");
            total++;
        }
        if (total == 0) return "no files";
        return String.join(", ", names) + (total > names.size() ? " and " + (total - names.size()) + " more" : "");
    }

    /**
     * Runs the command with a minimal environment (PATH, HOME, LANG, TMPDIR — not the node's credentials), in the
     * scratch folder, stdin from {@code in}, stdout to {@code out}. Non-zero exit, a timeout or a failure to start is
     * a {@link PrepareException}; the message ends with the tail of stderr.
     */
    static void pipe(List<String> command, Path in, Path out, Path scratchDir, PollOptions o, Redactor redactor) throws IOException {
        if (!o.allowPipe) throw new PrepareException("Pipe prepare steps are disabled on this node");
        if (command == null || command.isEmpty() || command.get(0) == null || command.get(0).isBlank()) {
            throw new PrepareException("Pipe needs a command");
        }
        String shown = String.join(" ", command);
        Path err = Files.createTempFile(scratchDir, ".pipe-", ".stderr");
        try {
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(scratchDir.toFile())
                    .redirectInput(in.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            Map<String, String> env = pb.environment();
            Map<String, String> keep = new java.util.HashMap<>();
            for (String k : List.of("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")) {
                String v = System.getenv(k);
                if (v != null) keep.put(k, v);
            }
            env.clear();
            env.putAll(keep);
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                throw new PrepareException("Pipe: cannot start '" + redactor.clean(shown) + "': " + redactor.describe(e));
            }
            try {
                if (!p.waitFor(o.pipeTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    kill(p);
                    throw new PrepareException("Pipe: '" + redactor.clean(shown) + "' did not finish within " + o.pipeTimeout + tail(err, redactor));
                }
            } catch (InterruptedException e) {
                kill(p);
                Thread.currentThread().interrupt();
                throw new PrepareException("Pipe: '" + redactor.clean(shown) + "' was interrupted");
            }
            if (p.exitValue() != 0) {
                throw new PrepareException("Pipe: '" + redactor.clean(shown) + "' exited with code " + p.exitValue() + tail(err, redactor));
            }
        } finally {
            Files.deleteIfExists(err);
        }
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String tail(Path err, Redactor redactor) throws IOException {
        long size = Files.size(err);
        if (size == 0) return " (no stderr output)";
        try (RandomAccessFile f = new RandomAccessFile(err.toFile(), "r")) {
            int n = (int) Math.min(size, STDERR_TAIL_BYTES);
            byte[] b = new byte[n];
            f.seek(size - n);
            f.readFully(b);
            String s = new String(b, StandardCharsets.UTF_8).strip();
            return "; stderr" + (size > n ? " (last " + n + " bytes)" : "") + ": " + redactor.clean(s);
        }
    }
}
