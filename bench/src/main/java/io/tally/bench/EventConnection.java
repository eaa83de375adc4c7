package io.tally.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One sender's kept-alive HTTP/1.1 connection for {@code POST /api/events}, written directly on a socket.
 *
 * <p>Why not java.net.http.HttpClient: the benchmark runs on the hub's own machine, and every CPU cycle the client
 * spends is taken from the hub. The JDK client (a selector thread, futures and header maps per request) cost about
 * half a millisecond of CPU per request; this costs a few microseconds, so the figures measure the hub, not the
 * client. It speaks just enough HTTP/1.1 for the hub's answers: status line, headers, a Content-Length or chunked
 * body, and {@code Connection: close}. It is not a general client.
 */
final class EventConnection implements Closeable {

    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int READ_TIMEOUT_MS = 30_000;

    private final String host;
    private final int port;
    private final byte[] headerPrefix;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    EventConnection(URI hubUrl, String token) {
        this.host = hubUrl.getHost();
        this.port = hubUrl.getPort() > 0 ? hubUrl.getPort() : 80;
        String path = (hubUrl.getPath() == null ? "" : hubUrl.getPath().replaceAll("/+$", "")) + "/api/events";
        this.headerPrefix = ("POST " + path + " HTTP/1.1\r\n"
                        + "Host: " + host + ":" + port + "\r\n"
                        + "Authorization: Bearer " + token + "\r\n"
                        + "Content-Type: application/json\r\n"
                        + "Accept: application/json\r\n"
                        + "Content-Length: ")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Posts one event and reads the whole answer. A failed exchange closes the connection; the next call reopens. */
    HubClient.PostResult post(byte[] eventJson) throws IOException {
        boolean reused = socket != null;
        try {
            return exchange(eventJson);
        } catch (IOException e) {
            close();
            if (!reused) {
                throw e;
            }
            // A kept-alive connection the server closed while idle: it never saw this request, so sending it once
            // on a fresh connection is safe (and a duplicate would be answered 200, never booked twice).
            return exchange(eventJson);
        }
    }

    private HubClient.PostResult exchange(byte[] eventJson) throws IOException {
        if (socket == null) {
            open();
        }
        out.write(headerPrefix);
        out.write(Integer.toString(eventJson.length).getBytes(StandardCharsets.US_ASCII));
        out.write('\r');
        out.write('\n');
        out.write('\r');
        out.write('\n');
        out.write(eventJson);
        out.flush();
        return readResponse();
    }

    private void open() throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.setSoTimeout(READ_TIMEOUT_MS);
        s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
        socket = s;
        in = new BufferedInputStream(s.getInputStream(), 8192);
        // Requests are written in a few small pieces: buffer them into one segment.
        out = new java.io.BufferedOutputStream(s.getOutputStream(), 8192);
    }

    private HubClient.PostResult readResponse() throws IOException {
        String statusLine = readLine();
        // "HTTP/1.1 202 " or "HTTP/1.1 202 Accepted"
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
            throw new IOException("not an HTTP answer: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long contentLength = -1;
        boolean chunked = false;
        boolean closeAfter = false;
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> contentLength = Long.parseLong(value);
                case "transfer-encoding" ->
                    chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> closeAfter = value.equalsIgnoreCase("close");
                default -> {}
            }
        }
        String body;
        if (chunked) {
            body = readChunked();
        } else if (contentLength >= 0) {
            body = new String(readExactly((int) contentLength), StandardCharsets.UTF_8);
        } else {
            closeAfter = true; // body runs to the end of the connection
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (closeAfter) {
            close();
        }
        return new HubClient.PostResult(status, body);
    }

    private String readChunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine();
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                while (!readLine().isEmpty()) {
                    // trailers: none expected, skipped
                }
                return body.toString(StandardCharsets.UTF_8);
            }
            body.write(readExactly(size));
            readLine(); // the CRLF after each chunk
        }
    }

    private byte[] readExactly(int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new EOFException("connection closed after " + bytes.length + " of " + length + " body bytes");
        }
        return bytes;
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed by the hub");
            }
            if (b == '\n') {
                int end = line.length();
                if (end > 0 && line.charAt(end - 1) == '\r') {
                    line.setLength(end - 1);
                }
                return line.toString();
            }
            line.append((char) b);
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a broken connection: nothing to report
            }
        }
        socket = null;
        in = null;
        out = null;
    }
}
