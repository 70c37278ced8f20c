package main

import (
	"bufio"
	"crypto/tls"
	"encoding/json"
	"net"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// latency sends rate requests per second in all over conc keep-alive connections, each on its own
// fixed schedule. A request's latency counts from its planned send time, so a stall that delays the
// following sends is charged to them too (no coordinated omission). Prints p50 and p99 in µs.
func latency(addr string, cfg *tls.Config, req []byte, conc int, dur time.Duration, rate float64) {
	interval := time.Duration(float64(conc) * float64(time.Second) / rate)
	start := time.Now()
	deadline := start.Add(dur)
	var errs int64
	var firstErr atomic.Value
	samples := make([][]time.Duration, conc)
	var wg sync.WaitGroup
	for w := 0; w < conc; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			var conn net.Conn
			var rd *bufio.Reader
			// Workers start spread over one interval so the sends do not arrive in bursts.
			next := start.Add(interval * time.Duration(w) / time.Duration(conc))
			// Sends planned before the deadline go out; a server that fell far behind is not waited for.
			for next.Before(deadline) && time.Now().Before(deadline.Add(2*time.Second)) {
				if d := time.Until(next); d > 0 {
					time.Sleep(d)
				}
				var err error
				if conn == nil {
					if conn, err = dialAny(addr, cfg); err == nil {
						rd = bufio.NewReader(conn)
					}
				}
				if err == nil {
					err = roundTrip(conn, rd, req)
				}
				if err != nil {
					atomic.AddInt64(&errs, 1)
					firstErr.CompareAndSwap(nil, err.Error())
					if conn != nil {
						conn.Close()
						conn = nil
					}
				} else {
					samples[w] = append(samples[w], time.Since(next))
				}
				next = next.Add(interval)
			}
			if conn != nil {
				conn.Close()
			}
		}(w)
	}
	wg.Wait()
	all := merge(samples)
	secs := time.Since(start).Seconds()
	r := result{Mode: "latency", Requests: int64(len(all)), Errors: errs, Seconds: secs, Rate: float64(len(all)) / secs}
	r.P50us, r.P99us = quantile(all, 0.50), quantile(all, 0.99)
	if e, ok := firstErr.Load().(string); ok {
		r.FirstErr = e
	}
	json.NewEncoder(os.Stdout).Encode(r)
}

func merge(parts [][]time.Duration) []time.Duration {
	var all []time.Duration
	for _, p := range parts {
		all = append(all, p...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	return all
}

// quantile of sorted durations, in µs (nil when there is none).
func quantile(sorted []time.Duration, q float64) *float64 {
	if len(sorted) == 0 {
		return nil
	}
	i := int(q * float64(len(sorted)-1))
	v := float64(sorted[i].Nanoseconds()) / 1000
	return &v
}
