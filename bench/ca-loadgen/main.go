// Command ca-loadgen is the load generator of bench/ca-serve.sh: it measures certificate issuance with
// a one-time token and renewal over mTLS against `mtls ca serve` and against smallstep's step-ca, with
// the same P-256 keys, the same request counts and the same client-side work for both.
//
//	ca-loadgen jwk -key-out F     make the step-ca JWK provisioner's P-256 key (PKCS#8 PEM, 0600) and
//	                              print its public JWK (kid = RFC 7638 thumbprint) for ca.json
//	ca-loadgen port               print a free loopback TCP port
//	ca-loadgen run -kind stepca|mtls -url URL -root R ...
//	                              issue, then renew, at each concurrency; one Markdown row per phase
//
// Issuance: every request carries a one-time token made before the timed phase (mtls: the lines of
// -tokens, made by `mtls ca token`; step-ca: JWTs signed here with the provisioner key, as `step ca
// token` makes them) and one of -keys pre-made P-256 CSRs, over keep-alive HTTPS connections (one per
// worker). Renewal: every request is a new TLS connection presenting a certificate issued in the
// issuance phases (oldest first, each renewed once: mtls lets only the newest of a renewal chain renew),
// with no session resumption. A phase ends after -n requests or -secs seconds, whichever comes first.
// Loopback only.
package main

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fail("usage: ca-loadgen jwk -key-out F | ca-loadgen port | ca-loadgen run -kind stepca|mtls ...")
	}
	switch os.Args[1] {
	case "jwk":
		jwkCommand(os.Args[2:])
	case "run":
		runCommand(os.Args[2:])
	case "port":
		// A free loopback TCP port, for a server that must be told its port in advance.
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		check(err)
		fmt.Println(ln.Addr().(*net.TCPAddr).Port)
		check(ln.Close())
	default:
		fail("unknown command %q (jwk, run or port)", os.Args[1])
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "ca-loadgen: "+format+"\n", args...)
	os.Exit(2)
}

// ---- jwk: the step-ca provisioner key ----

