module mtls.local/bench/goserver

go 1.19
