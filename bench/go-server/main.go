// Command go-server is the Go reference of bench/mtls-serve.sh: the workshop's
// server-require-client-auth.go made benchmarkable (port, files and log destination as flags).
// crypto/tls with RequireAndVerifyClientCert against the given client CA only, TLS 1.2 and 1.3,
// one log line per request (as mtls serve and nginx's access log write one).
package main

import (
	"crypto/tls"
	"crypto/x509"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:9443", "listen address")
	certFile := flag.String("cert", "server.crt", "server certificate")
	keyFile := flag.String("key", "server.key", "server key")
	caFile := flag.String("client-ca", "client-ca.crt", "CA whose client certificates are accepted")
	flag.Parse()

	caPem, err := os.ReadFile(*caFile)
	if err != nil {
		log.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPem) {
		log.Fatalf("no certificate in %s", *caFile)
	}
	logger := log.New(os.Stdout, "", log.LstdFlags)
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cn := r.TLS.PeerCertificates[0].Subject.CommonName
		logger.Printf("%s %s from %s client %s", r.Method, r.URL.Path, r.RemoteAddr, cn)
		fmt.Fprintf(w, "Hello, %s!\n", cn)
	})
	server := &http.Server{
		Addr:    *addr,
		Handler: handler,
		TLSConfig: &tls.Config{
			ClientAuth: tls.RequireAndVerifyClientCert,
			ClientCAs:  pool,
			MinVersion: tls.VersionTLS12,
		},
		ReadHeaderTimeout: 10 * time.Second,
	}
	log.Fatal(server.ListenAndServeTLS(*certFile, *keyFile))
}