func jwkCommand(args []string) {
	fs := flag.NewFlagSet("jwk", flag.ExitOnError)
	keyOut := fs.String("key-out", "", "where to write the provisioner's private key (PKCS#8 PEM)")
	_ = fs.Parse(args)
	if *keyOut == "" {
		fail("jwk: -key-out is required")
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	check(err)
	der, err := x509.MarshalPKCS8PrivateKey(key)
	check(err)
	f, err := os.OpenFile(*keyOut, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	check(err)
	check(pem.Encode(f, &pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	check(f.Close())
	x, y := pad32(key.X), pad32(key.Y)
	pub := map[string]string{"use": "sig", "kty": "EC", "kid": thumbprint(x, y), "crv": "P-256", "alg": "ES256",
		"x": b64(x), "y": b64(y)}
	out, err := json.Marshal(pub)
	check(err)
	fmt.Println(string(out))
}

// thumbprint is the RFC 7638 JWK thumbprint of a P-256 public key: SHA-256 over the required members
// in lexicographic order, no white space.
func thumbprint(x, y []byte) string {
	sum := sha256.Sum256([]byte(`{"crv":"P-256","kty":"EC","x":"` + b64(x) + `","y":"` + b64(y) + `"}`))
	return b64(sum[:])
}

func pad32(n *big.Int) []byte {
	b := make([]byte, 32)
	return n.FillBytes(b)
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func check(err error) {
	if err != nil {
		fail("%v", err)
	}
}

// ---- run ----

type config struct {
	kind        string
	base        string
	host        string
	roots       *x509.CertPool
	name        string
	lifetime    time.Duration
	renewMinAge time.Duration
	secs        time.Duration
	n           int
	pid         int
	label       string
	tokens      []string // mtls: pre-made tokens, in order
	jwkKey      *ecdsa.PrivateKey
	jwkKid      string
	provisioner string
}

type credential struct {
	key      *ecdsa.PrivateKey
	leaf     tls.Certificate
	issuedAt time.Time
	notAfter time.Time
}

type phase struct {
	op       string
	conc     int
	ok       int64
	errs     int64
	skipped  int64
	seconds  float64
	lat      []time.Duration
	cpuTicks int64
	firstErr string
	stopped  string
}

func runCommand(args []string) {
	fs := flag.NewFlagSet("run", flag.ExitOnError)
	kind := fs.String("kind", "", "stepca or mtls")
	rawURL := fs.String("url", "", "the CA's base URL (https://127.0.0.1:PORT)")
	rootFile := fs.String("root", "", "root certificate(s) the CA's TLS certificate chains to (PEM)")
	name := fs.String("name", "bench.example", "the DNS name every certificate asks for (and the tokens allow)")
	concList := fs.String("c", "1,8,32", "concurrencies, comma-separated")
	secs := fs.Duration("secs", 10*time.Second, "longest time of one phase")
	n := fs.Int("n", 2000, "requests per phase (mtls issuance: at most the tokens given for it)")
	keys := fs.Int("keys", 64, "distinct P-256 keys (and CSRs) the requests cycle through")
	lifetime := fs.Duration("lifetime", 180*time.Second, "lifetime asked for each issued certificate")
	renewMinAge := fs.Duration("renew-min-age", 0, "wait until every certificate to renew is this old (mtls's renewal-storm rule)")
	tokensFile := fs.String("tokens", "", "mtls: file of one-time tokens, one a line")
	jwkKeyFile := fs.String("jwk-key", "", "stepca: the provisioner's private key (from `ca-loadgen jwk`)")
	provisioner := fs.String("provisioner", "bench", "stepca: the JWK provisioner's name")
	warmup := fs.Int("warmup", 20, "untimed issuance requests before the first phase (tokens are taken from the same supply)")
	pid := fs.Int("pid", 0, "the CA's process id: report its CPU time per request from /proc/PID/stat")
	label := fs.String("label", "", "name of the CA in the output rows")
	_ = fs.Parse(args)

	u, err := url.Parse(*rawURL)
	if err != nil || u.Scheme != "https" {
		fail("-url must be https://HOST:PORT, got %q", *rawURL)
	}
	if ip := net.ParseIP(u.Hostname()); u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		fail("-url must be a loopback address (this is a benchmark, not a load test of someone's CA)")
	}
	pemRoots, err := os.ReadFile(*rootFile)
	check(err)
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pemRoots) {
		fail("-root %s holds no certificate", *rootFile)
	}
	cfg := &config{kind: *kind, base: strings.TrimRight(*rawURL, "/"), host: u.Hostname(), roots: roots, name: *name,
		lifetime: *lifetime, renewMinAge: *renewMinAge, secs: *secs, n: *n, pid: *pid, label: *label, provisioner: *provisioner}
	if cfg.label == "" {
		cfg.label = cfg.kind
	}
	var concs []int
	for _, s := range strings.Split(*concList, ",") {
		c, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || c < 1 || c > 512 {
			fail("-c: %q is not a concurrency in 1..512", s)
		}
		concs = append(concs, c)
	}
	switch cfg.kind {
	case "mtls":
		data, err := os.ReadFile(*tokensFile)
		check(err)
		for _, line := range strings.Split(string(data), "\n") {
			if t := strings.TrimSpace(line); t != "" {
				cfg.tokens = append(cfg.tokens, t)
			}
		}
		if len(cfg.tokens) < *warmup+len(concs) {
			fail("-tokens %s holds %d tokens: too few", *tokensFile, len(cfg.tokens))
		}
	case "stepca":
		data, err := os.ReadFile(*jwkKeyFile)
		check(err)
		block, _ := pem.Decode(data)
		if block == nil {
			fail("-jwk-key %s is not PEM", *jwkKeyFile)
		}
		k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		check(err)
		ek, ok := k.(*ecdsa.PrivateKey)
		if !ok || ek.Curve != elliptic.P256() {
			fail("-jwk-key must be a P-256 key")
		}
		cfg.jwkKey, cfg.jwkKid = ek, thumbprint(pad32(ek.X), pad32(ek.Y))
	default:
		fail("-kind must be stepca or mtls")
	}

	csrs := makeCSRs(*keys, cfg.name)
	var pool []credential
	var poolMu sync.Mutex
	tokenAt := 0
	nextTokens := func(count int) []string {
		if cfg.kind == "mtls" {
			end := tokenAt + count
			if end > len(cfg.tokens) {
				end = len(cfg.tokens)
			}
			t := cfg.tokens[tokenAt:end]
			tokenAt = end
			return t
		}
		t := make([]string, count)
		for i := range t {
			t[i] = cfg.stepToken()
		}
		return t
	}

	// Warm-up: connections, caches, the first signature; not timed, not kept.
	if *warmup > 0 {
		p := cfg.issue(1, nextTokens(*warmup), csrs, nil, nil)
		if p.ok == 0 {
			fail("warm-up: no issuance succeeded: %s", p.firstErr)
		}
	}
	perLevel := cfg.n
	if cfg.kind == "mtls" {
		if left := (len(cfg.tokens) - tokenAt) / len(concs); left < perLevel {
			perLevel = left
		}
	}
	var rows []phase
	for _, c := range concs {
		p := cfg.issue(c, nextTokens(perLevel), csrs, &pool, &poolMu)
		rows = append(rows, p)
		printRow(cfg, p)
	}

	// Renewal: the pool in issuance order (oldest first), an equal share per concurrency.
	if len(pool) == 0 {
		fail("no certificate was issued, nothing to renew")
	}
	sort.Slice(pool, func(i, j int) bool { return pool[i].issuedAt.Before(pool[j].issuedAt) })
	if cfg.renewMinAge > 0 {
		youngest := pool[len(pool)-1].issuedAt
		if wait := time.Until(youngest.Add(cfg.renewMinAge)); wait > 0 {
			fmt.Fprintf(os.Stderr, "ca-loadgen: %s: waiting %.0f s until every certificate has lived %s (renewal-storm rule)\n",
				cfg.label, wait.Seconds(), cfg.renewMinAge)
			time.Sleep(wait)
		}
	}
	share := len(pool) / len(concs)
	if share > cfg.n {
		share = cfg.n
	}
	for i, c := range concs {
		p := cfg.renew(c, pool[i*share:(i+1)*share])
		rows = append(rows, p)
		printRow(cfg, p)
	}
}

type csrEntry struct {
	csrPEM string
	key    *ecdsa.PrivateKey
}

func makeCSRs(count int, name string) []csrEntry {
	out := make([]csrEntry, count)
	for i := range out {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		check(err)
		der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{
			Subject: pkix.Name{CommonName: name}, DNSNames: []string{name}}, key)
		check(err)
		out[i] = csrEntry{string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der})), key}
	}
	return out
}

