// Command loadgen is the mTLS load generator of bench/mtls-serve.sh. h2load and wrk cannot present a
// client certificate, so this one does: it verifies the server like curl (the given CA, the host
// name) and presents the given client certificate. Loopback only, fixed concurrency, bounded time.
//
//	loadgen -mode full      new TCP connection + full TLS handshake per request (Connection: close)
//	loadgen -mode resume    as full, but offering the TLS session ticket of an earlier connection
//	loadgen -mode keepalive one connection per worker, requests back to back
//	                        (-n N: N requests in all, then stop; -d still bounds the time)
//	loadgen -mode startup -- cmd args...  start cmd, poll until the first mTLS 200, print ms, stop cmd
//	loadgen -mode latency -rate N  keep-alive connections sending N requests/s in all (open loop: a
//	                        late answer delays the next send, and latency counts from the planned send)
//	loadgen -mode tcp-bulk  one connection per worker, bytes written flat out to an echo service,
//	                        bytes read back counted (MB/s)
//	loadgen -mode tcp-rtt   one connection per worker, 64 bytes out, 64 back, repeated (round trips/s,
//	                        p50/p99)
//	loadgen -mode echo      serve: a TCP echo service on -addr (the backend of the tcp-* modes)
//
// -plain talks plain TCP/HTTP instead of TLS: the "direct to the backend" baseline.
package main

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

type result struct {
	Mode     string   `json:"mode"`
	Requests int64    `json:"requests"`
	Errors   int64    `json:"errors"`
	Resumed  int64    `json:"resumed"`
	Seconds  float64  `json:"seconds"`
	Rate     float64  `json:"rate"`
	P50us    *float64 `json:"p50_us,omitempty"`
	P99us    *float64 `json:"p99_us,omitempty"`
	MBps     *float64 `json:"mb_s,omitempty"`
	FirstErr string   `json:"first_error,omitempty"`
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8443", "server address (loopback only)")
	host := flag.String("host", "localhost", "name the server certificate must have (SNI and Host)")
	caFile := flag.String("cacert", "", "CA that issued the server certificate")
	certFile := flag.String("cert", "", "client certificate")
	keyFile := flag.String("key", "", "client key")
	mode := flag.String("mode", "full", "full, resume, keepalive, startup, latency, tcp-bulk, tcp-rtt or echo")
	conc := flag.Int("c", 8, "concurrent workers")
	dur := flag.Duration("d", 5*time.Second, "duration (startup: time-out)")
	rate := flag.Float64("rate", 1000, "latency mode: requests per second, all workers together")
	path := flag.String("path", "/", "request path")
	plain := flag.Bool("plain", false, "plain TCP/HTTP, no TLS (the backend itself)")
	total := flag.Int64("n", 0, "full, resume, keepalive: stop after this many requests in all (0: run for -d)")
	flag.Parse()

	h, _, err := net.SplitHostPort(*addr)
	if ip := net.ParseIP(h); err != nil || ip == nil || !ip.IsLoopback() {
		fail("-addr must be a loopback address and port, got %q", *addr)
	}
	if *conc < 1 || *conc > 1024 || *dur <= 0 || *dur > 10*time.Minute {
		fail("-c must be 1..1024 and -d at most 10m")
	}
	if *mode == "echo" {
		echo(*addr)
		return
	}
	var cfg *tls.Config
	if !*plain {
		cfg = clientConfig(*caFile, *certFile, *keyFile, *host)
	} else if *mode != "keepalive" && *mode != "latency" && *mode != "tcp-bulk" && *mode != "tcp-rtt" {
		fail("-plain goes with -mode keepalive, latency, tcp-bulk or tcp-rtt")
	}
	req := []byte("GET " + *path + " HTTP/1.1\r\nHost: " + *host + "\r\n\r\n")
	closeReq := []byte("GET " + *path + " HTTP/1.1\r\nHost: " + *host + "\r\nConnection: close\r\n\r\n")

	switch *mode {
	case "startup":
		startup(*addr, cfg, closeReq, *dur, flag.Args())
		return
	case "latency":
		if *rate <= 0 || *rate > 1e6 {
			fail("-rate must be 1..1000000")
		}
		latency(*addr, cfg, req, *conc, *dur, *rate)
		return
	case "tcp-bulk", "tcp-rtt":
		tcp(*mode, *addr, cfg, *conc, *dur)
		return
	case "resume":
		cfg.ClientSessionCache = tls.NewLRUClientSessionCache(4 * *conc)
	case "full":
		cfg.ClientSessionCache = nil
	case "keepalive":
	default:
		fail("unknown -mode %q", *mode)
	}

	var n, errs, resumed, claimed int64
	var firstErr atomic.Value
	deadline := time.Now().Add(*dur)
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < *conc; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var conn net.Conn
			var rd *bufio.Reader
			for time.Now().Before(deadline) {
				if *total > 0 && atomic.AddInt64(&claimed, 1) > *total {
					break
				}
				var err error
				if *mode == "keepalive" {
					if conn == nil {
						if conn, err = dialAny(*addr, cfg); err == nil {
							rd = bufio.NewReader(conn)
						}
					}
					if err == nil {
						err = roundTrip(conn, rd, req)
					}
					if err != nil && conn != nil {
						conn.Close()
						conn = nil
					}
				} else {
					var c *tls.Conn
					if c, err = dial(*addr, cfg); err == nil {
						if c.ConnectionState().DidResume {
							atomic.AddInt64(&resumed, 1)
						}
						err = roundTrip(c, bufio.NewReader(c), closeReq)
						c.Close()
					}
				}
				if err != nil {
					atomic.AddInt64(&errs, 1)
					firstErr.CompareAndSwap(nil, err.Error())
					time.Sleep(time.Millisecond) // do not spin on a refusing server
					continue
				}
				atomic.AddInt64(&n, 1)
			}
			if conn != nil {
				conn.Close()
			}
		}()
	}
	wg.Wait()
	secs := time.Since(start).Seconds()
	r := result{Mode: *mode, Requests: n, Errors: errs, Resumed: resumed, Seconds: secs, Rate: float64(n) / secs}
	if e, ok := firstErr.Load().(string); ok {
		r.FirstErr = e
	}
	json.NewEncoder(os.Stdout).Encode(r)
}

