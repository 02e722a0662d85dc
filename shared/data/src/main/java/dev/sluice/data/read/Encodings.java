package dev.sluice.data.read;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Input encodings: UTF-8 is read as is; anything else is transcoded to UTF-8 on the fly (strictly). */
final class Encodings {
    private Encodings() {}

    static boolean isUtf8(String enc) {
        if (enc == null || enc.isEmpty()) return true;
        String e = enc.trim().toLowerCase(java.util.Locale.ROOT).replace("-", "").replace("_", "");
        return e.equals("utf8");
    }

    static Charset charset(String enc) {
        if (isUtf8(enc)) return StandardCharsets.UTF_8;
        String e = enc.trim();
        if (e.equalsIgnoreCase("latin1") || e.equalsIgnoreCase("latin-1")) return StandardCharsets.ISO_8859_1;
        try {
            return Charset.forName(e);
        } catch (IllegalArgumentException ex) {
            throw new BadInputException("unsupported encoding " + BadInputException.quote(enc));
        }
    }

    /** {@code in} as UTF-8 bytes: the stream itself for UTF-8, else a strict transcoder. */
    static InputStream toUtf8(InputStream in, String enc) {
        Charset cs = charset(enc);
        return cs.equals(StandardCharsets.UTF_8) ? in : new Transcoder(in, cs);
    }

    /** Decodes {@code cs} (errors reported, never replaced) and re-encodes as UTF-8. */
    static final class Transcoder extends InputStream {
        private final InputStream in;
        private final Charset cs;
        private final CharsetDecoder dec;
        private final CharsetEncoder enc = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        private final ByteBuffer raw = ByteBuffer.allocate(1 << 16);
        private final CharBuffer chars = CharBuffer.allocate(1 << 16);
        private final ByteBuffer out = ByteBuffer.allocate(3 << 16);
        private boolean eof;
        private boolean done;
        private long consumed; // input bytes decoded so far

        Transcoder(InputStream in, Charset cs) {
            this.in = in;
            this.cs = cs;
            this.dec = cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
            raw.flip();
            chars.flip();
            out.flip();
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            while (!out.hasRemaining()) {
                if (done) return -1;
                step();
            }
            int n = Math.min(len, out.remaining());
            out.get(b, off, n);
            return n;
        }

        private void step() throws IOException {
            // decode more chars
            chars.compact();
            if (!eof && raw.remaining() < 16) {
                raw.compact();
                int n = in.read(raw.array(), raw.position(), raw.remaining());
                if (n < 0) eof = true;
                else raw.position(raw.position() + n);
                raw.flip();
            }
            int before = raw.position();
            CoderResult r = dec.decode(raw, chars, eof);
            consumed += raw.position() - before;
            if (r.isError()) {
                throw new BadInputException("invalid " + cs.name() + " input at byte " + consumed);
            }
            if (eof && !raw.hasRemaining()) {
                r = dec.flush(chars);
                if (r.isError()) throw new BadInputException("invalid " + cs.name() + " input at byte " + consumed);
            }
            chars.flip();
            out.compact();
            r = enc.encode(chars, out, eof && !raw.hasRemaining());
            if (r.isError()) {
                throw new BadInputException("invalid " + cs.name() + " input (unpaired surrogate) near byte " + consumed);
            }
            out.flip();
            if (eof && !raw.hasRemaining() && !chars.hasRemaining()) done = true;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