// stepToken makes a step-ca JWK one-time token as `step ca token` does: ES256, kid = the key's
// thumbprint, iss = the provisioner, aud = URL/1.0/sign, sub and sans = the name, a random jti.
func (c *config) stepToken() string {
	now := time.Now().Unix()
	jti := make([]byte, 32)
	_, _ = rand.Read(jti)
	header, _ := json.Marshal(map[string]string{"alg": "ES256", "kid": c.jwkKid, "typ": "JWT"})
	claims, _ := json.Marshal(map[string]any{
		"iss": c.provisioner, "sub": c.name, "aud": c.base + "/1.0/sign", "sans": []string{c.name},
		"iat": now, "nbf": now, "exp": now + 600, "jti": hex.EncodeToString(jti)})
	signing := b64(header) + "." + b64(claims)
	digest := sha256.Sum256([]byte(signing))
	r, s, err := ecdsa.Sign(rand.Reader, c.jwkKey, digest[:])
	check(err)
	return signing + "." + b64(append(pad32(r), pad32(s)...))
}

func (c *config) tlsConfig() *tls.Config {
	return &tls.Config{RootCAs: c.roots, ServerName: c.host, MinVersion: tls.VersionTLS12}
}

type issued struct {
	leafPEM  string
	chainPEM string
}

