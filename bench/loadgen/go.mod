module mtls.local/bench/loadgen

go 1.19
