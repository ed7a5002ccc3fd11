/*
 * passthrough-filter: the cheapest useful long-running filter process, the baseline the benchmark
 * compares git-ccsync against. It speaks git's filter protocol version 2 (gitattributes(5), "Long
 * Running Filter Process") and answers every clean and smudge request with the content it was sent.
 *
 * It is written to be about as fast as such a filter can be: fd 0 and 1 are read and written through
 * 1 MiB buffers, a file's content is collected in one growing buffer and sent back in maximal packets,
 * and the output is flushed once per answer (git waits for it).
 *
 *   git> git-filter-client, version=2, 0000      filter> git-filter-server, version=2, 0000
 *   git> capability=clean, capability=smudge, capability=delay, 0000
 *                                                 filter> capability=clean, capability=smudge, 0000
 *   git> command=clean, pathname=p, 0000, <content packets>, 0000
 *                                                 filter> status=success, 0000, <content packets>, 0000, 0000
 *
 * Build: cc -O2 -o passthrough-filter passthrough-filter.c
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PKT_MAX_PAYLOAD 65516 /* 65520 bytes per packet, minus the 4-byte length header */
#define IO_BUFFER (1 << 20)

static unsigned char in_buf[IO_BUFFER];
static size_t in_start, in_end;

static unsigned char out_buf[IO_BUFFER + PKT_MAX_PAYLOAD + 4];
static size_t out_len;

static void die(const char *what)
{
    fprintf(stderr, "passthrough-filter: %s\n", what);
    exit(1);
}

/* Makes at least n bytes available in in_buf; returns 0 at end of input with nothing buffered. */
static int fill(size_t n)
{
    while (in_end - in_start < n) {
        if (in_start > 0) {
            memmove(in_buf, in_buf + in_start, in_end - in_start);
            in_end -= in_start;
            in_start = 0;
        }
        ssize_t got = read(0, in_buf + in_end, sizeof in_buf - in_end);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            die("read from git failed");
        }
        if (got == 0) {
            if (in_end == in_start)
                return 0;
            die("unexpected end of input inside a packet");
        }
        in_end += (size_t)got;
    }
    return 1;
}

static void write_all(const unsigned char *p, size_t n)
{
    while (n > 0) {
        ssize_t put = write(1, p, n);
        if (put < 0) {
            if (errno == EINTR)
                continue;
            die("write to git failed");
        }
        p += put;
        n -= (size_t)put;
    }
}

static void flush_out(void)
{
    write_all(out_buf, out_len);
    out_len = 0;
}

static int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/*
 * Reads one packet. Returns -1 at a clean end of input (between packets), 0 for a flush packet, or the
 * payload length with *payload pointing into in_buf (valid until the next read).
 */
static long read_packet(const unsigned char **payload)
{
    if (!fill(4))
        return -1;
    long len = 0;
    for (int k = 0; k < 4; k++) {
        int d = hex_value(in_buf[in_start + k]);
        if (d < 0)
            die("invalid packet length header");
        len = len * 16 + d;
    }
    in_start += 4;
    if (len == 0)
        return 0;
    if (len <= 4 || len - 4 > PKT_MAX_PAYLOAD)
        die("invalid packet length");
    len -= 4;
    if (!fill((size_t)len))
        die("unexpected end of input inside a packet");
    *payload = in_buf + in_start;
    in_start += (size_t)len;
    return len;
}

static void put_packet(const unsigned char *p, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    size_t total = n + 4;
    if (out_len + total > sizeof out_buf)
        flush_out();
    out_buf[out_len++] = (unsigned char)digits[(total >> 12) & 15];
    out_buf[out_len++] = (unsigned char)digits[(total >> 8) & 15];
    out_buf[out_len++] = (unsigned char)digits[(total >> 4) & 15];
    out_buf[out_len++] = (unsigned char)digits[total & 15];
    memcpy(out_buf + out_len, p, n);
    out_len += n;
}

static void put_text(const char *line)
{
    put_packet((const unsigned char *)line, strlen(line));
}

static void put_flush(void)
{
    if (out_len + 4 > sizeof out_buf)
        flush_out();
    memcpy(out_buf + out_len, "0000", 4);
    out_len += 4;
}

/* True when the text packet (with or without its trailing newline) equals s. */
static int text_is(const unsigned char *p, long n, const char *s)
{
    size_t len = (size_t)n;
    if (len > 0 && p[len - 1] == '\n')
        len--;
    return len == strlen(s) && memcmp(p, s, len) == 0;
}

static int text_starts(const unsigned char *p, long n, const char *s)
{
    size_t len = strlen(s);
    return (size_t)n >= len && memcmp(p, s, len) == 0;
}

static void handshake(void)
{
    const unsigned char *p;
    long n;
    int client = 0, v2 = 0;
    while ((n = read_packet(&p)) > 0) {
        if (text_is(p, n, "git-filter-client"))
            client = 1;
        else if (text_is(p, n, "version=2"))
            v2 = 1;
    }
    if (n < 0 || !client || !v2)
        die("bad handshake (expected git-filter-client and version=2)");
    put_text("git-filter-server\n");
    put_text("version=2\n");
    put_flush();
    flush_out(); /* git waits for this before it sends its capabilities */

    int clean = 0, smudge = 0;
    while ((n = read_packet(&p)) > 0) {
        if (text_is(p, n, "capability=clean"))
            clean = 1;
        else if (text_is(p, n, "capability=smudge"))
            smudge = 1;
    }
    if (n < 0)
        die("unexpected end of input in the capabilities");
    if (clean)
        put_text("capability=clean\n");
    if (smudge)
        put_text("capability=smudge\n");
    put_flush();
    flush_out();
}

int main(void)
{
    size_t cap = 1 << 20, len;
    unsigned char *content = malloc(cap);
    if (!content)
        die("out of memory");

    handshake();
    for (;;) {
        const unsigned char *p;
        long n;
        int have_command = 0;
        /* The request's key=value list; end of input before it is git closing the pipe: we are done. */
        n = read_packet(&p);
        if (n < 0)
            break;
        for (; n > 0; n = read_packet(&p)) {
            if (text_starts(p, n, "command=clean") || text_starts(p, n, "command=smudge"))
                have_command = 1;
        }
        if (n < 0)
            die("unexpected end of input in a request");
        if (!have_command)
            die("request without a clean or smudge command");

        len = 0;
        while ((n = read_packet(&p)) > 0) {
            if (len + (size_t)n > cap) {
                while (len + (size_t)n > cap)
                    cap *= 2;
                content = realloc(content, cap);
                if (!content)
                    die("out of memory");
            }
            memcpy(content + len, p, (size_t)n);
            len += (size_t)n;
        }
        if (n < 0)
            die("unexpected end of input in content");

        put_text("status=success\n");
        put_flush();
        for (size_t off = 0; off < len; off += PKT_MAX_PAYLOAD) {
            size_t chunk = len - off < PKT_MAX_PAYLOAD ? len - off : PKT_MAX_PAYLOAD;
            put_packet(content + off, chunk);
        }
        put_flush(); /* end of content */
        put_flush(); /* empty list: status stays success */
        flush_out();
    }
    free(content);
    return 0;
}
