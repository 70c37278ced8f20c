module mtls.local/bench/ca-loadgen

go 1.19
