package io.tally.event;

import java.io.CharConversionException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes a byte stream through unchanged, failing it at the first byte that is not well-formed UTF-8 (RFC 3629):
 * overlong forms ({@code C0 AF} for '/'), encoded surrogates ({@code ED A0 80}), code points above U+10FFFF, stray
 * continuation bytes and truncated sequences. Jackson's own UTF-8 decoder is lenient about overlong forms and
 * surrogates, so such a body was read as a different, valid one. JSON bodies are UTF-8 (RFC 8259 section 8.1).
 */
public final class StrictUtf8InputStream extends FilterInputStream {

    /** Continuation bytes still expected for the current sequence. */
    private int pending;
    /** Bounds for the second byte of the current sequence (overlong and surrogate checks), or -1 once past it. */
    private int secondMin = -1;

    private int secondMax = -1;

    public StrictUtf8InputStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b < 0) {
            checkEnd();
        } else {
            check(b);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int off, int len) throws IOException {
        int n = super.read(buffer, off, len);
        if (n < 0) {
            checkEnd();
            return n;
        }
        for (int i = off; i < off + n; i++) {
            check(buffer[i] & 0xff);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // skipped bytes would escape the check
        long skipped = 0;
        while (skipped < n && read() >= 0) {
            skipped++;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void checkEnd() throws IOException {
        if (pending > 0) {
            throw new CharConversionException("truncated UTF-8 sequence at the end of the body");
        }
    }

    private void check(int b) throws IOException {
        if (pending > 0) {
            int min = secondMin >= 0 ? secondMin : 0x80;
            int max = secondMax >= 0 ? secondMax : 0xBF;
            if (b < min || b > max) {
                throw new CharConversionException("invalid UTF-8 (overlong form, surrogate or bad continuation byte)");
            }
            secondMin = -1;
            secondMax = -1;
            pending--;
            return;
        }
        if (b < 0x80) {
            return;
        }
        if (b >= 0xC2 && b <= 0xDF) {
            pending = 1;
        } else if (b == 0xE0) {
            pending = 2;
            secondMin = 0xA0; // below: overlong
        } else if (b == 0xED) {
            pending = 2;
            secondMax = 0x9F; // above: UTF-16 surrogates
        } else if (b >= 0xE1 && b <= 0xEF) {
            pending = 2;
        } else if (b == 0xF0) {
            pending = 3;
            secondMin = 0x90; // below: overlong
        } else if (b >= 0xF1 && b <= 0xF3) {
            pending = 3;
        } else if (b == 0xF4) {
            pending = 3;
            secondMax = 0x8F; // above: beyond U+10FFFF
        } else {
            throw new CharConversionException("invalid UTF-8 byte 0x" + Integer.toHexString(b));
        }
    }
}
