package main

import (
	"crypto/tls"
	"encoding/json"
	"io"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// tcp measures a byte stream through a TLS terminator to an echo service (or the echo service itself
// with -plain). tcp-bulk: each worker writes 64 KiB blocks flat out while reading the echo back; the
// bytes read back in the time count (MB/s, one direction's payload). tcp-rtt: each worker sends 64 bytes
// and waits for them to come back, repeatedly (round trips/s, p50 and p99).
func tcp(mode, addr string, cfg *tls.Config, conc int, dur time.Duration) {
	start := time.Now()
	deadline := start.Add(dur)
	var bytes, errs int64
	var firstErr atomic.Value
	note := func(err error) {
		atomic.AddInt64(&errs, 1)
		firstErr.CompareAndSwap(nil, err.Error())
	}
	samples := make([][]time.Duration, conc)
	var wg sync.WaitGroup
	for w := 0; w < conc; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			c, err := dialAny(addr, cfg)
			if err != nil {
				note(err)
				return
			}
			defer c.Close()
			c.SetDeadline(deadline.Add(5 * time.Second))
			if mode == "tcp-rtt" {
				out, in := make([]byte, 64), make([]byte, 64)
				for time.Now().Before(deadline) {
					t := time.Now()
					if _, err := c.Write(out); err != nil {
						note(err)
						return
					}
					if _, err := io.ReadFull(c, in); err != nil {
						note(err)
						return
					}
					samples[w] = append(samples[w], time.Since(t))
				}
				return
			}
			go func() {
				block := make([]byte, 64<<10)
				for time.Now().Before(deadline) {
					if _, err := c.Write(block); err != nil {
						return
					}
				}
			}()
			buf := make([]byte, 64<<10)
			for time.Now().Before(deadline) {
				c.SetReadDeadline(deadline)
				n, err := c.Read(buf)
				atomic.AddInt64(&bytes, int64(n))
				if err != nil {
					if ne, ok := err.(net.Error); !ok || !ne.Timeout() {
						note(err)
					}
					return
				}
			}
		}(w)
	}
	wg.Wait()
	secs := time.Since(start).Seconds()
	r := result{Mode: mode, Errors: errs, Seconds: secs}
	if mode == "tcp-rtt" {
		all := merge(samples)
		r.Requests, r.Rate = int64(len(all)), float64(len(all))/secs
		r.P50us, r.P99us = quantile(all, 0.50), quantile(all, 0.99)
	} else {
		mb := float64(bytes) / 1e6 / dur.Seconds()
		r.MBps = &mb
	}
	if e, ok := firstErr.Load().(string); ok {
		r.FirstErr = e
	}
	json.NewEncoder(os.Stdout).Encode(r)
}

// echo serves a TCP echo on addr until killed: every byte read is written back; end of input ends
// the output (half-close), so a proxy's half-close propagation can be seen.
func echo(addr string) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		fail("listening on %s: %v", addr, err)
	}
	for {
		c, err := l.Accept()
		if err != nil {
			fail("accept: %v", err)
		}
		go func() {
			defer c.Close()
			io.CopyBuffer(c, c, make([]byte, 64<<10))
		}()
	}
}