func clientConfig(caFile, certFile, keyFile, host string) *tls.Config {
	caPem, err := os.ReadFile(caFile)
	if err != nil {
		fail("reading -cacert: %v", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPem) {
		fail("no certificate in %s", caFile)
	}
	pair, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		fail("loading the client certificate: %v", err)
	}
	return &tls.Config{
		RootCAs:      pool,
		ServerName:   host,
		Certificates: []tls.Certificate{pair},
		MinVersion:   tls.VersionTLS13, // what curl negotiates with all three servers
		NextProtos:   []string{"http/1.1"},
	}
}

func dial(addr string, cfg *tls.Config) (*tls.Conn, error) {
	d := net.Dialer{Timeout: 5 * time.Second}
	c, err := tls.DialWithDialer(&d, "tcp", addr, cfg)
	if err != nil {
		return nil, err
	}
	c.SetDeadline(time.Now().Add(10 * time.Second))
	return c, nil
}

// dialAny dials with TLS, or plain TCP when cfg is nil (-plain). A failed TLS dial returns a nil
// interface, not a nil *tls.Conn inside one.
func dialAny(addr string, cfg *tls.Config) (net.Conn, error) {
	if cfg != nil {
		c, err := dial(addr, cfg)
		if err != nil {
			return nil, err
		}
		return c, nil
	}
	return net.DialTimeout("tcp", addr, 5*time.Second)
}

// roundTrip sends one request and reads the whole response; anything but 200 is an error.
func roundTrip(c net.Conn, rd *bufio.Reader, req []byte) error {
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.Write(req); err != nil {
		return err
	}
	resp, err := http.ReadResponse(rd, nil)
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	if resp.StatusCode != 200 {
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return nil
}

// startup runs the server command and reports the time from exec to the first mTLS 200 response.
func startup(addr string, cfg *tls.Config, req []byte, limit time.Duration, args []string) {
	if len(args) == 0 {
		fail("startup needs the server command after --")
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	cfg.ClientSessionCache = nil
	start := time.Now()
	if err := cmd.Start(); err != nil {
		fail("starting %s: %v", args[0], err)
	}
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	}()
	var last error
	for time.Since(start) < limit {
		c, err := dial(addr, cfg)
		if err == nil {
			err = roundTrip(c, bufio.NewReader(c), req)
			c.Close()
			if err == nil {
				fmt.Printf("{\"mode\":\"startup\",\"ms\":%.1f}\n", float64(time.Since(start).Microseconds())/1000)
				return
			}
		}
		last = err
		time.Sleep(500 * time.Microsecond)
	}
	fmt.Printf("{\"mode\":\"startup\",\"ms\":-1,\"first_error\":%q}\n", fmt.Sprint(last))
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "loadgen: "+format+"\n", args...)
	os.Exit(2)
}
