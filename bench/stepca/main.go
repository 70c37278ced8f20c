// Command stepca-bench starts smallstep's step-ca 0.19.0 (Debian's golang-github-smallstep-certificates-dev)
// from a ca.json, for bench/ca-serve.sh. It is the minimum of step-ca's own main: load the configuration,
// read the key password from a file, build the CA, run it until SIGINT/SIGTERM. Built in GOPATH mode by
// the script; no third-party code lives in this repository.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/smallstep/certificates/authority/config"
	"github.com/smallstep/certificates/ca"
)

func main() {
	configFile := flag.String("config", "", "step-ca ca.json")
	passwordFile := flag.String("password-file", "", "file holding the intermediate key's password (optional)")
	flag.Parse()
	if *configFile == "" {
		fmt.Fprintln(os.Stderr, "stepca-bench: --config is required")
		os.Exit(2)
	}
	cfg, err := config.LoadConfiguration(*configFile)
	if err != nil {
		fatal(err)
	}
	var password []byte
	if *passwordFile != "" {
		if password, err = os.ReadFile(*passwordFile); err != nil {
			fatal(err)
		}
		password = bytes.TrimSpace(password)
	}
	srv, err := ca.New(cfg, ca.WithConfigFile(*configFile), ca.WithPassword(password), ca.WithQuiet(true))
	if err != nil {
		fatal(err)
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		<-stop
		_ = srv.Stop()
	}()
	if err := srv.Run(); err != nil && err != http.ErrServerClosed {
		fatal(err)
	}
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "stepca-bench:", err)
	os.Exit(1)
}
