module switchboard-inbox

go 1.19

require switchboard v0.0.0

replace switchboard => ../../bindings/go