// issue runs one issuance phase: one token per request, keep-alive connections (one per worker).
func (c *config) issue(conc int, tokens []string, csrs []csrEntry, pool *[]credential, mu *sync.Mutex) phase {
	transport := &http.Transport{TLSClientConfig: c.tlsConfig(), MaxIdleConnsPerHost: conc, MaxConnsPerHost: conc,
		DisableCompression: true}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport, Timeout: 30 * time.Second}
	type prepared struct {
		body []byte
		key  *ecdsa.PrivateKey
	}
	reqs := make([]prepared, len(tokens))
	for i, t := range tokens {
		csrPEM, key := csrs[i%len(csrs)].csrPEM, csrs[i%len(csrs)].key
		var body []byte
		if c.kind == "mtls" {
			body, _ = json.Marshal(map[string]any{"token": t, "csr": csrPEM, "lifetime_seconds": int(c.lifetime.Seconds())})
		} else {
			body, _ = json.Marshal(map[string]any{"ott": t, "csr": csrPEM, "notAfter": c.lifetime.String()})
		}
		reqs[i] = prepared{body, key}
	}
	endpoint := c.base + "/v1/enroll"
	if c.kind == "stepca" {
		endpoint = c.base + "/1.0/sign"
	}
	return c.drive("issue", conc, len(reqs), func(i int) error {
		resp, err := client.Post(endpoint, "application/json", bytes.NewReader(reqs[i].body))
		if err != nil {
			return err
		}
		data, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		if resp.StatusCode != http.StatusCreated {
			return fmt.Errorf("HTTP %d: %.300s", resp.StatusCode, data)
		}
		if pool == nil {
			return nil
		}
		cred, err := c.parseIssued(data, reqs[i].key)
		if err != nil {
			return err
		}
		mu.Lock()
		*pool = append(*pool, cred)
		mu.Unlock()
		return nil
	})
}

func (c *config) parseIssued(data []byte, key *ecdsa.PrivateKey) (credential, error) {
	var leafPEM string
	var chain []string
	if c.kind == "mtls" {
		var r struct {
			Certificate string `json:"certificate"`
			Chain       string `json:"chain"`
		}
		if err := json.Unmarshal(data, &r); err != nil {
			return credential{}, err
		}
		leafPEM, chain = r.Certificate, []string{r.Chain}
	} else {
		var r struct {
			Crt       string   `json:"crt"`
			CertChain []string `json:"certChain"`
		}
		if err := json.Unmarshal(data, &r); err != nil {
			return credential{}, err
		}
		leafPEM = r.Crt
		if len(r.CertChain) > 1 {
			chain = r.CertChain[1:]
		}
	}
	block, _ := pem.Decode([]byte(leafPEM))
	if block == nil {
		return credential{}, errors.New("the response holds no PEM certificate")
	}
	leaf, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return credential{}, err
	}
	if !leaf.PublicKey.(*ecdsa.PublicKey).Equal(key.Public()) {
		return credential{}, errors.New("the certificate is not for the CSR's key")
	}
	tc := tls.Certificate{Certificate: [][]byte{block.Bytes}, PrivateKey: crypto.Signer(key), Leaf: leaf}
	for _, p := range chain {
		rest := []byte(p)
		for {
			var b *pem.Block
			if b, rest = pem.Decode(rest); b == nil {
				break
			}
			tc.Certificate = append(tc.Certificate, b.Bytes)
		}
	}
	return credential{key: key, leaf: tc, issuedAt: time.Now(), notAfter: leaf.NotAfter}, nil
}

// renew runs one renewal phase: each request a new TLS connection presenting one certificate of creds.
func (c *config) renew(conc int, creds []credential) phase {
	endpoint := c.base + "/v1/renew"
	body := []byte(`{"lifetime_seconds":` + strconv.Itoa(int(c.lifetime.Seconds())) + `}`)
	if c.kind == "stepca" {
		endpoint = c.base + "/1.0/renew"
		body = nil
	}
	var skipped int64
	p := c.drive("renew", conc, len(creds), func(i int) error {
		cred := creds[i]
		if time.Until(cred.notAfter) < 5*time.Second {
			atomic.AddInt64(&skipped, 1)
			return errSkipped
		}
		tc := c.tlsConfig()
		tc.Certificates = []tls.Certificate{cred.leaf}
		transport := &http.Transport{TLSClientConfig: tc, DisableKeepAlives: true, DisableCompression: true}
		client := &http.Client{Transport: transport, Timeout: 30 * time.Second}
		req, _ := http.NewRequest(http.MethodPost, endpoint, bytes.NewReader(body))
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		data, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		transport.CloseIdleConnections()
		if err != nil {
			return err
		}
		if resp.StatusCode != http.StatusCreated {
			return fmt.Errorf("HTTP %d: %.300s", resp.StatusCode, data)
		}
		if _, err := c.parseIssued(data, cred.key); err != nil {
			return err
		}
		return nil
	})
	p.skipped = skipped
	return p
}

var errSkipped = errors.New("skipped: too close to expiry")

// drive runs do(0..count-1) on conc workers until all are done or c.secs have passed; it times each
// request and the CA's CPU time over the phase.
func (c *config) drive(op string, conc, count int, do func(i int) error) phase {
	p := phase{op: op, conc: conc}
	var next int64 = -1
	var ok, errs int64
	var errOnce sync.Once
	lats := make([][]time.Duration, conc)
	cpu0 := c.cpuTicks()
	start := time.Now()
	deadline := start.Add(c.secs)
	var wg sync.WaitGroup
	for w := 0; w < conc; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for {
				i := int(atomic.AddInt64(&next, 1))
				if i >= count || time.Now().After(deadline) {
					return
				}
				t0 := time.Now()
				err := do(i)
				d := time.Since(t0)
				switch {
				case err == nil:
					atomic.AddInt64(&ok, 1)
					lats[w] = append(lats[w], d)
				case errors.Is(err, errSkipped):
				default:
					atomic.AddInt64(&errs, 1)
					errOnce.Do(func() { p.firstErr = err.Error() })
				}
			}
		}(w)
	}
	wg.Wait()
	p.seconds = time.Since(start).Seconds()
	p.cpuTicks = c.cpuTicks() - cpu0
	p.ok, p.errs = ok, errs
	if int(next) >= count {
		p.stopped = "count"
	} else {
		p.stopped = "time"
	}
	for _, l := range lats {
		p.lat = append(p.lat, l...)
	}
	sort.Slice(p.lat, func(i, j int) bool { return p.lat[i] < p.lat[j] })
	if p.firstErr != "" {
		fmt.Fprintf(os.Stderr, "ca-loadgen: %s %s c=%d: %d errors, the first: %s\n", c.label, op, conc, errs, p.firstErr)
	}
	return p
}

// cpuTicks is utime+stime of the CA process (all its threads), in clock ticks (USER_HZ, 100 on Linux).
func (c *config) cpuTicks() int64 {
	if c.pid == 0 {
		return 0
	}
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", c.pid))
	if err != nil {
		return 0
	}
	s := string(data)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	u, _ := strconv.ParseInt(fields[11], 10, 64)
	st, _ := strconv.ParseInt(fields[12], 10, 64)
	return u + st
}

func percentile(sorted []time.Duration, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.5) - 1
	if i < 0 {
		i = 0
	}
	if i >= len(sorted) {
		i = len(sorted) - 1
	}
	return float64(sorted[i].Microseconds()) / 1000
}

// printRow: | CA | operation | c | ok | errors | s | per s | p50 ms | p99 ms | CA CPU ms per request | ended by |
func printRow(c *config, p phase) {
	cpu := "-"
	if c.pid != 0 && p.ok > 0 {
		cpu = fmt.Sprintf("%.2f", float64(p.cpuTicks)*10/float64(p.ok))
	}
	ended := p.stopped
	if p.skipped > 0 {
		ended += fmt.Sprintf(", %d skipped near expiry", p.skipped)
	}
	fmt.Printf("| %s | %s | %d | %d | %d | %.1f | %.0f | %.1f | %.1f | %s | %s |\n", c.label, p.op, p.conc, p.ok, p.errs,
		p.seconds, float64(p.ok)/p.seconds, percentile(p.lat, 0.50), percentile(p.lat, 0.99), cpu, ended)
}
